package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code mailfwd sign} run as the packaged jar, as a pipeline runs it: under LANG=C (the
 * JVM's default charset is then US-ASCII on Java 17) and under a Turkish locale, with 8-bit
 * header bytes; and on failure, nothing on stdout.
 */
class SignFilterIT {
    static final byte[] EIGHT_BIT = ("From: Ren\u00e9 <rene@example.org>\r\n"
            + "To: Iris <iris@example.net>\r\n"
            + "Subject: \u00c7a\u011f\u0131r \u0130stanbul\r\n"
            + "Message-ID: <ID-1@example.org>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "\r\n"
            + "G\u00fcle g\u00fcle\r\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    record Run(int exit, byte[] stdout, String stderr) {
    }

    static Stream<Arguments> locales() {
        return Stream.of(
                Arguments.of("LANG=C", Map.of("LANG", "C", "LC_ALL", "C"), List.of()),
                Arguments.of("Turkish locale", Map.of("LANG", "tr_TR.UTF-8"),
                        List.of("-Duser.language=tr", "-Duser.country=TR")),
                Arguments.of("Turkish locale with LANG=C", Map.of("LANG", "C", "LC_ALL", "C"),
                        List.of("-Duser.language=tr", "-Duser.country=TR")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("locales")
    void signedOutputVerifiesWhateverTheLocale(String name, Map<String, String> env,
            List<String> jvm) throws Exception {
        for (DkimAlgorithm algorithm : DkimAlgorithm.values()) {
            Path key = TestKeys.writePem(dir, algorithm);
            Run run = run(env, jvm, EIGHT_BIT, "sign", "--domain", "example.org",
                    "--selector", Signed.selector(algorithm), "--key", key.toString(),
                    "--algorithm", algorithm.tag());
            assertThat(run.stderr()).isEmpty();
            assertThat(run.exit()).isZero();
            assertThat(ExternalVerifiers.dkimpy(run.stdout(), Signed.keys())).containsExactly(
                    "pass d=example.org s=" + Signed.selector(algorithm));
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                assertThat(ExternalVerifiers.mailDkim(run.stdout(), Signed.keys()))
                        .containsExactly("pass d=example.org s=rsa2026");
            }
            assertThat(endsWith(run.stdout(), EIGHT_BIT)).as("input kept byte for byte")
                    .isTrue();
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("missing key file", "missing.pem", "does not exist"),
                Arguments.of("key readable by others", "open.pem", "chmod 600"),
                Arguments.of("not a key", "garbage.pem", "holds no rsa-sha256 private key"),
                Arguments.of("Ed25519 key for RSA", "ed.pem", "holds no rsa-sha256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failureWritesNothingOnStdoutAndOneLineOnStderr(String name, String file,
            String reason) throws Exception {
        Path open = TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256);
        Files.copy(open, dir.resolve("open.pem"));
        Files.setPosixFilePermissions(dir.resolve("open.pem"),
                PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(dir.resolve("garbage.pem"), "hello\n");
        Files.setPosixFilePermissions(dir.resolve("garbage.pem"),
                PosixFilePermissions.fromString("rw-------"));
        Files.move(TestKeys.writePem(dir, DkimAlgorithm.ED25519_SHA256), dir.resolve("ed.pem"));
        Run run = run(Map.of(), List.of(), EIGHT_BIT, "sign", "--domain", "example.org",
                "--selector", "s", "--key", dir.resolve(file).toString());
        assertThat(run.stdout()).isEmpty();
        assertThat(run.exit()).isEqualTo(75);
        assertThat(run.stderr().lines()).hasSize(1);
        assertThat(run.stderr()).startsWith("4.3.5 mailfwd sign: ").contains(reason);
    }

    @Test
    void messageWithoutFromIsRefusedWithNothingOnStdout() throws Exception {
        Path key = TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256);
        Run run = run(Map.of(), List.of(), "Subject: x\n\nbody\n".getBytes(
                StandardCharsets.US_ASCII), "sign", "--domain", "example.org", "--selector", "s",
                "--key", key.toString());
        assertThat(run.stdout()).isEmpty();
        assertThat(run.exit()).isEqualTo(75);
        assertThat(run.stderr()).startsWith("4.3.0 ").contains("no From field");
    }

    @Test
    void badDomainIsRefusedWithNothingOnStdout() throws Exception {
        Run run = run(Map.of(), List.of(), EIGHT_BIT, "sign", "--domain", "-x; b=",
                "--selector", "s", "--key", "k");
        assertThat(run.stdout()).isEmpty();
        assertThat(run.exit()).isEqualTo(75);
        assertThat(run.stderr()).contains("is not a domain name");
    }

    @Test
    void keygenWritesPrivateKeyWithMode600AndPrintsTheRecord() throws Exception {
        Run run = run(Map.of(), List.of(), new byte[0], "dkim", "keygen", "--domain",
                "example.org", "--selector", "k1", "--algorithm", "ed25519-sha256", "--out",
                dir.toString());
        assertThat(run.exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("k1.private")))).isEqualTo("rw-------");
        assertThat(new String(run.stdout(), StandardCharsets.US_ASCII))
                .contains("k1._domainkey.example.org. IN TXT ( \"v=DKIM1; k=ed25519; p=");
        Run signed = run(Map.of(), List.of(), EIGHT_BIT, "sign", "--domain", "example.org",
                "--selector", "k1", "--key", dir.resolve("k1.private").toString(),
                "--algorithm", "ed25519-sha256");
        String txt = Files.readString(dir.resolve("k1.txt")).replaceAll(".*\\( \"|\" \\)\\s*",
                "").replace("\" \"", "");
        assertThat(ExternalVerifiers.dkimpy(signed.stdout(),
                "k1._domainkey.example.org " + txt + "\n")).containsExactly(
                        "pass d=example.org s=k1");
    }

    @Test
    void keygenMakesTheOutputDirectoryPrivateWhenItIsMissing() throws Exception {
        Path keys = dir.resolve("new").resolve("keys");

        Run run = run(Map.of(), List.of(), new byte[0], "dkim", "keygen", "--domain",
                "example.org", "--selector", "k2", "--out", keys.toString());

        assertThat(run.exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                .isEqualTo("rwx------");
        assertThat(keys.resolve("k2.private")).isRegularFile();
    }

    Run run(Map<String, String> env, List<String> jvm, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-jar");
        command.add(System.getProperty("mailfwd.jar", "target/mailfwd.jar"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("LC_ALL");
        builder.environment().putAll(env);
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().write(stdin);
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mailfwd did not finish");
        }
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    private static boolean endsWith(byte[] all, byte[] tail) {
        if (all.length < tail.length) {
            return false;
        }
        return java.util.Arrays.equals(all, all.length - tail.length, all.length, tail, 0,
                tail.length);
    }
}
