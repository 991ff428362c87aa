package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.prepended;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * mailfwd as the program of a .qmail-fwd line for alice: qmail-local exports SENDER,
 * RECIPIENT, DTLINE, RPLINE, LOCAL, HOST and EXT and puts nothing on top of the message, so
 * the sender is only in SENDER. The exit codes qmail reads are 0, 111 (later) and 100 (bounce).
 */
class QmailDeliveryIT {
    private static final String DTLINE = "Delivered-To: alice-fwd@example.org\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n");
    }

    private static Run deliver(String sender, CaptureSendmail capture, byte[] message)
            throws Exception {
        Map<String, String> env = env("SENDER", sender, "NEWSENDER", sender,
                "RECIPIENT", "alice-fwd@example.org", "USER", "alice", "LOCAL", "alice-fwd",
                "HOST", "example.org", "EXT", "fwd", "EXT2", "", "DTLINE", DTLINE,
                "RPLINE", "Return-Path: <" + sender + ">\n", "UFLINE", "From " + sender
                        + " Tue Nov  3 08:31:40 2026\n");
        env.putAll(capture.environment());
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), env, message);
    }

    @Test
    void forwardsWithSenderFromTheEnvironmentAndDtlineOnTop() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = testmail("qmail-raw.eml");

        Run run = deliver("carol@example.com", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "carol@example.com", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(prepended(DTLINE, input));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "qmail's raw sender with a space is quoted | john smith@example.com"
                + " | \"john smith\"@example.com",
        "empty SENDER is the null sender           | ''                     | <>",
        "qmail's #@[] is the null sender           | #@[]                   | <>",
    })
    void senderVariableBecomesTheArgumentAfterDashF(String name, String sender,
            String expected) throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = deliver(sender, capture, testmail("qmail-raw.eml"));

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", expected, "--", "alice@example.net");
    }

    @Test
    void messageThatAlreadyPassedThisAddressBouncesWith100() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] looped = prepended(DTLINE, testmail("qmail-raw.eml"));

        Run run = deliver("carol@example.com", capture, looped);

        assertThat(run.exitCode()).isEqualTo(100);
        assertThat(run.stderrText())
                .isEqualTo("5.4.6 mail forwarding loop for alice-fwd@example.org\n");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void sendmailFailureIsTryAgainLaterWith111() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"))
                .exitingWith(75);

        Run run = deliver("carol@example.com", capture, testmail("qmail-raw.eml"));

        assertThat(run.exitCode()).isEqualTo(111);
        assertThat(run.stderrText()).isEqualTo("4.3.0 " + CaptureSendmail.path()
                + " exited with status 75\n");
    }

    @Test
    void senderWithANewlineIsRefusedAndTheMessageWaits() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = deliver("carol@example.com\nX-Evil: yes", capture, testmail("qmail-raw.eml"));

        assertThat(run.exitCode()).isEqualTo(111);
        assertThat(run.stderrText()).startsWith("4.1.7 ").endsWith("\n");
        assertThat(run.stderrText().lines()).hasSize(1);
        assertThat(capture.wasRun()).isFalse();
    }
}
