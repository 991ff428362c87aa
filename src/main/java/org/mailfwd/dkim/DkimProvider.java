package org.mailfwd.dkim;

import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.Map;

/**
 * The JCA signatures that jDKIM's signer asks for ("SHA256withRSA", "SHA256withED25519"),
 * offered only for {@link DkimPrivateKey}: every other key goes to the JDK's own providers,
 * so registering this provider first changes nothing for any other code.
 *
 * <p>Each signature decodes {@link HeaderText} escapes back into raw bytes before hashing.
 * The Ed25519 one implements RFC 8463: ed25519-sha256 is PureEdDSA over the SHA-256 digest
 * of the canonicalized header data, so it hashes with SHA-256 and signs the 32-byte digest
 * with the JDK's Ed25519. jDKIM's canonicalization stays the only one.
 */
final class DkimProvider extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "MailfwdDkim";

    private DkimProvider() {
        super(NAME, "1.0", "mailfwd DKIM signatures over jDKIM canonicalization");
        putService(new KeyBoundService(this, "SHA256withRSA", DkimAlgorithm.RSA_SHA256));
        putService(new KeyBoundService(this, "SHA256withED25519",
                DkimAlgorithm.ED25519_SHA256));
    }

    /** Puts the provider first, once per JVM. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new DkimProvider(), 1);
        }
    }

    private static final class KeyBoundService extends Provider.Service {
        private final DkimAlgorithm algorithm;

        KeyBoundService(Provider provider, String name, DkimAlgorithm algorithm) {
            super(provider, "Signature", name, SignatureSpi.class.getName(), null,
                    Map.of("SupportedKeyClasses", DkimPrivateKey.class.getName()));
            this.algorithm = algorithm;
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return parameter instanceof DkimPrivateKey key && key.dkimAlgorithm() == algorithm;
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            return new EscapedSignature(algorithm);
        }
    }

    /** Signs the decoded bytes; the real work is the JDK's. */
    static final class EscapedSignature extends SignatureSpi {
        private final DkimAlgorithm algorithm;
        private final HeaderText.Decoder decoder = new HeaderText.Decoder();
        private Signature rsa;
        private MessageDigest sha256;
        private PrivateKey key;

        EscapedSignature(DkimAlgorithm algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof DkimPrivateKey wrapped)
                    || wrapped.dkimAlgorithm() != algorithm) {
                throw new InvalidKeyException("not a mailfwd " + algorithm + " key");
            }
            key = wrapped.key();
            try {
                if (algorithm == DkimAlgorithm.RSA_SHA256) {
                    rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initSign(key);
                } else {
                    sha256 = MessageDigest.getInstance("SHA-256");
                }
            } catch (NoSuchAlgorithmException e) {
                throw new InvalidKeyException(e);
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
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new SignatureException("Ed25519: " + e.getMessage(), e);
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
}
