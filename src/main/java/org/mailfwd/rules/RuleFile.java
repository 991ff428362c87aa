package org.mailfwd.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.EnvelopeSender;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a per-user rule file (YAML 1.2) into a {@link RuleSet}, under the system file.
 *
 * <p>Every key and value is checked here, at load time, so that delivery never meets a bad
 * address or regular expression: all problems are collected and reported together, each
 * with file:line:column. A key that the system file locks is a problem too, so the owner
 * learns that it has no effect. The shorthand {@code forward: [address]} is one rule that
 * matches every message. {@code sign:} names the domains whose signatures the owner asks
 * for; whether the system file grants them is the DKIM signer's check, not this file's.
 */
public final class RuleFile {
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Settings.KEYS);
        keys.add("forward");
        keys.add("rules");
        keys.add("sign");
        keys.add("spam");
        KEYS = Set.copyOf(keys);
    }

    private final YamlFile file;
    private final Map<String, String> environment;
    private final SystemConfig system;

    private RuleFile(Path path, Map<String, String> environment, SystemConfig system) {
        this.file = new YamlFile(path);
        this.environment = environment;
        this.system = system;
    }

    /** Loads a rule file with no system file. */
    public static RuleSet load(Path path, Map<String, String> environment)
            throws RuleFileException {
        return load(path, environment, SystemConfig.none());
    }

    /**
     * Loads and checks a rule file.
     *
     * @param environment for HOME, which "~/" in paths stands for
     * @param system the system file's defaults and locks
     * @throws RuleFileException listing every problem found
     */
    public static RuleSet load(Path path, Map<String, String> environment, SystemConfig system)
            throws RuleFileException {
        return new RuleFile(path, environment, system).load();
    }

    private RuleSet load() throws RuleFileException {
        Optional<Node> root = file.compose();
        if (root.isEmpty()) {
            throw new RuleFileException(List.of(file.path()
                    + ": empty rule file (write at least forward: [you@example.net])"));
        }
        try {
            RuleSet ruleSet = read(root.get());
            file.throwIfProblems();
            return ruleSet;
        } catch (YamlFile.TooManyValues e) {
            throw file.tooMany(e);
        }
    }

    private RuleSet read(Node root) {
        Map<String, YamlFile.Entry> entries = file.mapping(root, YamlFile.TOP_LEVEL, KEYS);
        if (entries == null) {
            return null;
        }
        Settings own = new Settings();
        for (Map.Entry<String, YamlFile.Entry> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (Settings.KEYS.contains(key) && system.locked().contains(key)) {
                file.problem(entry.getValue().key(), key + " is locked by "
                        + system.path().map(Path::toString).orElse("the system file")
                        + " (remove it here; ask the administrator)");
            } else if (Settings.KEYS.contains(key)) {
                own.read(file, key, entry.getValue().value());
            }
        }
        Settings settings = own.under(system.settings());
        SpamSection spam = entries.containsKey("spam")
                ? SpamSection.read(file, entries.get("spam").value(), false) : new SpamSection();
        int maxTargets = settings.number("max_targets", RuleSet.DEFAULT_MAX_TARGETS);
        Optional<KeepTarget> mailbox = mailbox(settings);
        List<Rule> rules = new RuleReader(file, environment, maxTargets, mailbox)
                .rules(root, entries.get("forward"), entries.get("rules"));
        return new RuleSet(rules,
                settings.value("default", RuleSet.Default.class, RuleSet.Default.KEEP),
                mailbox, maxTargets,
                settings.path("sendmail", environment, file),
                settings.path("log", environment, file),
                Optional.ofNullable(settings.value("fallback_sender", EnvelopeSender.class,
                        null)),
                settings.number("max_received", RuleSet.DEFAULT_MAX_RECEIVED),
                Duration.ofSeconds(settings.number("sendmail_timeout",
                        (int) RuleSet.DEFAULT_SENDMAIL_TIMEOUT.toSeconds())),
                settings.smtp(environment, file),
                signRequests(entries.get("sign")),
                spam.under(system.spam()).settings(),
                settings.path("journal", environment, file),
                settings.number("max_message_size", 0));
    }

    /**
     * {@code sign: example.org} or a list of domains. Only names: the selector and the key
     * come from the system file's signing table, so a mapping here is refused.
     */
    private List<String> signRequests(YamlFile.Entry entry) {
        if (entry == null) {
            return List.of();
        }
        if (entry.value() instanceof MappingNode) {
            file.problem(entry.value(), "sign: takes domain names only; the selector and key"
                    + " come from the system file's signing table");
            return List.of();
        }
        List<String> domains = new ArrayList<>();
        for (Node item : file.items(entry.value())) {
            String text = file.text(item, "a domain to sign for");
            if (text == null) {
                continue;
            }
            String domain = text.strip().toLowerCase(Locale.ROOT);
            if (!isDomainName(domain)) {
                file.problem(item, "sign: \"" + text + "\" is not a domain name");
            } else if (!domains.contains(domain)) {
                domains.add(domain);
            }
        }
        return domains;
    }

    /**
     * A DNS name as a signing table row names it: two or more labels of letters, digits and
     * inner hyphens, no wildcard, no trailing dot. Checked by hand: the rules stay off
     * java.util.regex, which costs start-up time on every delivery.
     */
    static boolean isDomainName(String name) {
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2 || name.length() > 253) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-")
                    || label.endsWith("-")) {
                return false;
            }
            for (char c : label.toCharArray()) {
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The mailbox: setting, else ~/Maildir/ as qmail and Postfix setups commonly use;
     * empty when it needs HOME and HOME is not set (sendmail's prog mailer sets none): a
     * rule that keeps is then the problem ("keep: true needs mailbox: or HOME"), not the
     * setting, which the system file may give every user whether they keep or not.
     */
    private Optional<KeepTarget> mailbox(Settings settings) {
        String text = settings.value("mailbox", String.class, "~/Maildir/");
        return Settings.expand(text, environment)
                .map(path -> new KeepTarget(path, text.endsWith("/")));
    }
}
