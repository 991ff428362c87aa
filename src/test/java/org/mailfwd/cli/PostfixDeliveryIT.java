package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.prepended;
import static org.mailfwd.cli.MessageBytes.withoutLines;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * mailfwd as the command of a Postfix .forward line: local(8) exports SENDER, RECIPIENT,
 * ORIGINAL_RECIPIENT, LOCAL, DOMAIN and EXTENSION, and puts a From_ line, Return-Path,
 * X-Original-To and its own Delivered-To on top of the message.
 */
class PostfixDeliveryIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n");
    }

    private static Map<String, String> postfix(String sender, CaptureSendmail capture) {
        Map<String, String> env = InstalledMailfwd.postfixLocal(sender);
        env.putAll(env("USER", "alice", "SHELL", "/bin/sh"));
        env.putAll(capture.environment());
        return env;
    }

    private Run deliver(String sender, CaptureSendmail capture, byte[] message)
            throws Exception {
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), postfix(sender, capture), message);
    }

    @Test
    void forwardsWithTheOriginalSenderAndDropsFromLineAndReturnPath() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = testmail("postfix-forward.eml");

        Run run = deliver("bob@example.com", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "bob@example.com", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(withoutLines(input,
                "From bob@example.com  Tue Nov  3 09:20:11 2026",
                "Return-Path: <bob@example.com>"));
    }

    @Test
    void postfixsOwnDeliveredToOnTopIsNotALoop() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = testmail("mailing-list.eml");

        Run run = deliver("users-bounces+alice=example.org@lists.example.net", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(), "-i", "-f",
                "users-bounces+alice=example.org@lists.example.net", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(withoutLines(input,
                "Return-Path: <users-bounces+alice=example.org@lists.example.net>"));
    }

    @Test
    void aSecondDeliveredToForThisRecipientIsALoopThatBounces() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] looped = prepended("Delivered-To: alice@example.org\n",
                testmail("mailing-list.eml"));

        Run run = deliver("users-bounces+alice=example.org@lists.example.net", capture, looped);

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.stderrText())
                .isEqualTo("5.4.6 mail forwarding loop for alice@example.org\n");
        assertThat(run.stdout()).isEmpty();
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void bounceKeepsTheNullSender() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = testmail("bounce.eml");

        Run run = deliver("", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "<>", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(withoutLines(input,
                "From MAILER-DAEMON  Tue Nov  3 10:15:02 2026", "Return-Path: <>"));
    }

    @Test
    void relayedMessageLosesBothReturnPathsAndKeepsTheTopmostAsSender() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = testmail("gmail-relayed.eml");

        Run run = deliver("alice+caf_=alice=example.org@example.net", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(), "-i", "-f",
                "alice+caf_=alice=example.org@example.net", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(withoutLines(input,
                "Return-Path: <alice+caf_=alice=example.org@example.net>",
                "Return-Path: <bob@example.com>"));
    }

    @Test
    void underscoreThatPostfixPutInSenderGivesWayToTheReturnPath() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = prepended("Return-Path: <o'brien@example.com>\n",
                testmail("qmail-raw.eml"));

        Run run = deliver("o_brien@example.com", capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "o'brien@example.com", "--", "alice@example.net");
    }

    @Test
    void senderBeginningWithDashStaysTheArgumentAfterDashF() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = deliver("-oQ/tmp/x@example.com", capture, testmail("qmail-raw.eml"));

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "-oQ/tmp/x@example.com", "--", "alice@example.net");
    }
}
