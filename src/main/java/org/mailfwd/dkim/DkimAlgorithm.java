package org.mailfwd.dkim;

import java.util.Locale;

/**
 * The signing algorithms mailfwd offers: RFC 6376 rsa-sha256 and RFC 8463 ed25519-sha256.
 * rsa-sha1 is left out on purpose (RFC 8301 forbids signing with it).
 */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "RSA", "rsa"),
    ED25519_SHA256("ed25519-sha256", "Ed25519", "ed25519");

    private final String tag;
    private final String keyAlgorithm;
    private final String dnsKeyType;

    DkimAlgorithm(String tag, String keyAlgorithm, String dnsKeyType) {
        this.tag = tag;
        this.keyAlgorithm = keyAlgorithm;
        this.dnsKeyType = dnsKeyType;
    }

    /**
     * Parses an a= value such as "rsa-sha256".
     *
     * @throws IllegalArgumentException naming the values that are accepted
     */
    public static DkimAlgorithm parse(String tag) {
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.tag.equals(tag.toLowerCase(Locale.ROOT))) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown DKIM algorithm \"" + tag
                + "\": use rsa-sha256 or ed25519-sha256");
    }

    /** The a= tag value. */
    public String tag() {
        return tag;
    }

    /** The JCA name of the key algorithm. */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The k= value of the DNS key record. */
    public String dnsKeyType() {
        return dnsKeyType;
    }

    @Override
    public String toString() {
        return tag;
    }
}
