package org.mailfwd.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailfwd.message.HeaderField;

/**
 * Decides whether a message is signed and with what, from configuration alone. A message
 * is signed only when (a) the checked domain, the envelope sender's or, if configured, the
 * From: domain, has a row in the table, (b) no spam verdict says spam and (c) an origin test
 * says the message came from us. Sender:, Return-Path, List-Id and the like never choose a
 * domain, and there is no wildcard row: relayed and forged mail stays unsigned.
 *
 * <p>A user's rule file may add rows with {@code sign: example.org}: the table's signatures
 * of that row are made too, whatever the checked domain, but only when the system file's
 * {@code grants:} gives that row to the user, and still only for spam-free mail that passes
 * an origin test. A request cannot remove or change a row's selector, key or d=; a request
 * the system file does not grant is refused before anything is decided
 * ({@link #refusals}), so it is never sent unsigned in silence.
 */
public final class SigningPolicy {
    private SigningPolicy() {
    }

    /** The verdict: the signatures to make (none when not signing) and why. */
    public record Decision(List<SignatureSpec> signatures, String reason) {
        public Decision {
            signatures = List.copyOf(signatures);
        }

        public boolean signs() {
            return !signatures.isEmpty();
        }

        static Decision no(String reason) {
            return new Decision(List.of(), reason);
        }
    }

    /**
     * @param senderDomain the envelope sender's domain; empty for the null sender
     * @param header the message's header fields, topmost first
     * @param environment the MTA's variables (SASL_USERNAME, CLIENT_ADDRESS)
     * @param spam whether a spam verdict says spam; spam is never signed
     */
    public static Decision decide(SigningConfig config, Optional<String> senderDomain,
            List<HeaderField> header, Map<String, String> environment, boolean spam) {
        return decide(config, senderDomain, header, environment, spam, List.of());
    }

    /**
     * As {@link #decide(SigningConfig, Optional, List, Map, boolean)}, with the rule file's
     * {@code sign:} domains, which {@link #refusals} must have passed.
     */
    public static Decision decide(SigningConfig config, Optional<String> senderDomain,
            List<HeaderField> header, Map<String, String> environment, boolean spam,
            List<String> requested) {
        if (spam) {
            return Decision.no("message is spam");
        }
        Optional<String> domain = config.checkFrom() ? fromDomain(header) : senderDomain;
        String source = config.checkFrom() ? "From: domain" : "envelope sender domain";
        Optional<SigningConfig.Rule> rule = domain.flatMap(d -> rowFor(config, d));
        List<String> asked = requested.stream().filter(config.domains()::containsKey)
                .filter(d -> rule.isEmpty() || !rule.get().senderDomain().equals(d)).toList();
        if (rule.isEmpty() && asked.isEmpty()) {
            return Decision.no(domain.isEmpty() ? "no " + source + " to check"
                    : source + " " + domain.get() + " is not in the signing table");
        }
        Optional<String> ours = origin(config.origin(), header, environment);
        if (ours.isEmpty()) {
            return Decision.no("not from us: no origin test passed (relayed or forged mail"
                    + " is never signed" + (asked.isEmpty() ? "" : ", sign: "
                    + String.join(", ", asked) + " granted but not used") + ")");
        }
        List<SignatureSpec> signatures = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (rule.isPresent()) {
            signatures.addAll(rule.get().signatures());
            why.add(source + " " + domain.get() + " is in the signing table as "
                    + rule.get().senderDomain());
        }
        for (String row : asked) {
            signatures.addAll(config.domains().get(row).signatures());
        }
        if (!asked.isEmpty()) {
            why.add("the rule file's sign: " + String.join(", ", asked)
                    + " is granted to this user");
        }
        why.add(ours.get());
        return new Decision(signatures, String.join("; ", why));
    }

