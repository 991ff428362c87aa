package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.prepended;
import static org.mailfwd.cli.MessageBytes.withoutLines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * mailfwd as a pipe in an Exim .forward file. Exim's address_pipe transport exports
 * LOCAL_PART, DOMAIN, QUALIFY_DOMAIN, SENDER and RECIPIENT, writes a From_ line, Return-path,
 * Envelope-to and Delivery-date, and bounces the message if the command prints anything:
 * so mailfwd prints NOTHING, even when it fails, and says why in its log only.
 */
class EximDeliveryIT {
    private static final String EXIM_TOP = "From bob@example.com Tue Nov  3 09:31:41 2026\n"
            + "Return-path: <bob@example.com>\n"
            + "Envelope-to: alice@example.org\n"
            + "Delivery-date: Tue, 03 Nov 2026 09:31:41 +0100\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    private static Run deliver(Path rules, Path log, CaptureSendmail capture, byte[] message)
            throws Exception {
        Map<String, String> env = env("SENDER", "bob@example.com", "RECIPIENT",
                "alice@example.org", "LOCAL_PART", "alice", "DOMAIN", "example.org",
                "QUALIFY_DOMAIN", "example.org", "LOCAL_PART_PREFIX", "",
                "LOCAL_PART_SUFFIX", "", "MESSAGE_ID", "1vQz7k-000Abc-2x", "USER", "alice");
        env.putAll(capture.environment());
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path(), "--log", log.toString()), env, message);
    }

    private static Path defaultRules() throws Exception {
        return mailfwd.ruleFile("forward:\n  - alice@example.net\n");
    }

    @Test
    void forwardsSilently() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
        byte[] input = prepended(EXIM_TOP, testmail("qmail-raw.eml"));

        Run run = deliver(defaultRules(), log, capture, input);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "bob@example.com", "--", "alice@example.net");
        assertThat(capture.stdin()).isEqualTo(withoutLines(input,
                "From bob@example.com Tue Nov  3 09:31:41 2026",
                "Return-path: <bob@example.com>"));
        assertThat(Files.readString(log)).contains(" status=sent (2.0.0 ");
    }

    @Test
    void deferralPrintsNothingAndTheLogSaysWhy() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"))
                .exitingWith(75);
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");

        Run run = deliver(defaultRules(), log, capture,
                prepended(EXIM_TOP, testmail("qmail-raw.eml")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains(
                " status=deferred (4.3.0 " + CaptureSendmail.path() + " exited with status 75)");
    }

    @Test
    void loopBouncesSilently() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
        byte[] looped = prepended(EXIM_TOP + "Delivered-To: alice@example.org\n",
                testmail("qmail-raw.eml"));

        Run run = deliver(defaultRules(), log, capture, looped);

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.wasRun()).isFalse();
        assertThat(Files.readString(log))
                .contains(" status=bounced (5.4.6 mail forwarding loop for alice@example.org)");
    }

    @Test
    void brokenRuleFileDefersSilently() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
        Path rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n\tlog: x\n");

        Run run = deliver(rules, log, capture, prepended(EXIM_TOP, testmail("qmail-raw.eml")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.wasRun()).isFalse();
        assertThat(Files.readString(log)).contains(" status=deferred (4.3.5 " + rules + ":");
    }
}
