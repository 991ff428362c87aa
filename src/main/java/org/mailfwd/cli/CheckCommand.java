package org.mailfwd.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.dkim.KeyFiles;
import org.mailfwd.dkim.SignatureSpec;
import org.mailfwd.dkim.Signatures;
import org.mailfwd.dkim.SigningConfig;
import org.mailfwd.dkim.SigningConfigFile;
import org.mailfwd.dkim.SigningKey;
import org.mailfwd.dkim.SigningKeyException;
import org.mailfwd.dkim.SigningPolicy;
import org.mailfwd.rules.RuleFile;
import org.mailfwd.rules.RuleFileException;
import org.mailfwd.rules.RuleSet;
import org.mailfwd.rules.SystemConfig;
import org.mailfwd.text.Printable;

/**
 * {@code mailfwd check [--config FILE] [RULEFILE]}: checks the system file and a rule file
 * exactly as a delivery would load them, and prints every problem as
 * {@code file:line:column: what (hint)}; the signing: section is checked by the DKIM
 * signer's own reader, every key it names is loaded as a delivery would, and the rule
 * file's {@code sign:} is checked against its grants. Exit 0 when both are usable, 1 when
 * not, 64 for a command line it does not understand.
 */
final class CheckCommand {
    static final String USAGE = "usage: mailfwd check [--config FILE] [RULEFILE]"
            + " (default: $HOME/.mailfwd.yaml)";

    private CheckCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err,
            Map<String, String> environment) {
        Optional<Path> config = Optional.empty();
        Optional<Path> rules = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Optional.of(Path.of(args[++i]));
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (args[i].startsWith("-") || rules.isPresent() || args[i].isEmpty()) {
                err.println("mailfwd check: unexpected argument " + args[i] + "; " + USAGE);
                return Subcommands.EX_USAGE;
            } else {
                rules = Optional.of(Path.of(args[i]));
            }
        }
        String home = environment.getOrDefault("HOME", "");
        if (rules.isEmpty() && home.isEmpty()) {
            err.println("mailfwd check: HOME is not set; name the rule file. " + USAGE);
            return Subcommands.EX_USAGE;
        }
        return check(config, rules.orElse(Path.of(home, ".mailfwd.yaml")), out, environment);
    }

    /**
     * A sendmail: that a file names but that cannot be run defers every delivery; the
     * built-in default is not checked, so a machine without an MTA can still check files.
     */
    private static Optional<String> sendmailProblem(RuleSet ruleSet) {
        if (ruleSet.smtp().isPresent() || ruleSet.sendmail().isEmpty()) {
            return Optional.empty();
        }
        Path program = ruleSet.sendmail().get();
        if (Files.isRegularFile(program)
                && Files.isExecutable(program)) {
            return Optional.empty();
        }
        return Optional.of("sendmail " + program + " cannot be run ("
                + (Files.exists(program) ? "not an executable file"
                        : "no such file; sendmail: takes a path only, no options") + ")");
    }

    private static int check(Optional<Path> config, Path rules, PrintStream out,
            Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        SystemConfig system = SystemConfig.none();
        try {
            system = SystemConfig.load(config.orElse(SystemConfig.DEFAULT_PATH),
                    config.isPresent());
        } catch (RuleFileException e) {
            problems.addAll(e.problems());
        }
        Optional<SigningConfig> signing = Optional.empty();
        boolean signingUsable = true;
        int unsignedKeyProblems = 0;
        if (system.signing().isPresent()) {
            // The signing: section is the DKIM signer's; it checks it the way delivery will.
            try {
                signing = SigningConfigFile.of(system.path().orElseThrow(), system.signing());
                if (signing.isPresent()) {
                    List<String> keys = keyProblems(signing.get(), notes);
                    problems.addAll(keys);
                    unsignedKeyProblems = signing.get().sendUnsigned() ? keys.size() : 0;
                }
            } catch (SigningConfigFile.ConfigException e) {
                problems.add(e.getMessage());
                signingUsable = false;
            }
        }
        try {
            RuleSet ruleSet = RuleFile.load(rules, environment, system);
            sendmailProblem(ruleSet).ifPresent(problem -> problems.add(rules + ": " + problem));
            if (signingUsable) {
                // A sign: request the system file does not grant would defer every message.
                problems.addAll(SigningPolicy.refusals(signing, system.path()
                        .orElse(SystemConfig.DEFAULT_PATH).toString(),
                        SigningPolicy.login(environment), ruleSet.signRequests()).stream()
                        .map(problem -> rules + ": " + problem).toList());
            }
        } catch (RuleFileException e) {
            problems.addAll(e.problems());
        }
        for (String problem : problems) {
            out.println(Printable.of(problem, 2000));
        }
        if (!problems.isEmpty()) {
            // Key problems under on_key_error: send-unsigned do not hold mail back.
            out.println(problems.size() + " problem(s); a delivery with these files would "
                    + (problems.size() == unsignedKeyProblems
                            ? "send the mail these keys should sign unsigned"
                            + " (on_key_error: send-unsigned)"
                            : "wait in the queue (temporary failure)"));
            return 1;
        }
        for (String note : notes) {
            out.println(Printable.of(note, 2000));
        }
        out.println(rules + ": ok" + system.path().map(p -> " (with " + p + ")").orElse(""));
        return 0;
    }

    /**
     * Loads every configured signing key the way a delivery does, so that a missing,
     * unreadable or group-readable key shows here instead of deferring every matching
     * message later. The text is the delivery's own. Readability depends on who runs the
     * check: run it as the user the MTA delivers as. Adds to {@code notes} what will sign
     * with each usable key (openssl, or the JDK and why).
     */
    private static List<String> keyProblems(SigningConfig signing, List<String> notes) {
        Set<SignatureSpec> seen = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (SigningConfig.Rule rule : signing.domains().values()) {
            seen.addAll(rule.signatures());
        }
        Set<Path> reported = new LinkedHashSet<>();
        for (SignatureSpec spec : seen) {
            try {
                KeyFiles.load(spec.keyFile(), spec.algorithm());
                notes.add("dkim: " + spec.describe() + " signs with " + Signatures.cryptoFor(
                        SigningKey.open(spec.keyFile(), spec.algorithm()), spec.algorithm()));
            } catch (SigningKeyException e) {
                if (reported.add(spec.keyFile())) {
                    problems.add("dkim: " + e.getMessage() + (signing.sendUnsigned()
                            ? " (on_key_error: send-unsigned: such mail goes unsigned)"
                            : ""));
                }
            }
        }
        return problems;
    }
}
