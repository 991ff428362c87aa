package org.mailfwd.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.delivery.DeliveryRequest;
import org.mailfwd.delivery.Mta;
import org.mailfwd.text.Printable;

/**
 * The command line of a delivery. Parsed by hand: an annotated CLI library costs about
 * 140 ms at every start (NOTES-libraries), and every message starts us.
 *
 * <p>An option's value is always the next argument, taken as it is, so a sender such as
 * "-x@example.com" from Postfix's pipe(8) is a value, never an option.
 */
record Options(
        boolean help,
        boolean version,
        boolean dryRun,
        boolean json,
        Optional<Path> rules,
        Optional<Path> config,
        Optional<String> sender,
        Optional<String> recipient,
        Optional<Path> sendmail,
        Optional<Path> log,
        Optional<Mta> mta,
        boolean allowRoot) {

    static final String USAGE = """
            usage: mailfwd [options]           deliver the message on stdin
                   mailfwd --dry-run [--json]  show what would be done; send nothing
                   mailfwd check [--config FILE] [RULEFILE]
                                               check the rule file, system file and signing keys
                   mailfwd sign --domain D --selector S --key FILE [--algorithm A]
                                               DKIM-sign stdin to stdout (an outbound filter)
                   mailfwd dkim keygen --domain D --selector S [--algorithm A] [--out DIR]
                                               make a signing key (mode 0600) and its DNS record

            options:
              --rules FILE        rule file (default: $HOME/.mailfwd.yaml)
              --config FILE       system file, signing: included (default: /etc/mailfwd/config.yaml)
              --sender ADDR       envelope sender; beats SENDER, From_ line and Return-Path
              --recipient ADDR    address this delivery is for (default: $RECIPIENT)
              --sendmail PATH     sendmail program (default: /usr/sbin/sendmail)
              --mta NAME          auto, qmail, postfix, exim or sendmail (default: auto)
              --log FILE          log file (default: $HOME/.mailfwd.log)
              --dry-run           print envelope, argv, header edits and DKIM decision; send nothing
              --allow-root        deliver even when run as root (refused otherwise)
              --json              with --dry-run: one JSON object
              --version           print the version
              --help              print this text; mailfwd sign --help, mailfwd dkim keygen --help

            exit status: 0 sent; 75 (qmail: 111) try again later; 65 or 77 (qmail: 100) bounce
            """;

    static Options parse(String[] args) throws UsageException {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (!name.startsWith("-")) {
                throw new UsageException("unexpected argument " + Printable.of(name, 100));
            }
            if (isFlag(name)) {
                if (inline != null) {
                    throw new UsageException(name + " takes no value");
                }
                b.flag(name);
                continue;
            }
            if (!takesValue(name)) {
                throw new UsageException("unknown option " + Printable.of(name, 100));
            }
            if (inline == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                inline = args[++i];
            }
            b.value(name, inline);
        }
        return b.build();
    }

    private static boolean isFlag(String name) {
        return switch (name) {
            case "--help", "-h", "--version", "--dry-run", "-n", "--json", "--allow-root" ->
                    true;
            default -> false;
        };
    }

    /** install.sh's launcher keeps the same list, to tell --help from a value "--help". */
    private static boolean takesValue(String name) {
        return switch (name) {
            case "--rules", "--config", "--sender", "--recipient", "--sendmail", "--log",
                    "--mta" -> true;
            default -> false;
        };
    }

    DeliveryRequest request(Map<String, String> environment) {
        return new DeliveryRequest(rules, config, sender, recipient, sendmail, log, mta,
                environment);
    }

    private static final class Builder {
        boolean help;
        boolean version;
        boolean dryRun;
        boolean json;
        boolean allowRoot;
        Optional<Path> rules = Optional.empty();
        Optional<Path> config = Optional.empty();
        Optional<String> sender = Optional.empty();
        Optional<String> recipient = Optional.empty();
        Optional<Path> sendmail = Optional.empty();
        Optional<Path> log = Optional.empty();
        Optional<Mta> mta = Optional.empty();
        final Set<String> given = new HashSet<>();

        void flag(String name) {
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                case "--dry-run", "-n" -> dryRun = true;
                case "--allow-root" -> allowRoot = true;
                default -> json = true;
            }
        }

        void value(String name, String value) throws UsageException {
            // Last-wins would let a second --sender quietly replace the one the MTA gave.
            if (!given.add(name)) {
                throw new UsageException(name + " is given more than once");
            }
            switch (name) {
                case "--rules" -> rules = Optional.of(path(name, value));
                case "--config" -> config = Optional.of(path(name, value));
                case "--sender" -> sender = Optional.of(value);
                case "--recipient" -> recipient = Optional.of(value);
                case "--sendmail" -> sendmail = Optional.of(path(name, value));
                case "--log" -> log = Optional.of(path(name, value));
                case "--mta" -> mta = mta(value);
                default -> throw new UsageException("unknown option " + name);
            }
        }

        private static Optional<Mta> mta(String value) throws UsageException {
            try {
                return Mta.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mta must be auto, qmail, postfix, exim or sendmail");
            }
        }

        private static Path path(String name, String value) throws UsageException {
            if (value.isEmpty() || value.indexOf('\0') >= 0) {
                throw new UsageException(name + " needs a file name");
            }
            return Path.of(value);
        }

        Options build() throws UsageException {
            if (json && !dryRun) {
                throw new UsageException("--json goes with --dry-run");
            }
            return new Options(help, version, dryRun, json, rules, config, sender, recipient,
                    sendmail, log, mta, allowRoot);
        }
    }
}
