package org.mailfwd.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** Test helper: signs raw message bytes the way delivery does and returns the result. */
final class Signed {
    static final String DOMAIN = "example.org";

    private Signed() {
    }

    /** Signs as delivery does: with openssl when it is installed, else the JDK. */
    static byte[] sign(byte[] message, List<SignatureSpec> specs) {
        return sign(message, specs, OpensslCrypto.installed());
    }

    /** Signs with {@code crypto} first (empty: the JDK only). */
    static byte[] sign(byte[] message, List<SignatureSpec> specs, Optional<Crypto> crypto) {
        return signNoting(message, specs, crypto).signed();
    }

    /** A signed message and what the signing step would log about its crypto. */
    record Result(byte[] signed, Optional<String> note) {
    }

    static Result signNoting(byte[] message, List<SignatureSpec> specs,
            Optional<Crypto> crypto) {
        try (Message read = new MessageReader(MessageLimits.DEFAULT)
                .read(new ByteArrayInputStream(message))) {
            List<MessageSigner.Signing> signings = new ArrayList<>();
            for (SignatureSpec spec : specs) {
                signings.add(new MessageSigner.Signing(spec,
                        SigningKey.open(spec.keyFile(), spec.algorithm())));
            }
            ForwardedMessage signed = new ForwardedMessage(read);
            Optional<String> note = Signatures.addTo(signed, signings,
                    System.currentTimeMillis() / 1000, crypto);
            try (InputStream in = signed.openStream()) {
                return new Result(in.readAllBytes(), note);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SigningKeyException | MessageSigner.SigningException e) {
            throw new AssertionError(e);
        }
    }

    static SignatureSpec spec(Path dir, DkimAlgorithm algorithm, String canonicalization) {
        return new SignatureSpec(DOMAIN, selector(algorithm), TestKeys.writePem(dir, algorithm),
                algorithm, canonicalization);
    }

    static String selector(DkimAlgorithm algorithm) {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? "rsa2026" : "ed2026";
    }

    static String keys() {
        return TestKeys.dnsLine(DOMAIN, selector(DkimAlgorithm.RSA_SHA256),
                DkimAlgorithm.RSA_SHA256)
                + TestKeys.dnsLine(DOMAIN, selector(DkimAlgorithm.ED25519_SHA256),
                        DkimAlgorithm.ED25519_SHA256);
    }
}
