package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * Issue 7's fault matrix for the SMTP hand-off, end to end, with a rule that also keeps a
 * local copy: a relay that answers 4xx, drops the connection in the middle of DATA or cannot
 * give the TLS the config demands defers the message, with one status line and the log line;
 * the retry to a working relay then forwards once and keeps no second copy. A relay that is
 * down and one that refuses with 5xx are rows of {@code SmtpHandoffIT}.
 */
class SmtpFaultMatrixIT {
    private static final byte[] MESSAGE = ("From: Author <author@example.org>\n"
            + "To: alice@example.org\nSubject: over SMTP\nMessage-ID: <fault@example.org>\n"
            + "\n" + "a line of the body that is long enough to be worth cutting\n".repeat(200))
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    private static Run deliver(Path home, int port, String tls) throws Exception {
        Path rules = Files.writeString(home.resolve(".mailfwd.yaml"), "rules:\n"
                + "  - forward: [bob@example.net]\n    keep: " + home + "/Maildir/\n"
                + "handoff: smtp\nsmtp:\n  host: 127.0.0.1\n  port: " + port + "\n  tls: "
                + tls + "\n  helo: client.test\n  connect_timeout: 5s\n  read_timeout: 10s\n"
                + "log: " + home + "/mailfwd.log\n");
        Path system = Files.writeString(home.resolve("config.yaml"), "");
        Map<String, String> environment = env("SENDER", "carol@example.com", "RECIPIENT",
                "alice@example.org", "ORIGINAL_RECIPIENT", "alice@example.org",
                "HOME", home.toString());
        return mailfwd.run(List.of("--rules", rules.toString(), "--config", system.toString()),
                environment, MESSAGE);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                fault("the relay answers 451 at the end of DATA", "off",
                        s -> s.reply("end", "451 4.3.0 try later"), "4.3.0 "),
                fault("the relay answers 421 at the greeting", "off",
                        s -> s.reply("greeting", "421 4.3.2 busy"), "4."),
                fault("the relay drops the connection mid-DATA", "off",
                        s -> s.dropAfterDataBytes(1000), "4.4.2 "),
                fault("STARTTLS required but not offered", "starttls-required",
                        UnaryOperator.identity(), "4.7."));
    }

    private static Arguments fault(String name, String tls, UnaryOperator<SmtpScriptedServer> s,
            String stderrStart) {
        return Arguments.of(name, tls, s, stderrStart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aRelayFaultDefersAndTheRetryForwardsOnceKeepingOneCopy(String name, String tls,
            UnaryOperator<SmtpScriptedServer> setup, String stderrStart) throws Exception {
        Path home = mailfwd.newDirectory("home");
        Run first;
        try (SmtpScriptedServer failing = setup.apply(new SmtpScriptedServer()).start()) {
            first = deliver(home, failing.port(), tls);
        }
        Run retry;
        SmtpScriptedServer working = new SmtpScriptedServer().start();
        try (working) {
            retry = deliver(home, working.port(), "off");
            working.awaitEnd();
        }

        assertThat(first.exitCode()).isEqualTo(75);
        assertThat(first.stderrText()).startsWith(stderrStart).hasLineCount(1);
        assertThat(retry.exitCode()).withFailMessage("retry: %s", retry.stderrText()).isZero();
        assertThat(working.commands()).containsOnlyOnce("DATA");
        assertThat(Files.list(home.resolve("Maildir/new"))).hasSize(1);
        List<String> log = Files.readAllLines(home.resolve("mailfwd.log"));
        assertThat(log.get(0)).contains("status=deferred (" + stderrStart);
        assertThat(log.get(1)).contains("status=sent").contains("journal=(skipped 1 ");
    }
}
