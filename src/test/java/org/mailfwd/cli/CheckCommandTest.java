package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** mailfwd check: the example files, every problem with its place, and the exit status. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(String... args) {
        return Main.run(args, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.toString()));
    }

    private List<String> printed() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void exampleRuleFilePassesCheck() throws Exception {
        Path rules = Path.of("rules.yaml.example").toAbsolutePath();
        Path config = Files.writeString(dir.resolve("config.yaml"), "# nothing set\n");

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(printed()).containsExactly(rules + ": ok (with " + config + ")");
        assertThat(status).isZero();
    }

    @Test
    void exampleSystemFilePassesCheckAndItsLocksHold() throws Exception {
        Path config = Path.of("config.yaml.example").toAbsolutePath();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "forward: a@example.net\n");
        Path locked = Files.writeString(dir.resolve("locked.yaml"),
                "forward: a@example.net\nsendmail: /usr/local/bin/sendmail\n");

        assertThat(check("check", "--config", config.toString(), rules.toString())).isZero();
        assertThat(check("check", "--config", config.toString(), locked.toString())).isEqualTo(1);
        assertThat(printed()).contains(locked + ":2:1: sendmail is locked by " + config
                + " (remove it here; ask the administrator)");
    }

    @Test
    void signRequestIsCheckedAgainstTheGrantsOfThisUser() throws Exception {
        String user = System.getProperty("user.name");
        Path key = dir.resolve("s.private");
        assertThat(Main.run(new String[] {"dkim", "keygen", "--domain", "example.org",
            "--selector", "s", "--out", dir.toString()}, InputStream.nullInputStream(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).isZero();
        String section = "signing:\n  origin: {sasl: true}\n  domains:\n"
                + "    example.org: {selector: s, key: " + key + "}\n"
                + "    example.net: {selector: s, key: " + key + "}\n"
                + "  grants:\n    \"" + user + "\": [example.org]\n";
        Path config = Files.writeString(dir.resolve("config.yaml"), section);
        Path granted = Files.writeString(dir.resolve("granted.yaml"),
                "forward: a@example.net\nsign: example.org\n");
        Path refused = Files.writeString(dir.resolve("refused.yaml"),
                "forward: a@example.net\nsign: [example.org, example.net]\n");

        assertThat(check("check", "--config", config.toString(), granted.toString())).isZero();
        assertThat(check("check", "--config", config.toString(), refused.toString()))
                .isEqualTo(1);
        assertThat(printed()).contains(refused + ": sign: example.net is not granted to user "
                + user + " by " + config + " (signing: grants:; ask the administrator)");
    }

    @Test
    void everyProblemIsPrintedWithItsPlaceAndExitIsOne() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "fowrard: [a@example.net]\nmax_targets: lots\n");

        int status = check("check", "--config", dir.resolve("none.yaml").toString(),
                rules.toString());

        assertThat(printed()).containsExactly(
                dir.resolve("none.yaml") + ": no such file",
                rules + ":1:1: unknown key fowrard (did you mean forward?)",
                rules + ":2:14: max_targets must be a positive whole number, not the text"
                        + " \"lots\"",
                rules + ":1:1: no forward: and no rules: (write at least"
                        + " forward: [you@example.net])",
                "4 problem(s); a delivery with these files would wait in the queue"
                        + " (temporary failure)");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void signingSectionIsCheckedByTheDkimReader() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"),
                "signing:\n  check: sideways\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "forward: a@example.net\n");

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(status).isEqualTo(1);
        assertThat(printed().get(0)).startsWith(config + ":2:");
    }

    @Test
    void ruleFileDefaultsToTheOneInHome() throws Exception {
        Files.writeString(dir.resolve(".mailfwd.yaml"), "forward: [a@example.net]\n");
        Path config = Files.writeString(dir.resolve("config.yaml"), "max_targets: 5\n");

        int status = check("check", "--config", config.toString());

        assertThat(printed()).containsExactly(dir.resolve(".mailfwd.yaml") + ": ok (with "
                + config + ")");
        assertThat(status).isZero();
    }

    /**
     * An unreadable file is reported as such. Root reads every file, so as root the check
     * runs as nobody in a child process (setpriv is in util-linux, on every Debian).
     */
    @Test
    void unreadableFileIsNamedAsUnreadable() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rules = Files.writeString(open.resolve("rules.yaml"), "forward: a@example.net\n");
        Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("---------"));
        Path config = open.resolve("config.yaml");
        Files.writeString(config, "max_targets: 5\n");
        String expected = rules + ": cannot read: permission denied";

        if (!System.getProperty("user.name").equals("root")) {
            assertThat(check("check", "--config", config.toString(), rules.toString()))
                    .isEqualTo(1);
            assertThat(printed()).contains(expected);
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=65534",
                "--regid=65534", "--clear-groups", Path.of(System.getProperty("java.home"),
                        "bin", "java").toString(), "-jar", System.getProperty("mailfwd.jar"),
                "check", "--config", config.toString(), rules.toString())
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (java.io.IOException e) {
            // Seen once on this JDK: "Failed to exec spawn helper", a JVM launch hiccup
            // unrelated to the product; one more try tells the two apart.
            process = builder.start();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains(expected);
        assertThat(process.exitValue()).isEqualTo(1);
    }

    @Test
    void smtpSectionsOfBothFilesAreChecked() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"),
                "handoff: smtp\nsmtp:\n  host: relay.example.net\n  prot: 2525\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "forward: a@example.net\nsmtp: {host: mine.example.org, port: 70000}\n");

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(printed()).containsExactly(
                config + ":4:3: unknown key prot in smtp (did you mean port?)",
                rules + ":2:38: smtp.port: must be a whole number from 1 to 65535,"
                        + " got \"70000\"",
                "2 problem(s); a delivery with these files would wait in the queue"
                        + " (temporary failure)");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void sendmailThatCannotRunFailsCheck() throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yaml"), "forward: [alice@example.net]\n"
                + "sendmail: /usr/sbin/sendmail -oi\n");
        Path config = Files.writeString(dir.resolve("config.yaml"), "# nothing set\n");

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(printed()).contains(rules + ": sendmail /usr/sbin/sendmail -oi cannot be run"
                + " (no such file; sendmail: takes a path only, no options)");
        assertThat(status).isEqualTo(1);
    }

    @Test
    void shippedExamplesPassCheckTogether() throws Exception {
        // config.yaml.example names /usr/sbin/sendmail, which check runs only if it exists.
        boolean mta = Files.isExecutable(Path.of("/usr/sbin/sendmail"));
        if (!"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(mta,
                    "no /usr/sbin/sendmail on this machine (.ci/run installs Postfix)");
        }
        Path config = Path.of("config.yaml.example").toAbsolutePath();
        Path rules = Path.of("rules.yaml.example").toAbsolutePath();

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(printed()).containsExactly(rules + ": ok (with " + config + ")");
        assertThat(status).isZero();
    }

    @Test
    void shippedExamplesSendNoMailToAThirdParty() throws Exception {
        for (String example : List.of("config.yaml.example", "rules.yaml.example")) {
            assertThat(Files.readAllLines(Path.of(example)))
                    .as(example).noneMatch(line -> line.startsWith("fallback_sender:"));
        }
    }

    /**
     * A key that a delivery could not use fails the check with the very text the deferred
     * delivery prints, so the administrator finds it before the queue fills up.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "usable key,           rw-------, ''",
        "missing key,          ,          'dkim: key file KEY does not exist'",
        "group-readable key,   rw-r-----, 'dkim: key file KEY is accessible by group or others"
                + " (mode 0640); run chmod 600 on it'",
        "world-readable key,   rw-r--r--, 'dkim: key file KEY is accessible by group or others"
                + " (mode 0644); run chmod 600 on it'",
    })
    void signingKeyIsCheckedAsDeliveryWouldUseIt(String name, String mode, String problem)
            throws Exception {
        Path key = dir.resolve("s1.private");
        if (mode != null) {
            assertThat(Main.run(new String[] {"dkim", "keygen", "--domain", "example.org",
                "--selector", "s1", "--out", dir.toString()}, InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).isZero();
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
        }
        Path config = Files.writeString(dir.resolve("config.yaml"), "signing:\n"
                + "  origin: {all_mail: true}\n"
                + "  domains:\n"
                + "    example.org: {selector: s1, key: " + key + "}\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "forward: a@example.net\n");
        String expected = problem.replace("KEY", key.toString());

        int status = check("check", "--config", config.toString(), rules.toString());

        if (expected.isEmpty()) {
            // And it says what will sign: openssl where Debian puts it, else the JDK.
            String signer = Files.isExecutable(Path.of("/usr/bin/openssl")) ? "/usr/bin/openssl"
                    : "the JDK (no /usr/bin/openssl; apt-get install openssl makes signing"
                            + " about 25 ms faster)";
            assertThat(printed()).containsExactly("dkim: d=example.org s=s1 a=rsa-sha256"
                    + " c=relaxed/relaxed key=" + key + " signs with " + signer,
                    rules + ": ok (with " + config + ")");
            assertThat(status).isZero();
            return;
        }
        assertThat(printed().get(0)).isEqualTo(expected);
        assertThat(status).isEqualTo(1);
        assertThat(deliveryStderr(config, rules)).isEqualTo("4.3.5 " + expected + "\n");
    }

    /** Under on_key_error: send-unsigned a bad key holds nothing back, and check says so. */
    @Test
    void missingKeyUnderSendUnsignedSaysTheMailGoesUnsigned() throws Exception {
        Path key = dir.resolve("missing.private");
        Path config = Files.writeString(dir.resolve("config.yaml"), "signing:\n"
                + "  on_key_error: send-unsigned\n"
                + "  origin: {all_mail: true}\n"
                + "  domains:\n"
                + "    example.org: {selector: s1, key: " + key + "}\n");
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "forward: a@example.net\n");

        int status = check("check", "--config", config.toString(), rules.toString());

        assertThat(printed()).containsExactly("dkim: key file " + key + " does not exist"
                + " (on_key_error: send-unsigned: such mail goes unsigned)",
                "1 problem(s); a delivery with these files would send the mail these keys"
                        + " should sign unsigned (on_key_error: send-unsigned)");
        assertThat(status).isEqualTo(1);
    }

    private String deliveryStderr(Path config, Path rules) throws Exception {
        ByteArrayOutputStream deliveryErr = new ByteArrayOutputStream();
        byte[] message = "From: a@example.org\nSubject: hi\n\nhello\n"
                .getBytes(StandardCharsets.US_ASCII);
        int status = Main.run(new String[] {"--mta", "postfix", "--config", config.toString(),
            "--rules", rules.toString(), "--sendmail", "/bin/true", "--log",
            dir.resolve("log").toString(), "--recipient", "b@example.org"},
                new java.io.ByteArrayInputStream(message),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(deliveryErr, true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.toString(), "SENDER", "a@example.org"));
        assertThat(status).isEqualTo(75);
        return deliveryErr.toString(StandardCharsets.UTF_8);
    }
}
