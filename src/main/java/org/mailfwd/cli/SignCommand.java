package org.mailfwd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.mailfwd.delivery.Mta;
import org.mailfwd.dkim.DkimAlgorithm;
import org.mailfwd.dkim.MessageSigner;
import org.mailfwd.dkim.SignatureSpec;
import org.mailfwd.dkim.Signatures;
import org.mailfwd.dkim.SigningKey;
import org.mailfwd.dkim.SigningKeyException;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;
import org.mailfwd.message.MessageTooLargeException;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.text.Printable;

/**
 * {@code mailfwd sign}: a filter for outbound pipelines (a qmail-remote wrapper, QMAILQUEUE,
 * a Postfix content filter). The message comes on stdin and goes to stdout with one
 * DKIM-Signature field added on top, and nothing else changed.
 *
 * <p>The contract that matters most: on any failure stdout gets nothing at all, stderr gets
 * one line that starts with an enhanced status code, and the exit status is 75, so the
 * pipeline defers the message rather than passing on half a message or an error text.
 * Everything is worked out before the first byte is written.
 */
final class SignCommand {
    static final String USAGE = """
            usage: mailfwd sign --domain D --selector S --key FILE [--algorithm A]
                                [--canonicalization C] < message > signed

              --domain D            signing domain (d=); never taken from the message
              --selector S          selector (s=); the key is in DNS at S._domainkey.D
              --key FILE            private key: PEM (PKCS#1 or PKCS#8) or DER, mode 0600;
                                    Ed25519 also as dknewkey's base64 seed
              --algorithm A         rsa-sha256 (default) or ed25519-sha256
              --canonicalization C  header/body, each relaxed or simple (default
                                    relaxed/relaxed)

            exit status: 0 signed; 75 nothing written, try again later (reason on stderr)
            """;

    private SignCommand() {
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        SignatureSpec spec;
        try {
            spec = parse(args);
        } catch (UsageException e) {
            return fail(err, EnhancedStatus.CONFIGURATION, e.getMessage());
        }
        if (spec == null) {
            out.print(USAGE);
            return 0;
        }
        try (Message message = new MessageReader(MessageLimits.DEFAULT).read(stdin)) {
            if (message.fromLine().isPresent()) {
                return fail(err, EnhancedStatus.SYSTEM_TEMPORARY,
                        "message starts with an mbox From_ line; pass the bare message");
            }
            MessageSigner.Signing signing = new MessageSigner.Signing(spec,
                    SigningKey.open(spec.keyFile(), spec.algorithm()));
            ForwardedMessage signed = new ForwardedMessage(message);
            Signatures.addTo(signed, List.of(signing), System.currentTimeMillis() / 1000);
            try (InputStream bytes = signed.openStream()) {
                bytes.transferTo(out);
            }
            out.flush();
            return out.checkError() ? fail(err, EnhancedStatus.SYSTEM_TEMPORARY,
                    "write signed message: stdout failed") : 0;
        } catch (MessageTooLargeException e) {
            return fail(err, EnhancedStatus.SYSTEM_TEMPORARY, e.getMessage());
        } catch (SigningKeyException e) {
            return fail(err, EnhancedStatus.CONFIGURATION, e.getMessage());
        } catch (MessageSigner.SigningException e) {
            return fail(err, EnhancedStatus.SYSTEM_TEMPORARY, "cannot sign: " + e.getMessage());
        } catch (IOException e) {
            return fail(err, EnhancedStatus.SYSTEM_TEMPORARY, "read message: " + e.getMessage());
        } catch (RuntimeException e) {
            return fail(err, EnhancedStatus.SYSTEM_TEMPORARY, "internal error: " + e);
        }
    }

    /** The signature asked for, or null for --help. */
    private static SignatureSpec parse(String[] args) throws UsageException {
        String domain = null;
        String selector = null;
        Path key = null;
        DkimAlgorithm algorithm = DkimAlgorithm.RSA_SHA256;
        String canonicalization = SignatureSpec.DEFAULT_CANONICALIZATION;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name.startsWith("--") ? name + " needs a value"
                        : "unexpected argument " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--domain" -> domain = value;
                case "--selector" -> selector = value;
                case "--key" -> key = Path.of(value);
                case "--algorithm" -> algorithm = algorithm(value);
                case "--canonicalization" -> canonicalization = value;
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (domain == null || selector == null || key == null) {
            throw new UsageException("--domain, --selector and --key are required");
        }
        try {
            return new SignatureSpec(domain, selector, key, algorithm, canonicalization);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static DkimAlgorithm algorithm(String value) throws UsageException {
        try {
            return DkimAlgorithm.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static int fail(PrintStream err, EnhancedStatus status, String reason) {
        err.println(status + " " + Printable.of("mailfwd sign: " + reason));
        return Mta.EX_TEMPFAIL;
    }
}
