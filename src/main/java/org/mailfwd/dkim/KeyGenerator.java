package org.mailfwd.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Makes a signing key pair: the private key as PKCS#8 PEM created with mode 0600 from the
 * start (never widened and then narrowed), and the DNS TXT record that publishes the public
 * key. RSA keys are 2048 bits, the size RFC 8301 asks verifiers to accept everywhere.
 */
public final class KeyGenerator {
    static final int RSA_BITS = 2048;
    /** An X.509 Ed25519 public key is a 12-byte prefix and the 32 raw key bytes. */
    private static final int ED25519_RAW = 32;

    private KeyGenerator() {
    }

    /** The key files written and the record to publish. */
    public record Result(Path privateKey, Path publicKey, String dnsName, String txt) {
    }

    /**
     * Writes {@code selector.private} and {@code selector.txt} into {@code dir}; refuses to
     * overwrite an existing key.
     *
     * @throws IOException when a file exists or cannot be written
     */
    public static Result generate(String domain, String selector, DkimAlgorithm algorithm,
            Path dir) throws IOException {
        SignatureSpec checked = new SignatureSpec(domain, selector, dir, algorithm);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyAlgorithm());
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                generator.initialize(RSA_BITS);
            }
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a " + algorithm + " key: " + e.getMessage(), e);
        }
        // Like ssh-keygen, make the directory the admin named, private to its owner.
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        Path privateFile = dir.resolve(checked.selector() + ".private");
        Path txtFile = dir.resolve(checked.selector() + ".txt");
        if (Files.exists(privateFile) || Files.exists(txtFile)) {
            throw new FileAlreadyExistsException(privateFile.toString(), null,
                    "a key for this selector exists; choose a new selector");
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.write(privateFile, pem.getBytes(StandardCharsets.US_ASCII));
        String name = checked.selector() + "._domainkey." + checked.domain();
        String txt = txtRecord(pair.getPublic(), algorithm);
        Files.writeString(txtFile, zoneLine(name, txt), StandardCharsets.US_ASCII);
        return new Result(privateFile, txtFile, name, txt);
    }

    /** The TXT value "v=DKIM1; k=...; p=..." (RFC 6376 section 3.6.1, RFC 8463). */
    public static String txtRecord(PublicKey key, DkimAlgorithm algorithm) {
        byte[] encoded = key.getEncoded();
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            encoded = Arrays.copyOfRange(encoded, encoded.length - ED25519_RAW, encoded.length);
        }
        return "v=DKIM1; k=" + algorithm.dnsKeyType() + "; p="
                + Base64.getEncoder().encodeToString(encoded);
    }

    /**
     * A zone-file line; the value is cut into quoted strings of at most 255 characters,
     * since one TXT character-string cannot be longer (RFC 1035 section 3.3).
     */
    public static String zoneLine(String name, String txt) {
        StringBuilder line = new StringBuilder(name).append(". IN TXT (");
        for (int i = 0; i < txt.length(); i += 255) {
            line.append(" \"").append(txt, i, Math.min(txt.length(), i + 255)).append('"');
        }
        return line.append(" )\n").toString();
    }
}
