package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

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
}
