package org.mailfwd.dkim;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * The signature over a DKIM header hash: decodes {@link HeaderText} escapes back into raw
 * bytes, then hashes and signs them with the JDK's own RSA or Ed25519.
 *
 * <p>It is made with {@code new}, never found through the JCA provider list. Registering a
 * provider of our own made the JDK load and list every installed provider first, about
 * 8 ms of a signed forward (docs/performance.md); asking for SHA256withRSA by name loads
 * only the providers up to the first that has it (SUN, then SunRsaSign).
 *
 * <p>Ed25519 follows RFC 8463: ed25519-sha256 is PureEdDSA over the SHA-256 digest of the
 * canonicalized header data, so the bytes are hashed with SHA-256 and the 32-byte digest is
 * signed. jDKIM's canonicalization stays the only one.
 */
final class HeaderSignature extends Signature {
    private final DkimAlgorithm algorithm;
    private final HeaderText.Decoder decoder = new HeaderText.Decoder();
    private PrivateKey key;
    private Signature rsa;
    private MessageDigest sha256;

    HeaderSignature(DkimAlgorithm algorithm) {
        super("mailfwd " + algorithm.tag());
        this.algorithm = algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        key = privateKey;
        try {
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(privateKey);
            } else {
                sha256 = MessageDigest.getInstance("SHA-256");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidKeyException(algorithm.tag() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("mailfwd only signs");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        engineUpdate(new byte[] {b}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        byte[] raw;
        try {
            raw = decoder.decode(b, off, len);
        } catch (IllegalStateException e) {
            throw new SignatureException(e.getMessage());
        }
        if (rsa != null) {
            rsa.update(raw);
        } else {
            sha256.update(raw);
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        if (rsa != null) {
            return rsa.sign();
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(key);
            ed25519.update(sha256.digest());
            return ed25519.sign();
        } catch (GeneralSecurityException e) {
            throw new SignatureException(algorithm.tag() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("mailfwd only signs");
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no parameters");
    }
}
