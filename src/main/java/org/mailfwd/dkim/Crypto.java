package org.mailfwd.dkim;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Where a signature's hashing and private-key work is done: in openssl(1) when it is
 * installed ({@link OpensslCrypto}), else in the JDK ({@link JdkCrypto}). Both give the same
 * bytes: SHA-256 is SHA-256, and an RSA PKCS#1 v1.5 signature has no randomness in it.
 */
interface Crypto {
    /** Starts a SHA-256 digest, for a body hash. */
    Sha256 sha256() throws IOException;

    /**
     * Gets ready to sign with {@code key}. openssl starts here, so that it reads its key while
     * the body is being hashed.
     */
    Signer signer(DkimAlgorithm algorithm, SigningKey key) throws IOException;

    /** One signature to be made; closing an unused one gives it up. */
    interface Signer extends AutoCloseable {
        /**
         * Signs the canonicalized header data: RSA over its SHA-256 (rsa-sha256), or
         * Ed25519 over its SHA-256 digest (RFC 8463). Once only.
         */
        byte[] sign(byte[] data) throws IOException, GeneralSecurityException,
                SigningKeyException;

        @Override
        void close();
    }
}
