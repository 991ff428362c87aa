package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyFilesTest {
    @TempDir
    Path dir;

    /** The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: its OCTET STRING. */
    static byte[] pkcs1(byte[] pkcs8) {
        int i = 0;
        i = skipHeader(pkcs8, i); // outer SEQUENCE
        i = skipWhole(pkcs8, i); // version INTEGER
        i = skipWhole(pkcs8, i); // AlgorithmIdentifier
        int start = skipHeader(pkcs8, i);
        return Arrays.copyOfRange(pkcs8, start, pkcs8.length);
    }

    private static int skipHeader(byte[] der, int i) {
        int first = der[i + 1] & 0xff;
        return i + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int skipWhole(byte[] der, int i) {
        int first = der[i + 1] & 0xff;
        int length = first;
        int header = 2;
        if (first >= 0x80) {
            length = 0;
            for (int k = 0; k < (first & 0x7f); k++) {
                length = length << 8 | der[i + 2 + k] & 0xff;
            }
            header += first & 0x7f;
        }
        return i + header + length;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static Stream<Arguments> formats() {
        byte[] rsa8 = TestKeys.RSA.getPrivate().getEncoded();
        byte[] ed8 = TestKeys.ED25519.getPrivate().getEncoded();
        return Stream.of(
                Arguments.of("RSA PKCS#8 PEM", DkimAlgorithm.RSA_SHA256,
                        pem("PRIVATE KEY", rsa8).getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("RSA PKCS#1 PEM", DkimAlgorithm.RSA_SHA256,
                        pem("RSA PRIVATE KEY", pkcs1(rsa8)).getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("RSA PKCS#8 DER", DkimAlgorithm.RSA_SHA256, rsa8),
                Arguments.of("RSA PKCS#1 DER", DkimAlgorithm.RSA_SHA256, pkcs1(rsa8)),
                Arguments.of("Ed25519 PKCS#8 PEM", DkimAlgorithm.ED25519_SHA256,
                        pem("PRIVATE KEY", ed8).getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("Ed25519 PKCS#8 DER", DkimAlgorithm.ED25519_SHA256, ed8),
                Arguments.of("Ed25519 bare base64 seed, as dknewkey writes it",
                        DkimAlgorithm.ED25519_SHA256, (Base64.getEncoder().encodeToString(
                                Arrays.copyOfRange(ed8, ed8.length - 32, ed8.length)) + "\n")
                                .getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void readsTheSameKeyFromEveryFormat(String name, DkimAlgorithm algorithm, byte[] file)
            throws Exception {
        Path path = write(file, "rw-------");
        PrivateKey key = KeyFiles.load(path, algorithm);
        assertThat(key.getEncoded()).isEqualTo(TestKeys.pair(algorithm).getPrivate()
                .getEncoded());
    }

    static Stream<Arguments> refusals() {
        byte[] rsa = pem("PRIVATE KEY", TestKeys.RSA.getPrivate().getEncoded())
                .getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                Arguments.of("group-readable", rsa, "rw-r-----", DkimAlgorithm.RSA_SHA256,
                        "is accessible by group or others (mode 0640); run chmod 600"),
                Arguments.of("world-readable", rsa, "rw----r--", DkimAlgorithm.RSA_SHA256,
                        "(mode 0604)"),
                Arguments.of("RSA key for Ed25519", rsa, "rw-------",
                        DkimAlgorithm.ED25519_SHA256, "holds no ed25519-sha256 private key"),
                Arguments.of("encrypted", ("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                        + "-----END ENCRYPTED PRIVATE KEY-----\n").getBytes(
                                StandardCharsets.US_ASCII), "rw-------",
                        DkimAlgorithm.RSA_SHA256, "is encrypted"),
                Arguments.of("text", "hello".getBytes(StandardCharsets.US_ASCII), "rw-------",
                        DkimAlgorithm.RSA_SHA256, "holds no rsa-sha256 private key"),
                Arguments.of("text before the PEM block", ("# our key\n" + new String(rsa,
                        StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII),
                        "rw-------", DkimAlgorithm.RSA_SHA256, "holds no rsa-sha256 private key"
                        + " (PEM or DER, PKCS#1 or PKCS#8, unencrypted; Ed25519 also as a"
                        + " base64 seed); it has text before its -----BEGIN line, which a PEM"
                        + " file must start with"),
                Arguments.of("512-bit RSA", pem("PRIVATE KEY", small().getPrivate()
                        .getEncoded()).getBytes(StandardCharsets.US_ASCII), "rw-------",
                        DkimAlgorithm.RSA_SHA256, "holds a 512-bit RSA key; DKIM verifiers"
                        + " refuse keys under 1024 bits (RFC 8301): make a 2048-bit one with"
                        + " mailfwd dkim keygen"));
    }

    private static java.security.KeyPair small() {
        try {
            java.security.KeyPairGenerator generator =
                    java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(512);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesUnsafeOrUnusableKeysWithAClearMessage(String name, byte[] file, String mode,
            DkimAlgorithm algorithm, String message) throws Exception {
        Path path = write(file, mode);
        assertThatThrownBy(() -> KeyFiles.load(path, algorithm))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageStartingWith("key file " + path).hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void aDirectoryIsNotAKey() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("key.pem"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() -> KeyFiles.load(sub, DkimAlgorithm.RSA_SHA256))
                .hasMessageContaining("is a directory");
    }

    private Path write(byte[] bytes, String mode) throws Exception {
        Path path = Files.write(dir.resolve("key"), bytes);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }
}
