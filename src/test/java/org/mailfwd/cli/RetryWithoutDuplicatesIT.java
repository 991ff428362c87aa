package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

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
 * Issue 7: a message kept locally and forwarded, whose forward fails once, is redelivered
 * whole by the MTA; the retry must forward it without writing the local copy again. Each
 * attempt comes with its own mbox From_ line, as a Postfix pipe(8) with the F flag writes it,
 * on top of local(8)'s Return-Path, X-Original-To and Delivered-To.
 */
class RetryWithoutDuplicatesIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    private static Run attempt(Path home, Path rules, CaptureSendmail capture, String fromDate)
            throws Exception {
        Map<String, String> env = env("SENDER", "bob@example.com", "RECIPIENT",
                "alice@example.org", "ORIGINAL_RECIPIENT", "alice@example.org",
                "HOME", home.toString());
        env.putAll(capture.environment());
        String mail = new String(testmail("postfix-forward.eml"), StandardCharsets.ISO_8859_1);
        byte[] message = ("From bob@example.com " + fromDate + mail.substring(mail.indexOf('\n')))
                .getBytes(StandardCharsets.ISO_8859_1);
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), env, message);
    }

    private static Path rules(Path home) throws Exception {
        return mailfwd.ruleFile("rules:\n  - forward: [carol@example.net]\n    keep: " + home
                + "/Maildir/\nlog: " + home + "/mailfwd.log\n");
    }

    @Test
    void aRetryAfterAFailedForwardForwardsOnceAndKeepsOneCopy() throws Exception {
        Path home = mailfwd.newDirectory("home");
        Path rules = rules(home);
        CaptureSendmail failing = new CaptureSendmail(mailfwd.newDirectory("first"))
                .exitingWith(75);
        CaptureSendmail working = new CaptureSendmail(mailfwd.newDirectory("second"));

        Run first = attempt(home, rules, failing, "Fri Dec  4 10:00:00 2026");
        Run second = attempt(home, rules, working, "Fri Dec  4 10:05:00 2026");

        assertThat(first.exitCode()).isEqualTo(75);
        assertThat(second.exitCode()).as(second.stderrText()).isZero();
        assertThat(second.stderrText()).isEmpty();
        assertThat(Files.list(home.resolve("Maildir/new"))).hasSize(1);
        assertThat(failing.wasRun()).isTrue();
        assertThat(working.wasRun()).isTrue();
        assertThat(new String(working.stdin(), StandardCharsets.UTF_8))
                .contains("Subject:");
        List<String> log = Files.readAllLines(home.resolve("mailfwd.log"));
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).contains("status=deferred").doesNotContain("journal=");
        assertThat(log.get(1)).contains("status=sent")
                .contains("journal=(skipped 1 target(s) done by an earlier attempt)");
    }

    @Test
    void anUnusableJournalCostsADuplicateNeverTheMessage() throws Exception {
        Path home = mailfwd.newDirectory("home");
        Files.writeString(home.resolve(".mailfwd"), "a file where the journal's directory goes");
        Path rules = rules(home);

        Run first = attempt(home, rules, new CaptureSendmail(mailfwd.newDirectory("first"))
                .exitingWith(75), "Fri Dec  4 10:00:00 2026");
        Run second = attempt(home, rules, new CaptureSendmail(mailfwd.newDirectory("second")),
                "Fri Dec  4 10:05:00 2026");

        assertThat(first.exitCode()).isEqualTo(75);
        assertThat(second.exitCode()).isZero();
        assertThat(Files.list(home.resolve("Maildir/new"))).hasSize(2);
        List<String> log = Files.readAllLines(home.resolve("mailfwd.log"));
        assertThat(log.get(1)).contains("status=sent")
                .containsPattern("journal=\\(journal not written: [^)]*; a retry may duplicate");
    }
}
