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
     * Signs the canonicalized header data as {@code algorithm} says: RSA over its SHA-256
     * (rsa-sha256), or Ed25519 over its SHA-256 digest (RFC 8463).
     */
    byte[] sign(DkimAlgorithm algorithm, SigningKey key, byte[] data)
            throws IOException, GeneralSecurityException, SigningKeyException;
}
