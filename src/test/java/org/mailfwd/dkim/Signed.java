package org.mailfwd.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** Test helper: signs raw message bytes the way delivery does and returns the result. */
final class Signed {
    static final String DOMAIN = "example.org";

    private Signed() {
    }

    static byte[] sign(byte[] message, List<SignatureSpec> specs) {
        try (Message read = new MessageReader(MessageLimits.DEFAULT)
                .read(new ByteArrayInputStream(message))) {
            List<MessageSigner.Signing> signings = new ArrayList<>();
            for (SignatureSpec spec : specs) {
                signings.add(new MessageSigner.Signing(spec,
                        KeyFiles.load(spec.keyFile(), spec.algorithm())));
            }
            ForwardedMessage signed = Signatures.addTo(new ForwardedMessage(read), signings,
                    System.currentTimeMillis() / 1000);
            try (InputStream in = signed.openStream()) {
                return in.readAllBytes();
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
