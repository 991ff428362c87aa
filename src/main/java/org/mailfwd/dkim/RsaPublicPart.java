package org.mailfwd.dkim;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The public half (modulus and exponent) of an RSA private key file, read from its DER the
 * way the JDK reads the file, and the check that a signature was made with that key.
 *
 * <p>It exists for {@link OpensslCrypto}: openssl parses the key file itself, and a file that
 * holds more than one key, or one the JDK reads otherwise (a stray character in the base64
 * that the JDK skips and openssl does not), could make it sign with another key than the one
 * {@code mailfwd check} checked and the DNS publishes. So every openssl signature is opened
 * with this public half before it is used: it must decode to a PKCS#1 v1.5 block for a
 * SHA-256 digest, which only the matching private key can make. Opening costs 17 modular
 * multiplications (e = 65537), against the thousands a signature takes.
 *
 * <p>Only the structure is read here, no key is trusted because of it: a file this reader
 * does not understand simply is not handed to openssl, and the JDK signs or refuses it.
 */
final class RsaPublicPart {
    /** OID 1.2.840.113549.1.1.1, rsaEncryption, as its DER body. */
    private static final byte[] RSA_ENCRYPTION = {
        0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** DigestInfo of SHA-256 up to the digest itself (RFC 8017 section 9.2, note 1). */
    private static final byte[] SHA256_DIGEST_INFO = {
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
        0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    private static final int SHA256_BYTES = 32;
    /** d, p, q, dP, dQ and qInv, after version, n and e (RFC 8017 appendix A.1.2). */
    private static final int PRIVATE_INTEGERS = 6;
    /** RFC 8017: at least eight 0xff bytes of padding. */
    private static final int MIN_PADDING = 8;

    private final BigInteger modulus;
    private final BigInteger exponent;

    private RsaPublicPart(BigInteger modulus, BigInteger exponent) {
        this.modulus = modulus;
        this.exponent = exponent;
    }

    /**
     * From PKCS#8 DER as the JDK would be given it; empty unless it is, read strictly, one
     * rsaEncryption key (PKCS#8 version 0 around a two-prime PKCS#1 key, nothing after
     * either) of at least 1024 bits. Strict on purpose: whatever this reads, the JDK reads
     * the same way, so a file it refuses merely goes to the JDK.
     */
    static Optional<RsaPublicPart> of(byte[] pkcs8) {
        try {
            Der whole = new Der(pkcs8, 0, pkcs8.length);
            Der info = whole.sequence();
            whole.end();
            if (info.integer().signum() != 0) {
                return Optional.empty();
            }
            Der algorithm = info.sequence();
            if (!Arrays.equals(algorithm.oid(), RSA_ENCRYPTION)) {
                return Optional.empty();
            }
            algorithm.optionalNull();
            algorithm.end();
            byte[] pkcs1 = info.octetString();
            info.end();
            Der inner = new Der(pkcs1, 0, pkcs1.length);
            Der key = inner.sequence();
            inner.end();
            if (key.integer().signum() != 0) {
                return Optional.empty(); // version 1 is multi-prime
            }
            BigInteger modulus = key.integer();
            BigInteger exponent = key.integer();
            for (int i = 0; i < PRIVATE_INTEGERS; i++) {
                key.integer();
            }
            key.end();
            if (modulus.signum() <= 0 || exponent.signum() <= 0
                    || modulus.bitLength() < KeyFiles.MIN_RSA_BITS) {
                return Optional.empty();
            }
            return Optional.of(new RsaPublicPart(modulus, exponent));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code signature} is an RSA PKCS#1 v1.5 SHA-256 signature by this key. */
    boolean opens(byte[] signature) {
        int size = (modulus.bitLength() + 7) / 8;
        if (signature.length != size) {
            return false;
        }
        BigInteger s = new BigInteger(1, signature);
        if (s.compareTo(modulus) >= 0) {
            return false;
        }
        byte[] block = toBytes(s.modPow(exponent, modulus), size);
        int digestInfo = size - SHA256_DIGEST_INFO.length - SHA256_BYTES;
        if (block[0] != 0x00 || block[1] != 0x01 || block[digestInfo - 1] != 0x00
                || digestInfo - 3 < MIN_PADDING) {
            return false;
        }
        for (int i = 2; i < digestInfo - 1; i++) {
            if (block[i] != (byte) 0xff) {
                return false;
            }
        }
        return Arrays.equals(block, digestInfo, digestInfo + SHA256_DIGEST_INFO.length,
                SHA256_DIGEST_INFO, 0, SHA256_DIGEST_INFO.length);
    }

    private static byte[] toBytes(BigInteger value, int size) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
        return out;
    }

    /** A strict reader of the few DER forms a key file has; throws on anything else. */
    private static final class Der {
        private static final int SEQUENCE = 0x30;
        private static final int INTEGER = 0x02;
        private static final int NULL = 0x05;
        private static final int OCTET_STRING = 0x04;
        private static final int OID = 0x06;

        private final byte[] bytes;
        private int pos;
        private final int end;

        Der(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        /** Refuses anything left over. */
        void end() {
            if (pos != end) {
                throw new IllegalArgumentException("bytes after the DER value");
            }
        }

        /** Skips the NULL that an AlgorithmIdentifier's parameters may be. */
        void optionalNull() {
            if (pos < end && (bytes[pos] & 0xff) == NULL) {
                if (header(NULL) != 0) {
                    throw new IllegalArgumentException("NULL with content");
                }
            }
        }

        Der sequence() {
            int length = header(SEQUENCE);
            Der inner = new Der(bytes, pos, pos + length);
            pos += length;
            return inner;
        }

        BigInteger integer() {
            int length = header(INTEGER);
            if (length == 0) {
                throw new IllegalArgumentException("empty INTEGER");
            }
            BigInteger value = new BigInteger(Arrays.copyOfRange(bytes, pos, pos + length));
            pos += length;
            return value;
        }

        byte[] octetString() {
            return body(OCTET_STRING);
        }

        byte[] oid() {
            return body(OID);
        }

        private byte[] body(int tag) {
            int length = header(tag);
            byte[] value = Arrays.copyOfRange(bytes, pos, pos + length);
            pos += length;
            return value;
        }

        /** Reads a tag and a definite length; returns the length, checked to fit. */
        private int header(int tag) {
            need(2);
            if ((bytes[pos++] & 0xff) != tag) {
                throw new IllegalArgumentException("unexpected DER tag");
            }
            int first = bytes[pos++] & 0xff;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                need(count);
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = length << 8 | bytes[pos++] & 0xff;
                }
            }
            need(length);
            return length;
        }

        private void need(int count) {
            if (count < 0 || pos + count > end) {
                throw new IllegalArgumentException("truncated DER");
            }
        }
    }
}
