package org.mailfwd.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Key pairs made once per test run, written as 0600 PEM files, with the DNS record line
 * ("selector._domainkey.domain TXT") that the external verifiers read instead of DNS.
 */
final class TestKeys {
    static final KeyPair RSA = generate("RSA");
    static final KeyPair ED25519 = generate("Ed25519");

    private TestKeys() {
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair pair(DkimAlgorithm algorithm) {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? RSA : ED25519;
    }

    /** Writes the private key as PKCS#8 PEM with mode 0600. */
    static Path writePem(Path dir, DkimAlgorithm algorithm) {
        try {
            Path file = dir.resolve(algorithm.tag() + ".pem");
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64,
                    new byte[] {'\n'}).encodeToString(pair(algorithm).getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fake DNS line for this key. */
    static String dnsLine(String domain, String selector, DkimAlgorithm algorithm) {
        return selector + "._domainkey." + domain + " "
                + KeyGenerator.txtRecord(pair(algorithm).getPublic(), algorithm) + "\n";
    }
}
