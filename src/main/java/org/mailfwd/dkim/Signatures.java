package org.mailfwd.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.mailfwd.message.ForwardedMessage;

/**
 * Adds DKIM-Signature fields on top of a message that is about to be handed off, signing
 * the header exactly as it will be handed off. All signatures are made before the first is
 * added, so a failure leaves the message as it was.
 */
public final class Signatures {
    static final String FIELD = "DKIM-Signature";

    private Signatures() {
    }

    /**
     * Signs {@code forwarded} with every signing, in one pass over the body, with openssl
     * when it is installed and with the JDK otherwise or when openssl fails.
     *
     * @param now seconds since the epoch, for t=
     * @return empty, or what the log should say about the signing: openssl failed and the
     *     JDK signed instead
     * @throws SigningKeyException when a key is unusable
     */
    public static Optional<String> addTo(ForwardedMessage forwarded,
            List<MessageSigner.Signing> signings, long now)
            throws IOException, MessageSigner.SigningException, SigningKeyException {
        return addTo(forwarded, signings, now, OpensslCrypto.installed());
    }

    /** The same, with {@code preferred} tried first (tests choose it). */
    static Optional<String> addTo(ForwardedMessage forwarded,
            List<MessageSigner.Signing> signings, long now, Optional<Crypto> preferred)
            throws IOException, MessageSigner.SigningException, SigningKeyException {
        List<String> values = null;
        Optional<String> note = Optional.empty();
        if (preferred.isPresent()) {
            try (InputStream body = bodyAfterSeparator(forwarded)) {
                values = MessageSigner.sign(forwarded.fields(), body, signings, now,
                        preferred.get());
            } catch (OpensslCrypto.Failure e) {
                note = Optional.of("openssl failed (" + e.getMessage() + "), the JDK signed");
            }
        }
        if (values == null) {
            try (InputStream body = bodyAfterSeparator(forwarded)) {
                values = MessageSigner.sign(forwarded.fields(), body, signings, now,
                        new JdkCrypto());
            }
        }
        for (int i = values.size() - 1; i >= 0; i--) {
            try {
                forwarded.prependFolded(FIELD, values.get(i));
            } catch (IllegalArgumentException e) {
                throw new MessageSigner.SigningException("signature field is unusable: "
                        + e.getMessage(), e);
            }
        }
        return note;
    }

    /**
     * What will sign with {@code key}, for {@code mailfwd check}: openssl, or the JDK and why,
     * found by signing a test text with openssl as a delivery would.
     */
    public static String cryptoFor(SigningKey key, DkimAlgorithm algorithm) {
        if (algorithm != DkimAlgorithm.RSA_SHA256) {
            return "the JDK (openssl is used for RSA only)";
        }
        Optional<Crypto> openssl = OpensslCrypto.installed();
        if (openssl.isEmpty()) {
            return "the JDK (no " + OpensslCrypto.DEFAULT
                    + "; apt-get install openssl makes signing about 25 ms faster)";
        }
        try {
            byte[] text = "mailfwd check".getBytes(StandardCharsets.US_ASCII);
            try (Crypto.Signer signer = openssl.get().signer(algorithm, key)) {
                signer.sign(text);
            }
            return OpensslCrypto.DEFAULT.toString();
        } catch (IOException | GeneralSecurityException | SigningKeyException e) {
            return "the JDK (" + e.getMessage() + ")";
        }
    }

    /**
     * The body as DKIM defines it: what follows the empty line that ends the header. The
     * message reader keeps that empty line at the start of its body; it is skipped here.
     */
    private static InputStream bodyAfterSeparator(ForwardedMessage forwarded)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(
                forwarded.message().body().openStream(), 1 << 16);
        in.mark(2);
        int first = in.read();
        if (first == '\r') {
            if (in.read() != '\n') {
                in.reset();
            }
        } else if (first != '\n' && first >= 0) {
            in.reset();
        }
        return in;
    }
}
