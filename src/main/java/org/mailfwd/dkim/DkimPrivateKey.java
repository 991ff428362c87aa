package org.mailfwd.dkim;

import java.security.PrivateKey;

/**
 * A signing key as jDKIM gets it. jDKIM only passes the key on to the JCA signature it
 * asks for; the wrapper type is what makes the JCA choose {@link DkimProvider}'s signature
 * (which undoes {@link HeaderText} escaping and does Ed25519) and no other provider's.
 */
final class DkimPrivateKey implements PrivateKey {
    private static final long serialVersionUID = 1L;

    private final transient PrivateKey key;
    private final DkimAlgorithm algorithm;

    DkimPrivateKey(PrivateKey key, DkimAlgorithm algorithm) {
        this.key = key;
        this.algorithm = algorithm;
    }

    PrivateKey key() {
        return key;
    }

    DkimAlgorithm dkimAlgorithm() {
        return algorithm;
    }

    @Override
    public String getAlgorithm() {
        return key.getAlgorithm();
    }

    @Override
    public String getFormat() {
        // The wrapped key is never exported through the wrapper.
        return null;
    }

    @Override
    public byte[] getEncoded() {
        return null;
    }
}
