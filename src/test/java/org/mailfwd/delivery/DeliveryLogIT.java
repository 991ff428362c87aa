package org.mailfwd.delivery;

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
import org.mailfwd.cli.CaptureSendmail;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * The log: exactly one Postfix-style line per delivery, whatever the outcome, with every
 * value made printable, so that a hostile SENDER or RECIPIENT can never forge a second line.
 */
class DeliveryLogIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n");
    }

    private static Run deliver(String sender, String recipient, Path log,
            CaptureSendmail capture) throws Exception {
        Map<String, String> env = env("SENDER", sender, "RECIPIENT", recipient,
                "ORIGINAL_RECIPIENT", recipient, "LOCAL", "alice", "DOMAIN", "example.org",
                "EXTENSION", "", "USER", "alice");
        env.putAll(capture.environment());
        return mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path(), "--log", log.toString()), env,
                testmail("postfix-forward.eml"));
    }

    private static List<String> lines(Path log) throws Exception {
        return List.of(Files.readString(log, StandardCharsets.UTF_8).split("\n", -1));
    }

    @Test
    void eachDeliveryAppendsOnePostfixStyleLine() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");

        deliver("bob@example.com", "alice@example.org", log,
                new CaptureSendmail(mailfwd.newDirectory("capture")));
        deliver("bob@example.com", "alice@example.org", log,
                new CaptureSendmail(mailfwd.newDirectory("capture")).exitingWith(75));

        List<String> lines = lines(log);
        assertThat(lines).hasSize(3).last().isEqualTo("");
        assertThat(lines.get(0)).matches(".* mailfwd\\[\\d+\\]: \\w+: "
                + "msgid=<20261103082010\\.9B2C41E0042@mail\\.example\\.com> "
                + "from=<bob@example\\.com> to=<alice@example\\.net> "
                + "orig_to=<alice@example\\.org> user=alice relay=sendmail delay=\\d+\\.\\d\\d "
                + "status=sent \\(2\\.0\\.0 forwarded to 1 recipient\\(s\\)\\) "
                + "spam=none tag=none "
                + "dkim=\\(not signed: no signing section in /etc/mailfwd/config\\.yaml\\)");
        assertThat(lines.get(1)).contains(" from=<bob@example.com> ",
                " status=deferred (4.3.0 " + CaptureSendmail.path() + " exited with status 75)");
    }

    @Test
    void newlineInSenderCannotForgeASecondLogLine() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");

        Run run = deliver("bob@example.com\n2026-11-03T09:00:00Z mailfwd[1]: x: status=sent",
                "alice@example.org", log, new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(lines(log)).hasSize(2);
        assertThat(lines(log).get(0)).contains(" status=deferred (4.1.7 ");
    }

    @Test
    void controlCharactersInRecipientCannotForgeASecondLogLine() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");

        Run run = deliver("bob@example.com", "alice@example.org\r\nstatus=sent\u001b[2J", log,
                new CaptureSendmail(mailfwd.newDirectory("capture")));

        assertThat(run.exitCode()).isEqualTo(75);
        List<String> lines = lines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("\r", "\u001b")
                .contains(" status=deferred (4.3.5 ");
    }

    @Test
    void emptyStdinWritesOneLineToTheLogOptionAndToTheHomeLog() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
        Path home = mailfwd.newDirectory("home");
        Map<String, String> env = env("SENDER", "bob@example.com", "HOME", home.toString());

        Run withLog = mailfwd.run(List.of("--rules", rules.toString(), "--log",
                log.toString()), env, new byte[0]);
        Run withoutLog = mailfwd.run(List.of("--rules", rules.toString()), env, new byte[0]);

        assertThat(withLog.exitCode()).isEqualTo(75);
        assertThat(withoutLog.exitCode()).isEqualTo(75);
        for (Path file : List.of(log, home.resolve(".mailfwd.log"))) {
            assertThat(lines(file)).as(file.toString()).hasSize(2);
            assertThat(lines(file).get(0)).contains(" status=deferred (4.3.0 read message:"
                    + " standard input is empty, which is no message)");
        }
    }

    @Test
    void aCommandLineThatDoesNotParseWritesOneLineToTheHomeLog() throws Exception {
        Path home = mailfwd.newDirectory("home");

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--bogus"),
                env("SENDER", "bob@example.com", "HOME", home.toString()),
                testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        List<String> lines = lines(home.resolve(".mailfwd.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" status=deferred (4.3.5 mailfwd: unknown option"
                + " --bogus (see mailfwd --help))");
    }
}
