package org.mailfwd.dkim;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.impl.BodyHasherImpl;

/**
 * jDKIM's body hasher with its one body bug fixed: relaxed canonicalization of a body that
 * has nothing but blanks and line ends (an empty body included) must hash the empty string
 * (RFC 6376 section 3.4.4 with erratum 1384), but jDKIM hashes a CRLF, so every verifier
 * would fail the signature. This class watches the bytes going in and, for such a body,
 * reports the digest of nothing; any other body keeps jDKIM's digest.
 */
final class EmptyBodyHasher extends BodyHasherImpl {
    private final boolean relaxed;
    private final OutputStream watched;
    private boolean content;

    EmptyBodyHasher(SignatureRecord record) throws PermFailException {
        super(record);
        this.relaxed = SignatureRecord.RELAXED.equals(record.getBodyCanonicalisationMethod());
        this.watched = new FilterOutputStream(super.getOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                note(b);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = off; i < off + len && !content; i++) {
                    note(b[i]);
                }
                out.write(b, off, len);
            }
        };
    }

    private void note(int b) {
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
            content = true;
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return watched;
    }

    @Override
    public byte[] getDigest() {
        if (!relaxed || content) {
            return super.getDigest();
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
