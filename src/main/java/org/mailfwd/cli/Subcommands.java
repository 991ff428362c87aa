package org.mailfwd.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The commands other than delivery, named by the first argument. Delivery itself has no
 * name: it is what an MTA runs, as plain "mailfwd".
 */
final class Subcommands {
    /** sysexits(3) EX_USAGE: only for a person at a terminal, never on the delivery path. */
    static final int EX_USAGE = 64;

    private Subcommands() {
    }

    static boolean names(String[] args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err,
            Map<String, String> environment) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "sign" -> {
                return SignCommand.run(rest, stdin, out, err);
            }
            case "dkim" -> {
                return KeygenCommand.run(rest, out, err);
            }
            case "check" -> {
                return CheckCommand.run(rest, out, err, environment);
            }
            default -> {
                err.println("mailfwd: unknown command " + args[0] + " (see mailfwd --help)");
                return EX_USAGE;
            }
        }
    }
}
