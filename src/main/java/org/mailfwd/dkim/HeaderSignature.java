package org.mailfwd.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * The signature over a DKIM header hash, in the shape jDKIM's header canonicalization feeds:
 * it decodes {@link HeaderText} escapes back into raw bytes, keeps them (the header data is
 * a few kilobytes), and has a {@link Crypto.Signer} sign them at the end.
 *
 * <p>It is made with {@code new} and never registered as a JCA provider: registering one
 * made the JDK load and list every installed provider first, about 8 ms of a signed forward
 * (docs/performance.md). It takes its key at construction; {@link #initSign} is not used.
 */
final class HeaderSignature extends Signature {
    private final Crypto.Signer signer;
    private final HeaderText.Decoder decoder = new HeaderText.Decoder();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    HeaderSignature(DkimAlgorithm algorithm, Crypto.Signer signer) {
        super("mailfwd " + algorithm.tag());
        this.signer = signer;
        // Signature.update refuses bytes before a signature is "initialized"; this puts it in
        // the signing state without a JCA key, which it never needs.
        state = SIGN;
    }

    /**
     * Signs what was fed in.
     *
     * @throws IOException when openssl failed (an {@link OpensslCrypto.Failure})
     * @throws SigningKeyException when the JDK cannot use the key
     */
    byte[] signData() throws IOException, GeneralSecurityException, SigningKeyException {
        return signer.sign(data.toByteArray());
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        throw new InvalidKeyException("the key is given when the signature is made");
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
        try {
            data.writeBytes(decoder.decode(b, off, len));
        } catch (IllegalStateException e) {
            throw new SignatureException(e.getMessage());
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        throw new SignatureException("use signData()");
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
