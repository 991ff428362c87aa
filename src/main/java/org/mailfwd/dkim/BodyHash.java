package org.mailfwd.dkim;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.james.jdkim.canon.RelaxedBodyCanonicalizer;
import org.apache.james.jdkim.canon.SimpleBodyCanonicalizer;

/**
 * A DKIM body hash being computed: jDKIM's body canonicalization (simple or relaxed, RFC
 * 6376 section 3.4.3 and 3.4.4) in front of a SHA-256 digest from {@link Crypto}. The body
 * must arrive with CRLF line ends.
 *
 * <p>It also fixes jDKIM's one body bug: relaxed canonicalization of a body that has nothing
 * but blanks and line ends (an empty body included) must hash the empty string (section
 * 3.4.4 with erratum 1384), but jDKIM's canonicalizer passes on a CRLF, so every verifier
 * would fail the signature. Such a body gets the digest of nothing.
 */
final class BodyHash {
    /** SHA-256 of no bytes at all (FIPS 180-4 test vector), as a constant: see above. */
    static final byte[] EMPTY_SHA256 = {
        (byte) 0xe3, (byte) 0xb0, (byte) 0xc4, 0x42, (byte) 0x98, (byte) 0xfc, 0x1c, 0x14,
        (byte) 0x9a, (byte) 0xfb, (byte) 0xf4, (byte) 0xc8, (byte) 0x99, 0x6f, (byte) 0xb9,
        0x24, 0x27, (byte) 0xae, 0x41, (byte) 0xe4, 0x64, (byte) 0x9b, (byte) 0x93, 0x4c,
        (byte) 0xa4, (byte) 0x95, (byte) 0x99, 0x1b, 0x78, 0x52, (byte) 0xb8, 0x55};

    private final boolean relaxed;
    private final Sha256 digest;
    private final OutputStream canonical;
    private boolean content;

    /** @param relaxed relaxed body canonicalization, else simple */
    BodyHash(boolean relaxed, Sha256 digest) {
        this.relaxed = relaxed;
        this.digest = digest;
        this.canonical = relaxed ? new RelaxedBodyCanonicalizer(digest.stream())
                : new SimpleBodyCanonicalizer(digest.stream());
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        for (int i = off; i < off + len && !content; i++) {
            byte b = bytes[i];
            content = b != ' ' && b != '\t' && b != '\r' && b != '\n';
        }
        canonical.write(bytes, off, len);
    }

    /** Ends the body and returns the hash, the bh= value before base64. */
    byte[] finish() throws IOException {
        // Closing the canonicalizer writes what it held back (the simple body's final CRLF);
        // the digest's own stream is left to finish(), which ends it.
        canonical.close();
        byte[] hash = digest.finish();
        return relaxed && !content ? EMPTY_SHA256.clone() : hash;
    }
}
