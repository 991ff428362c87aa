package org.mailfwd.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.latin1;
import static org.mailfwd.cli.MessageBytes.withoutLines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.mta.RecordingSmtpSink.Received;

/**
 * mailfwd in a real Postfix: a message for mailfwd-a@localhost goes through Postfix's
 * local(8), which runs the README's .forward line ("|/opt/mailfwd-test/prefix/bin/mailfwd"),
 * and mailfwd's sendmail submits it back into the same Postfix, which relays it to a
 * recording SMTP sink on loopback. The tests check what the next hop gets, and what stays
 * in Postfix's queue when mailfwd defers.
 *
 * <p>Needs root and Debian's postfix package (.ci/run installs it); without them the tests
 * are skipped with the reason, and under CI=true they fail.
 */
class PostfixForwardIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CAROL = "carol@example.com";
    private static final String DAVE = "dave@example.net";
    private static final String A = "mailfwd-a";
    private static final String B = "mailfwd-b";

    @TempDir
    static Path work;
    static RecordingSmtpSink sink;
    static PostfixInstance postfix;

    @BeforeAll
    static void startPostfix() throws Exception {
        Prerequisite.require(Prerequisite.runningAsRoot(),
                "needs root to run a Postfix instance and add its test users");
        Prerequisite.require(Files.isExecutable(PostfixInstance.POSTFIX),
                "Postfix is not installed (apt-get install postfix; .ci/run does)");
        sink = new RecordingSmtpSink();
        postfix = PostfixInstance.start(sink.port());
    }

    @AfterEach
    void emptyTheQueue() throws Exception {
        if (postfix != null) {
            postfix.deleteQueue();
            postfix.deleteDeliveryLogs();
            sink.clear();
        }
    }

    @AfterAll
    static void stopPostfix() throws Exception {
        if (postfix != null) {
            postfix.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    /** gmail-relayed.eml as it would arrive from outside: without its delivery fields. */
    private static byte[] relayedMessage() throws Exception {
        return withoutLines(testmail("gmail-relayed.eml"),
                "Return-Path: <alice+caf_=alice=example.org@example.net>",
                "Delivered-To: alice@example.org");
    }

    private static Received onlyMessageAtTheSink() throws Exception {
        postfix.awaitEmptyQueue(WAIT);
        List<Received> messages = sink.messages();
        assertThat(messages).as("maillog:\n%s", postfix.maillog()).hasSize(1);
        return messages.get(0);
    }

    @Test
    void forwardedMessageKeepsTheOriginalSenderAndItsBytes() throws Exception {
        postfix.rules(A, "forward:\n  - " + DAVE + "\n");
        byte[] input = relayedMessage();

        postfix.inject(CAROL, A + "@localhost", input);

        sink.await(1, WAIT);
        Received forwarded = onlyMessageAtTheSink();
        assertThat(forwarded.mailFrom()).isEqualTo(CAROL);
        assertThat(forwarded.rcptTo()).containsExactly(DAVE);
        // mailfwd's one edit: the stale Return-Path inside is gone. Above the original
        // bytes sit only the fields Postfix adds: its Received on each submission, and
        // local(8)'s X-Original-To and Delivered-To.
        String expected = latin1(withoutLines(input, "Return-Path: <bob@example.com>"));
        assertThat(forwarded.text()).endsWith(expected);
        String added = forwarded.text().substring(0,
                forwarded.text().length() - expected.length());
        assertThat(fieldNames(added)).containsExactly(
                "Received", "X-Original-To", "Delivered-To", "Received");
        assertThat(added).contains("\nX-Original-To: " + A + "@localhost\n"
                + "Delivered-To: " + A + "@localhost\n");
        assertThat(forwarded.text()).doesNotStartWith("From ")
                .doesNotContainPattern("(?mi)^Return-Path:");
        assertThat(postfix.deliveryLog(A)).contains(" from=<" + CAROL + "> to=<" + DAVE + ">")
                .contains(" status=sent (2.0.0 ");
    }

    @Test
    void signaturesStillVerifyAtTheNextHop() throws Exception {
        Dkimpy.require();
        postfix.rules(A, "forward:\n  - " + DAVE + "\n");

        postfix.inject(CAROL, A + "@localhost", relayedMessage());

        sink.await(1, WAIT);
        Path arrived = Files.write(work.resolve("arrived.eml"), onlyMessageAtTheSink().data());
        assertThat(Dkimpy.verify(arrived)).isEqualTo(arrived + " sigs=pass,pass");
    }

    @Test
    void bounceKeepsTheNullSender() throws Exception {
        postfix.rules(A, "forward:\n  - " + DAVE + "\n");
        byte[] bounce = withoutLines(testmail("bounce.eml"),
                "From MAILER-DAEMON  Tue Nov  3 10:15:02 2026", "Return-Path: <>");

        postfix.inject("<>", A + "@localhost", bounce);

        sink.await(1, WAIT);
        Received forwarded = onlyMessageAtTheSink();
        assertThat(forwarded.mailFrom()).isEmpty();
        assertThat(forwarded.rcptTo()).containsExactly(DAVE);
        assertThat(forwarded.text()).endsWith(latin1(bounce))
                .doesNotContainPattern("(?mi)^Return-Path:");
    }

    @Test
    void brokenRuleFileLeavesTheMessageDeferredInTheQueue() throws Exception {
        postfix.rules(A, "forward:\n  - " + DAVE + "\n\tlog: x\n");

        postfix.inject(CAROL, A + "@localhost", relayedMessage());

        String entry = postfix.awaitQueued(json -> json.contains("\"queue_name\": \"deferred\""),
                WAIT);
        assertThat(entry).contains("\"sender\": \"" + CAROL + "\"")
                .contains("\"address\": \"" + A + "@localhost\"")
                .contains(".mailfwd.yaml:3:1: found character");
        // Postfix takes mailfwd's leading status code as the DSN code of the deferral.
        assertThat(postfix.maillog()).containsPattern("to=<" + A
                + "@localhost>, relay=local, .* dsn=4\\.3\\.5, status=deferred");
        assertThat(postfix.queue()).hasSize(1);
        assertThat(sink.messages()).as("nothing forwarded, nothing bounced").isEmpty();
    }

    @Test
    void permanentFailureBouncesToTheOriginalSender() throws Exception {
        // More Received fields than max_received is a loop for mailfwd: 5.4.6, exit 65.
        postfix.rules(A, "forward:\n  - " + DAVE + "\nmax_received: 2\n");

        postfix.inject(CAROL, A + "@localhost", relayedMessage());

        sink.await(1, WAIT);
        Received bounce = onlyMessageAtTheSink();
        assertThat(bounce.mailFrom()).isEmpty();
        assertThat(bounce.rcptTo()).containsExactly(CAROL);
        assertThat(bounce.text()).contains("Status: 5.4.6")
                .contains("Final-Recipient: rfc822; " + A + "@localhost")
                .contains("mail forwarding loop: 5 Received fields, more than 2");
        assertThat(postfix.deliveryLog(A)).contains(" status=bounced (5.4.6 ");
    }

    @Test
    void loopBetweenTwoUsersEndsInOneBounce() throws Exception {
        postfix.rules(A, "forward:\n  - " + B + "@localhost\n");
        postfix.rules(B, "forward:\n  - " + A + "@localhost\n");

        postfix.inject(CAROL, A + "@localhost", relayedMessage());

        sink.await(1, WAIT);
        Received bounce = onlyMessageAtTheSink();
        assertThat(bounce.mailFrom()).isEmpty();
        assertThat(bounce.rcptTo()).containsExactly(CAROL);
        assertThat(bounce.text()).contains("Status: 5.4.6")
                .containsPattern("(?i)mail forwarding loop for " + A + "@localhost");
        // One hop each way: a forwarded once, b forwarded once, then the loop was seen.
        assertThat(postfix.deliveryLog(A).lines()).hasSize(1);
        assertThat(postfix.deliveryLog(B).lines()).hasSize(1);
    }

    /** The names of the header fields in text, in order (continuation lines skipped). */
    private static List<String> fieldNames(String text) {
        return Arrays.stream(text.split("\n"))
                .filter(line -> !line.isEmpty() && line.charAt(0) != ' '
                        && line.charAt(0) != '\t')
                .map(line -> line.substring(0, line.indexOf(':')))
                .toList();
    }

}
