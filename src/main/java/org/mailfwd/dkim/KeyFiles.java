package org.mailfwd.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a private signing key: PEM ("PRIVATE KEY" = PKCS#8, "RSA PRIVATE KEY" = PKCS#1)
 * or the same structures in DER, and for Ed25519 also the bare base64 32-byte seed that
 * dkimpy's dknewkey writes. Like ssh, it refuses a key file that group or others may read
 * or write: a signing key that other local users can read lets them sign as us.
 */
public final class KeyFiles {
    /** RFC 8301: signers must use, and verifiers refuse anything below, 1024 bits. */
    static final int MIN_RSA_BITS = 1024;
    /** A 4096-bit RSA key in PEM is about 3.3 KB; anything far larger is not a key. */
    private static final long MAX_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> PRIVATE_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }, to wrap PKCS#1 into PKCS#8. */
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
        0x01, 0x01, 0x01, 0x05, 0x00};
    /**
     * RFC 8410 PKCS#8 for Ed25519 up to the seed: version 0, AlgorithmIdentifier
     * { id-Ed25519 }, and an OCTET STRING holding the 32-byte CurvePrivateKey OCTET STRING.
     */
    private static final byte[] ED25519_PKCS8_PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
        0x04, 0x20};
    private static final int ED25519_SEED_BYTES = 32;

    private KeyFiles() {
    }

    /**
     * Loads the key in {@code path} and checks that it is a key of {@code algorithm}.
     *
     * @throws SigningKeyException with a message that names the file and the fault
     */
    public static PrivateKey load(Path path, DkimAlgorithm algorithm)
            throws SigningKeyException {
        byte[] bytes = read(path);
        PrivateKey key = null;
        for (byte[] der : pkcs8(path, bytes, algorithm)) {
            key = decode(der, algorithm);
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            throw new SigningKeyException("key file " + path + " holds no " + algorithm
                    + " private key (PEM or DER, PKCS#1 or PKCS#8, unencrypted;"
                    + " Ed25519 also as a base64 seed)" + (!startsWith(bytes, "-----BEGIN")
                            && text.contains("-----BEGIN") ? "; it has text before its"
                            + " -----BEGIN line, which a PEM file must start with" : ""));
        }
        if (key instanceof RSAPrivateKey rsa
                && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new SigningKeyException("key file " + path + " holds a "
                    + rsa.getModulus().bitLength() + "-bit RSA key; DKIM verifiers refuse"
                    + " keys under " + MIN_RSA_BITS + " bits (RFC 8301): make a 2048-bit one"
                    + " with mailfwd dkim keygen");
        }
        return key;
    }

    /**
     * The checks {@link #load} makes before it parses: the file is private to its owner, not
     * a directory, small enough to be a key and, if PEM, not encrypted.
     *
     * @return the PKCS#8 DER that {@link #load} would give the JDK, in the order it tries
     * @throws SigningKeyException with a message that names the file and the fault
     */
    static List<byte[]> check(Path path, DkimAlgorithm algorithm) throws SigningKeyException {
        return pkcs8(path, read(path), algorithm);
    }

    /**
     * What the JDK is given for a key file, in order: a PEM file's first block (its label
     * says PKCS#1 or PKCS#8); a DER file as PKCS#8, then as PKCS#1; an Ed25519 seed made
     * PKCS#8.
     */
    private static List<byte[]> pkcs8(Path path, byte[] bytes, DkimAlgorithm algorithm)
            throws SigningKeyException {
        if (startsWith(bytes, "-----BEGIN")) {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            byte[] body = pemBody(path, text);
            boolean pkcs1 = text.indexOf("-----BEGIN RSA PRIVATE KEY-----")
                    == text.indexOf("-----BEGIN");
            return List.of(pkcs1 ? pkcs1ToPkcs8(body) : body);
        }
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            return List.of(ed25519Seed(bytes).map(KeyFiles::ed25519Pkcs8).orElse(bytes));
        }
        return List.of(bytes, pkcs1ToPkcs8(bytes)); // DER may be PKCS#1 as well
    }

    private static byte[] read(Path path) throws SigningKeyException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            if (!PRIVATE_ONLY.containsAll(mode)) {
                throw new SigningKeyException("key file " + path + " is accessible by group or"
                        + " others (mode " + octal(mode) + "); run chmod 600 on it");
            }
            if (Files.isDirectory(path)) {
                throw new SigningKeyException("key file " + path + " is a directory");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new SigningKeyException("key file " + path + " is too large for a key");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SigningKeyException("key file " + path + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new SigningKeyException("key file " + path + ": permission denied", e);
        } catch (UnsupportedOperationException e) {
            throw new SigningKeyException("key file " + path + ": file system has no"
                    + " POSIX permissions to check", e);
        } catch (IOException e) {
            throw new SigningKeyException("key file " + path + ": cannot read: "
                    + e.getMessage(), e);
        }
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission permission : mode) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", bits);
    }

    private static byte[] pemBody(Path path, String text) throws SigningKeyException {
        int begin = text.indexOf("-----BEGIN");
        int start = text.indexOf('\n', begin);
        int end = text.indexOf("-----END", start < 0 ? 0 : start);
        if (start < 0 || end < 0) {
            throw new SigningKeyException("key file " + path + ": PEM without END line");
        }
        String body = text.substring(start + 1, end);
        if (body.contains("Proc-Type:") || text.contains("ENCRYPTED")) {
            throw new SigningKeyException("key file " + path + " is encrypted; mailfwd needs"
                    + " an unencrypted key");
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new SigningKeyException("key file " + path + ": bad base64 in PEM", e);
        }
    }

    private static PrivateKey decode(byte[] der, DkimAlgorithm algorithm) {
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm.keyAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            return key.getAlgorithm().equalsIgnoreCase(algorithm.keyAlgorithm())
                    || algorithm == DkimAlgorithm.ED25519_SHA256
                    && key.getAlgorithm().equalsIgnoreCase("EdDSA") ? key : null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The 32-byte seed when the file is one line of base64 (dknewkey's format). */
    private static Optional<byte[]> ed25519Seed(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (text.length() != 44 || text.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        try {
            byte[] seed = Base64.getDecoder().decode(text);
            return seed.length == ED25519_SEED_BYTES ? Optional.of(seed)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] ed25519Pkcs8(byte[] seed) {
        byte[] der = new byte[ED25519_PKCS8_PREFIX.length + seed.length];
        System.arraycopy(ED25519_PKCS8_PREFIX, 0, der, 0, ED25519_PKCS8_PREFIX.length);
        System.arraycopy(seed, 0, der, ED25519_PKCS8_PREFIX.length, seed.length);
        return der;
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING pkcs1 }. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(RSA_ALGORITHM_ID);
        inner.write(0x04);
        writeLength(inner, pkcs1.length);
        inner.writeBytes(pkcs1);
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        outer.write(0x30);
        writeLength(outer, inner.size());
        outer.writeBytes(inner.toByteArray());
        return outer.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8 & 0xff);
            out.write(length & 0xff);
        }
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length - i < p.length) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (bytes[i + k] != p[k]) {
                return false;
            }
        }
        return true;
    }
}
