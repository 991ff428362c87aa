package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * A delivery run as root is deferred unless --allow-root says it is meant. These tests need
 * root; CI runs as root, so there they always run.
 */
class RootRefusalIT {
    @TempDir
    static java.nio.file.Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    @BeforeEach
    void needRoot() {
        boolean root = !InstalledMailfwd.allowRootFlag().isEmpty();
        if (!root && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the tests as root to check the refusal");
        }
        assumeTrue(root, "skipped: only a process running as root can be refused");
    }

    private Run deliver(List<String> flags, Map<String, String> mtaEnv, CaptureSendmail capture)
            throws Exception {
        Map<String, String> env = env("SENDER", "bob@example.com");
        env.putAll(mtaEnv);
        env.putAll(capture.environment());
        List<String> args = new java.util.ArrayList<>(flags);
        args.addAll(List.of("--rules", mailfwd.ruleFile("forward: [carol@example.net]\n")
                .toString(), "--sendmail", CaptureSendmail.path()));
        return mailfwd.runAsGiven(args, env, testmail("qmail-raw.eml"));
    }

    @Test
    void rootIsRefusedWithATemporaryFailure() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = deliver(List.of(), Map.of(), capture);

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.5 mailfwd refuses to deliver as root: run"
                + " it as the user whose mail it is, or pass --allow-root\n");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void underQmailTheRefusalIs111AndUnderEximSilent() throws Exception {
        Run qmail = deliver(List.of(), Map.of("DTLINE", "Delivered-To: a@example.org\n"),
                new CaptureSendmail(mailfwd.newDirectory("capture")));
        Run exim = deliver(List.of(), Map.of("LOCAL_PART", "a", "QUALIFY_DOMAIN", "x"),
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(qmail.exitCode()).isEqualTo(111);
        assertThat(exim.exitCode()).isEqualTo(75);
        assertThat(exim.stderr()).isEmpty();
    }

    @Test
    void allowRootDelivers() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = deliver(List.of("--allow-root"), Map.of(), capture);

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(capture.wasRun()).isTrue();
    }

    @Test
    void dryRunAsRootRunsButReportsTheRefusalTheDeliveryWouldMeet() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run text = deliver(List.of("--dry-run"), Map.of(), capture);
        Run json = deliver(List.of("--dry-run", "--json"), Map.of("DTLINE", "Delivered-To:"
                + " a@example.org\n"), capture);

        assertThat(text.exitCode()).as(text.stderrText()).isZero();
        assertThat(text.stdoutText()).contains("recipients:      <carol@example.net>")
                .contains("exit status:     75 (deferred: 4.3.5 mailfwd refuses to deliver as"
                        + " root: run it as the user whose mail it is, or pass --allow-root)");
        assertThat(json.exitCode()).isZero();
        assertThat(json.stdoutText()).contains("\"status\":\"deferred\"",
                "\"statusLine\":\"4.3.5 mailfwd refuses to deliver as root", "\"exitCode\":111");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void dryRunWithAllowRootReportsTheHandOff() throws Exception {
        Run run = deliver(List.of("--dry-run", "--allow-root"), Map.of(),
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.stdoutText()).contains("exit status:     0 (sent: 2.0.0 would hand off)");
    }

    @Test
    void refusalWritesOneLogLineToTheLogOption() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");

        Run run = deliver(List.of("--log", log.toString()), Map.of("LOCAL_PART", "a",
                "QUALIFY_DOMAIN", "x"), new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderr()).as("Exim bounces on any output").isEmpty();
        assertThat(Files.readString(log)).hasLineCount(1).endsWith("\n")
                .contains(" status=deferred (4.3.5 mailfwd refuses to deliver as root: ");
    }

    @Test
    void refusalWritesOneLogLineToTheHomeLogWithoutALogOption() throws Exception {
        Path home = mailfwd.newDirectory("home");

        Run run = deliver(List.of(), Map.of("HOME", home.toString()),
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(Files.readString(home.resolve(".mailfwd.log"))).hasLineCount(1)
                .contains(" status=deferred (4.3.5 mailfwd refuses to deliver as root: ");
    }

    @Test
    void anUnwritableLogDoesNotChangeTheRefusal() throws Exception {
        Path log = mailfwd.newDirectory("log");

        Run run = deliver(List.of("--log", log.toString()), Map.of(),
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).startsWith("4.3.5 mailfwd refuses to deliver as root")
                .hasLineCount(1);
    }
}
