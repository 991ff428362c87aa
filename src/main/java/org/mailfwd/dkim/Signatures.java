package org.mailfwd.dkim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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
     * Signs {@code forwarded} with every signing, in one pass over the body.
     *
     * @param now seconds since the epoch, for t=
     * @return the message, now with the signatures on top
     */
    public static ForwardedMessage addTo(ForwardedMessage forwarded,
            List<MessageSigner.Signing> signings, long now)
            throws IOException, MessageSigner.SigningException {
        List<String> values;
        try (InputStream body = bodyAfterSeparator(forwarded)) {
            values = MessageSigner.sign(forwarded.headerBytes(), body, signings, now);
        }
        for (int i = values.size() - 1; i >= 0; i--) {
            try {
                forwarded.prependFolded(FIELD, values.get(i));
            } catch (IllegalArgumentException e) {
                throw new MessageSigner.SigningException("signature field is unusable: "
                        + e.getMessage(), e);
            }
        }
        return forwarded;
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
