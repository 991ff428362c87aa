package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * openssl does a signature's crypto as the JDK would, byte for byte, and when it cannot,
 * the JDK signs and the log says why.
 */
class OpensslCryptoTest {
    @TempDir
    Path dir;

    private final OpensslCrypto openssl = new OpensslCrypto(OpensslCrypto.DEFAULT);
    private final JdkCrypto jdk = new JdkCrypto();

    @BeforeEach
    void needOpenssl() {
        ExternalVerifiers.requireTool("openssl", OpensslCrypto.DEFAULT.toString(), "version");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 55, 64, 65_537, 3_000_000})
    void bodyDigestIsTheJdksSha256(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Sha256 digest = openssl.sha256();
        for (int off = 0; off < size; off += 10_000) {
            digest.stream().write(data, off, Math.min(10_000, size - off));
        }
        assertThat(digest.finish()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void rsaSignatureIsTheJdksByteForByteForEveryKeyFormat() throws Exception {
        SigningKey pem = SigningKey.open(TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256),
                DkimAlgorithm.RSA_SHA256);
        byte[] data = "from:Alice <alice@example.org>\r\ndkim-signature:v=1; b="
                .getBytes(StandardCharsets.US_ASCII);
        byte[] expected = sign(jdk, pem, data);
        assertThat(sign(openssl, pem, data)).isEqualTo(expected);
        for (String format : List.of("pkcs1-pem", "pkcs8-der", "pkcs1-der")) {
            Path file = convert(pem.file(), format);
            assertThat(sign(openssl, SigningKey.open(file, DkimAlgorithm.RSA_SHA256), data))
                    .as(format).isEqualTo(expected);
        }
    }

    @Test
    void keyThatIsNotRsaIsNeverGivenToOpenssl() throws Exception {
        Path ec = dir.resolve("ec.pem");
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", ec.toString());
        Files.setPosixFilePermissions(ec, PosixFilePermissions.fromString("rw-------"));
        SigningKey key = SigningKey.open(ec, DkimAlgorithm.RSA_SHA256);
        assertThatThrownBy(() -> sign(openssl, key, new byte[10]))
                .isInstanceOf(OpensslCrypto.Failure.class)
                .hasMessageEndingWith("ec.pem is not RSA as the JDK reads it; openssl might"
                        + " read it otherwise");
    }

    @Test
    void missingProgramIsAFailureTheCallerCanFallBackFrom() {
        OpensslCrypto missing = new OpensslCrypto(dir.resolve("no-such-openssl"));
        assertThatThrownBy(missing::sha256).isInstanceOf(OpensslCrypto.Failure.class)
                .hasMessageContaining("cannot run");
    }

    /** A signing that fails on the way (a body that cannot be read) kills what it started. */
    @Test
    void givenUpDigestAndSignerLeaveNoOpensslRunning() throws Exception {
        SigningKey key = SigningKey.open(TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256),
                DkimAlgorithm.RSA_SHA256);
        Sha256 digest = openssl.sha256();
        Crypto.Signer signer = openssl.signer(DkimAlgorithm.RSA_SHA256, key);
        assertThat(opensslChildren()).hasSize(2);
        digest.close();
        signer.close();
        for (ProcessHandle child : opensslChildren()) {
            child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(opensslChildren()).isEmpty();
    }

    private static List<ProcessHandle> opensslChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().command().orElse("").endsWith("/openssl"))
                .toList();
    }

    @Test
    void whenOpensslFailsTheJdkSignsAndTheLogSaysSo() throws IOException {
        Path broken = dir.resolve("openssl");
        Files.writeString(broken, "#!/bin/sh\necho 'simulated: out of luck' >&2\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        byte[] message = MessageSignerTest.PLAIN.getBytes(StandardCharsets.US_ASCII);
        List<SignatureSpec> specs = List.of(
                Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed"));
        Signed.Result result = Signed.signNoting(message, specs,
                Optional.of(new OpensslCrypto(broken)));
        assertThat(result.note()).hasValueSatisfying(note -> assertThat(note)
                .startsWith("openssl failed (openssl dgst exited 3: simulated: out of luck)")
                .endsWith("the JDK signed"));
        assertThat(ExternalVerifiers.dkimpy(result.signed(), Signed.keys()))
                .containsExactly("pass d=example.org s=rsa2026");
    }

    private static byte[] sign(Crypto crypto, SigningKey key, byte[] data) throws Exception {
        try (Crypto.Signer signer = crypto.signer(DkimAlgorithm.RSA_SHA256, key)) {
            return signer.sign(data);
        }
    }

    /**
     * The trial's file: the published key with one stray character in its base64 (the
     * JDK's decoder skips it, openssl gives up on that block) and a second key after it,
     * which openssl then signs with. The signature must be the published key's, by the JDK.
     */
    @Test
    void keyFileOpensslReadsOtherwiseIsSignedByTheJdkWithTheCheckedKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair other = generator.generateKeyPair();
        String published = pem(TestKeys.RSA.getPrivate().getEncoded());
        int stray = published.indexOf('\n', 40) + 10;
        Path twoKeys = dir.resolve("two.pem");
        Files.writeString(twoKeys, published.substring(0, stray) + "*"
                + published.substring(stray) + pem(other.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(twoKeys, PosixFilePermissions.fromString("rw-------"));
        SignatureSpec spec = new SignatureSpec(Signed.DOMAIN, "rsa2026", twoKeys,
                DkimAlgorithm.RSA_SHA256, "relaxed/relaxed");

        Signed.Result result = Signed.signNoting(
                MessageSignerTest.PLAIN.getBytes(StandardCharsets.US_ASCII), List.of(spec),
                Optional.of(openssl));

        assertThat(result.note()).hasValueSatisfying(note -> assertThat(note)
                .contains("signed with another key than the file's as the JDK reads it"));
        assertThat(ExternalVerifiers.dkimpy(result.signed(), Signed.keys()))
                .containsExactly("pass d=example.org s=rsa2026");
    }

    /**
     * The second trial's files: whatever a key file holds, mailfwd check (the JDK's reading)
     * and a delivery with openssl agree: both refuse it, or the delivery signs with the key
     * check accepted (the published one, TestKeys.RSA, always the first in the file).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS#8 block, then a PKCS#1 block of another key",
        "PKCS#1 block, then a PKCS#8 block of another key", "PKCS#8 DER and 13 bytes more",
        "PKCS#1 DER and 13 bytes more", "a 512-bit key", "a line of text before -----BEGIN"})
    void checkAndDeliveryAgreeOnEveryKeyFile(String kind) throws Exception {
        Path published = TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(kind.startsWith("a 512") ? 512 : 2048);
        KeyPair other = generator.generateKeyPair();
        Path otherPem = dir.resolve("other.pem");
        Files.writeString(otherPem, pem(other.getPrivate().getEncoded()));
        byte[] junk = "trailing junk".getBytes(StandardCharsets.US_ASCII);
        byte[] content = switch (kind) {
            case "PKCS#8 block, then a PKCS#1 block of another key" -> concat(
                    Files.readAllBytes(published), Files.readAllBytes(
                            convert(otherPem, "pkcs1-pem")));
            case "PKCS#1 block, then a PKCS#8 block of another key" -> concat(
                    Files.readAllBytes(convert(published, "pkcs1-pem")),
                    Files.readAllBytes(otherPem));
            case "PKCS#8 DER and 13 bytes more" -> concat(
                    Files.readAllBytes(convert(published, "pkcs8-der")), junk);
            case "PKCS#1 DER and 13 bytes more" -> concat(
                    Files.readAllBytes(convert(published, "pkcs1-der")), junk);
            case "a 512-bit key" -> Files.readAllBytes(otherPem);
            default -> concat("# the DKIM key\n".getBytes(StandardCharsets.US_ASCII),
                    Files.readAllBytes(published));
        };
        Path file = dir.resolve("key-under-test");
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SignatureSpec spec = new SignatureSpec(Signed.DOMAIN, "rsa2026", file,
                DkimAlgorithm.RSA_SHA256, "relaxed/relaxed");

        boolean checkAccepts;
        try {
            KeyFiles.load(file, DkimAlgorithm.RSA_SHA256);
            checkAccepts = true;
        } catch (SigningKeyException e) {
            checkAccepts = false;
        }
        byte[] message = MessageSignerTest.PLAIN.getBytes(StandardCharsets.US_ASCII);
        if (checkAccepts) {
            byte[] signed = Signed.sign(message, List.of(spec), Optional.of(openssl));
            assertThat(ExternalVerifiers.dkimpy(signed, Signed.keys()))
                    .containsExactly("pass d=example.org s=rsa2026");
        } else {
            assertThatThrownBy(() -> Signed.sign(message, List.of(spec), Optional.of(openssl)))
                    .hasCauseInstanceOf(SigningKeyException.class);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Whatever openssl prints on stdout, only a signature that opens with the key counts. */
    @Test
    void outputThatIsNoSignatureOfTheKeyIsNeverUsed() throws Exception {
        Path zeros = script("zeros", "cat > /dev/null\necho 'warning: x' >&2\n"
                + "head -c 256 /dev/zero\n");
        Path noisy = script("noisy", "echo 'warning: something' >&2\nexec "
                + OpensslCrypto.DEFAULT + " \"$@\"\n");
        SigningKey key = SigningKey.open(TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256),
                DkimAlgorithm.RSA_SHA256);
        byte[] data = "from:a@example.org\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> sign(new OpensslCrypto(zeros), key, data))
                .isInstanceOf(OpensslCrypto.Failure.class)
                .hasMessageContaining("signed with another key");
        assertThat(sign(new OpensslCrypto(noisy), key, data)).isEqualTo(sign(jdk, key, data));
    }

    /** A hung openssl is killed by the watchdog, and the delivery goes on with the JDK. */
    @Test
    void hungOpensslIsKilledAndTheJdkSigns() throws Exception {
        Path hung = script("hung", "exec sleep 600\n");
        Signed.Result result = Signed.signNoting(
                MessageSignerTest.PLAIN.getBytes(StandardCharsets.US_ASCII),
                List.of(Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed")),
                Optional.of(new OpensslCrypto(hung, 2)));
        assertThat(result.note()).hasValueSatisfying(note -> assertThat(note)
                .contains("no progress in 2 s, killed"));
        assertThat(ExternalVerifiers.dkimpy(result.signed(), Signed.keys()))
                .containsExactly("pass d=example.org s=rsa2026");
        for (ProcessHandle child : opensslChildren()) {
            child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }

    private Path convert(Path pem, String format) throws Exception {
        Path out = dir.resolve("key-" + format);
        List<String> command = switch (format) {
            case "pkcs1-pem" -> List.of("openssl", "rsa", "-in", pem.toString(), "-traditional",
                    "-out", out.toString());
            case "pkcs8-der" -> List.of("openssl", "pkey", "-in", pem.toString(), "-outform",
                    "DER", "-out", out.toString());
            default -> List.of("openssl", "rsa", "-in", pem.toString(), "-traditional",
                    "-outform", "DER", "-out", out.toString());
        };
        run(command.toArray(String[]::new));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        return out;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
