package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.cli.CaptureSendmail;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * Every way sendmail can fail, seen from the MTA that runs mailfwd under Postfix: each one is
 * a temporary failure (75) with one status line on stderr, so the MTA keeps the message and
 * tries again: nothing is lost, and nothing is bounced for a local problem.
 */
class SendmailFailureIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\nsendmail_timeout: 2\n");
    }

    private static Run deliver(String sendmail, CaptureSendmail capture, byte[] message)
            throws Exception {
        Map<String, String> env = InstalledMailfwd.postfixLocal("bob@example.com");
        env.putAll(capture.environment());
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail", sendmail),
                env, message);
    }

    static Stream<Arguments> failures() {
        String fake = CaptureSendmail.path();
        return Stream.of(
                failure("sendmail exits 75", c -> c.exitingWith(75),
                        fake + " exited with status 75"),
                failure("sendmail exits 1", c -> c.exitingWith(1),
                        fake + " exited with status 1"),
                failure("sendmail is killed by a signal", c -> c.inMode("kill"),
                        fake + " was killed by signal 9"),
                failure("sendmail hangs past sendmail_timeout", c -> c.inMode("hang"),
                        fake + " timed out after 2s"));
    }

    private static Arguments failure(String name, UnaryOperator<CaptureSendmail> setup,
            String reason) {
        return Arguments.of(name, setup, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failingSendmailIsATemporaryFailure(String name,
            UnaryOperator<CaptureSendmail> setup, String reason) throws Exception {
        CaptureSendmail capture = setup.apply(
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        Run run = deliver(CaptureSendmail.path(), capture, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.0 " + reason + "\n");
        assertThat(run.stdout()).isEmpty();
        assertThat(capture.wasRun()).isTrue();
    }

    @Test
    void sendmailThatStopsReadingEarlyIsATemporaryFailureEvenWhenItExitsZero()
            throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"))
                .inMode("close-early");

        Run run = deliver(CaptureSendmail.path(), capture, largeMessage());

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).startsWith("4.3.0 " + CaptureSendmail.path()
                + " stopped reading the message early: ");
        assertThat(run.stderrText().lines()).hasSize(1);
        assertThat(capture.stdin()).hasSize(100);
    }

    @Test
    void missingSendmailIsATemporaryFailure() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        String missing = work.resolve("no-such-dir/sendmail").toString();

        Run run = deliver(missing, capture, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.5 cannot run " + missing
                + ": no such file\n");
    }

    @Test
    void sendmailThatIsNotExecutableIsATemporaryFailure() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path plain = Files.writeString(work.resolve("plain-file"), "not a program\n");

        Run run = deliver(plain.toString(), capture, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.5 cannot run " + plain
                + ": not executable\n");
    }

    /** Far larger than a pipe's buffer (64 KiB on Linux), so an early close is noticed. */
    private static byte[] largeMessage() throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(testmail("postfix-forward.eml"));
        byte[] line = "0123456789 The quick brown fox jumps over the lazy dog. 0123456789\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 16_000; i++) {
            message.write(line);
        }
        return message.toByteArray();
    }
}
