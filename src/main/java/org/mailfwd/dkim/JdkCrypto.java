package org.mailfwd.dkim;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;

/**
 * Signing with the JDK's own providers. Always there, and the reference the openssl path
 * falls back to; slow in a fresh JVM (see {@link OpensslCrypto}).
 */
final class JdkCrypto implements Crypto {
    @Override
    public Sha256 sha256() {
        MessageDigest digest = newSha256();
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
            }
        };
        return new Sha256() {
            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public byte[] finish() {
                return digest.digest();
            }
        };
    }

    @Override
    public Signer signer(DkimAlgorithm algorithm, SigningKey key) {
        return new Signer() {
            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException,
                    SigningKeyException {
                return JdkCrypto.sign(algorithm, key, data);
            }

            @Override
            public void close() {
            }
        };
    }

    static byte[] sign(DkimAlgorithm algorithm, SigningKey key, byte[] data)
            throws GeneralSecurityException, SigningKeyException {
        if (algorithm == DkimAlgorithm.RSA_SHA256) {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.jdkKey());
            rsa.update(data);
            return rsa.sign();
        }
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(key.jdkKey());
        ed25519.update(newSha256().digest(data));
        return ed25519.sign();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
