package org.mailfwd.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.mailfwd.dkim.DkimAlgorithm;
import org.mailfwd.dkim.KeyGenerator;
import org.mailfwd.text.Printable;

/**
 * {@code mailfwd dkim keygen}: makes a signing key pair for a domain and selector, writes
 * the private key with mode 0600 and prints the DNS TXT record to publish.
 */
final class KeygenCommand {
    static final String USAGE = """
            usage: mailfwd dkim keygen --domain D --selector S [--algorithm A] [--out DIR]

              --algorithm A   rsa-sha256 (default, 2048 bits) or ed25519-sha256
              --out DIR       where S.private and S.txt are written (default: .)
            """;

    private KeygenCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("keygen")) {
            err.print(USAGE);
            return Subcommands.EX_USAGE;
        }
        String domain = null;
        String selector = null;
        DkimAlgorithm algorithm = DkimAlgorithm.RSA_SHA256;
        Path dir = Path.of(".");
        try {
            for (int i = 1; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--domain" -> domain = value;
                    case "--selector" -> selector = value;
                    case "--algorithm" -> algorithm = SignCommand.algorithm(value);
                    case "--out" -> dir = Path.of(value);
                    default -> throw new UsageException("unknown option " + name);
                }
            }
            if (domain == null || selector == null) {
                throw new UsageException("--domain and --selector are required");
            }
            KeyGenerator.Result result = KeyGenerator.generate(domain, selector, algorithm, dir);
            out.println("private key: " + result.privateKey() + " (mode 0600)");
            out.println("publish this DNS record (also in " + result.publicKey() + "):");
            out.print(KeyGenerator.zoneLine(result.dnsName(), result.txt()));
            return 0;
        } catch (UsageException | IllegalArgumentException e) {
            err.println("mailfwd dkim keygen: " + Printable.of(e.getMessage())
                    + " (see mailfwd dkim keygen --help)");
            return Subcommands.EX_USAGE;
        } catch (IOException e) {
            err.println("mailfwd dkim keygen: " + Printable.of(e.toString()));
            return 1;
        }
    }
}