    /**
     * Why a rule file's {@code sign:} request cannot be honoured: one problem per domain
     * the system file does not grant this user (or no signing section at all). Empty when
     * every requested domain is granted. {@code mailfwd check} prints these; delivery
     * defers on them, since the owner asked for signatures we cannot make.
     *
     * @param config the signing section; empty when the system file has none
     * @param systemFile the system file, named in the problems
     * @param login the user the delivery runs for, see {@link #login}
     */
    public static List<String> refusals(Optional<SigningConfig> config, String systemFile,
            Optional<String> login, List<String> requested) {
        List<String> problems = new ArrayList<>();
        for (String domain : requested) {
            if (config.isEmpty()) {
                problems.add("sign: " + domain + " is not granted: " + systemFile
                        + " has no signing: section");
            } else if (login.isEmpty()) {
                problems.add("sign: " + domain + " is not granted: the user is unknown"
                        + " (no name for this uid, no USER or LOGNAME)");
            } else if (!config.get().grantedTo(login.get()).contains(domain)) {
                problems.add("sign: " + domain + " is not granted to user " + login.get()
                        + " by " + systemFile + " (signing: grants:; ask the administrator)");
            }
        }
        return problems;
    }

    /**
     * The login name grants are looked up by: the name of the uid we run as, which the
     * environment cannot fake; USER, then LOGNAME, only when the password database has no
     * name for the uid (a container user, say). Under every MTA they agree anyway: each
     * runs a delivery command as the recipient with USER set to that login.
     */
    public static Optional<String> login(Map<String, String> environment) {
        String uid = System.getProperty("user.name", "");
        if (!uid.isBlank() && !uid.equals("?")) {
            return Optional.of(uid);
        }
        for (String variable : List.of("USER", "LOGNAME")) {
            String name = environment.get(variable);
            if (name != null && !name.isBlank()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static Optional<SigningConfig.Rule> rowFor(SigningConfig config, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        SigningConfig.Rule exact = config.domains().get(d);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
            SigningConfig.Rule parent = config.domains().get(d.substring(dot + 1));
            if (parent != null && parent.subdomains()) {
                return Optional.of(parent);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> origin(SigningConfig.Origin origin, List<HeaderField> header,
            Map<String, String> environment) {
        if (origin.allMail()) {
            return Optional.of("origin: all_mail is set");
        }
        String sasl = environment.get("SASL_USERNAME");
        if (origin.sasl() && sasl != null && !sasl.isBlank()) {
            return Optional.of("origin: client authenticated (SASL_USERNAME)");
        }
        String client = environment.get("CLIENT_ADDRESS");
        if (client != null) {
            for (Cidr network : origin.trustedNetworks()) {
                if (network.contains(client)) {
                    return Optional.of("origin: CLIENT_ADDRESS in trusted networks");
                }
            }
        }
        if (origin.authservId().isPresent() && ownAuthentication(header,
                origin.authservId().get())) {
            return Optional.of("origin: Authentication-Results of " + origin.authservId().get()
                    + " says auth=pass");
        }
        return Optional.empty();
    }

    /**
     * RFC 8601: only the topmost Authentication-Results field can be our own server's; any
     * lower one came with the message and may be forged. It counts only if it is ours and
     * reports SMTP AUTH success (auth=pass).
     */
    private static boolean ownAuthentication(List<HeaderField> header, String authservId) {
        Optional<HeaderField> topmost = header.stream()
                .filter(f -> f.hasName("Authentication-Results")).findFirst();
        if (topmost.isEmpty()) {
            return false;
        }
        String value = topmost.get().value().replaceAll("\\([^)]*\\)", " ").strip();
        String id = value.split("[;\\s]", 2)[0].toLowerCase(Locale.ROOT);
        return id.equals(authservId)
                && value.toLowerCase(Locale.ROOT).matches("(?s).*;\\s*auth\\s*=\\s*pass\\b.*");
    }

    /** The domain of the one From: address; empty when there is not exactly one. */
    static Optional<String> fromDomain(List<HeaderField> header) {
        List<HeaderField> froms = header.stream().filter(f -> f.hasName("From")).toList();
        if (froms.size() != 1) {
            return Optional.empty();
        }
        String value = froms.get(0).value().replaceAll("\"([^\"\\\\]|\\\\.)*\"", "")
                .replaceAll("\\([^)]*\\)", "");
        int open = value.lastIndexOf('<');
        String address = open >= 0 ? value.substring(open + 1, Math.max(open + 1,
                value.indexOf('>', open))) : value;
        if (address.contains(",")) {
            return Optional.empty();
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return domain.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") ? Optional.of(domain)
                : Optional.empty();
    }
}
