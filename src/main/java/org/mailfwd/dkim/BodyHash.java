package org.mailfwd.dkim;

import java.io.IOException;

/**
 * A DKIM body hash being computed: the body, as stored, through {@link BodyCanonicalizer}
 * into a SHA-256 digest from {@link Crypto}.
 */
final class BodyHash {
    private final Sha256 digest;
    private final BodyCanonicalizer canonical;

    /** @param relaxed relaxed body canonicalization, else simple */
    BodyHash(boolean relaxed, Sha256 digest) {
        this.digest = digest;
        this.canonical = new BodyCanonicalizer(relaxed, digest.stream());
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        canonical.write(bytes, off, len);
    }

    /** Gives up a hash that was not finished. */
    void close() {
        digest.close();
    }

    /** Ends the body and returns the hash, the bh= value before base64. */
    byte[] finish() throws IOException {
        canonical.close();
        return digest.finish();
    }
}
