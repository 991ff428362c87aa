package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.cli.CaptureSendmail;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * The installed launcher, run as an MTA runs it, with {@code handoff: smtp}: what reaches a
 * relay on 127.0.0.1 (the scripted server or GreenMail), the exit status and the stderr line
 * the MTA sees when the relay is down or refuses, the dry run's SMTP envelope, and that the
 * sendmail path never loads Jakarta Mail.
 */
class SmtpHandoffIT {
    /** LF line ends, a line that needs dot-stuffing, and no Return-Path to remove. */
    private static final byte[] MESSAGE = ("From: Author <author@example.org>\n"
            + "To: alice@example.org\nSubject: over SMTP\nMessage-ID: <smtp-it@example.org>\n"
            + "\nfirst line\n.a line that starts with a dot\n..and one with two\nlast line\n")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    private static Map<String, String> postfix(String sender) {
        return InstalledMailfwd.postfixLocal(sender);
    }

    private static Map<String, String> qmail(String sender) {
        return env("SENDER", sender, "RECIPIENT", "alice-fwd@example.org", "LOCAL",
                "alice-fwd", "HOST", "example.org", "EXT", "fwd",
                "DTLINE", "Delivered-To: alice-fwd@example.org\n",
                "RPLINE", "Return-Path: <" + sender + ">\n");
    }

    /** A rule file that forwards everything to bob over SMTP to 127.0.0.1:port, no TLS. */
    private static Path smtpRules(int port) throws Exception {
        return mailfwd.ruleFile("forward: [bob@example.net]\nhandoff: smtp\n"
                + "smtp:\n  host: 127.0.0.1\n  port: " + port + "\n  tls: off\n"
                + "  helo: client.test\n  connect_timeout: 5s\n  read_timeout: 10s\n");
    }

    /** An empty system file, so that no /etc/mailfwd/config.yaml of this host takes part. */
    private static Path noSystemFile() throws Exception {
        return Files.writeString(mailfwd.newDirectory("etc").resolve("config.yaml"), "");
    }

    private static Run deliver(Path rules, Map<String, String> environment, byte[] message,
            String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--rules", rules.toString(), "--config",
                noSystemFile().toString()));
        args.addAll(List.of(extra));
        return mailfwd.run(args, environment, message);
    }

    @Test
    void forwardArrivesByteExactFromTheOriginalSender_smtp() throws Exception {
        Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            Run run = deliver(smtpRules(server.port()), postfix("carol@example.com"), MESSAGE,
                    "--log", log.toString());
            server.awaitEnd();

            assertThat(run.exitCode()).withFailMessage("exit %s, stderr: %s", run.exitCode(),
                    run.stderrText()).isZero();
            assertThat(run.stderr()).isEmpty();
            assertThat(server.commands()).containsSubsequence("EHLO client.test",
                    "MAIL FROM:<carol@example.com>", "RCPT TO:<bob@example.net>", "DATA",
                    "QUIT");
            assertThat(server.data()).isEqualTo(SmtpTestSupport.onTheWire(MESSAGE));
            assertThat(Files.readString(log)).contains(" relay=smtp:127.0.0.1:" + server.port()
                    + " ").contains("status=sent");
        }
    }

    @Test
    void bounceGoesOutWithTheNullSender_smtp() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            Run run = deliver(smtpRules(server.port()), postfix(""),
                    InstalledMailfwd.testmail("bounce.eml"));
            server.awaitEnd();

            assertThat(run.exitCode()).withFailMessage("exit %s, stderr: %s", run.exitCode(),
                    run.stderrText()).isZero();
            assertThat(server.commands()).contains("MAIL FROM:<>", "RCPT TO:<bob@example.net>")
                    .noneMatch(line -> line.startsWith("MAIL FROM:<") && !line.equals(
                            "MAIL FROM:<>"));
        }
    }

    @Test
    void relayThatIsDownDefersWith441() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }

        Run run = deliver(smtpRules(closedPort), postfix("carol@example.com"), MESSAGE);

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).startsWith("4.4.1 ").contains("127.0.0.1:" + closedPort)
                .hasLineCount(1);
    }

    @ParameterizedTest(name = "under {0}: exit {1}")
    @CsvSource({"postfix, 76", "qmail, 100"})
    void refusedRecipientBouncesWithTheRelaysText(String mta, int exit) throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .reply("rcpt", "550 5.1.1 <bob@example.net>: no such user here").start()) {
            Run run = deliver(smtpRules(server.port()), mta.equals("qmail")
                    ? qmail("carol@example.com") : postfix("carol@example.com"), MESSAGE);
            server.awaitEnd();

            assertThat(run.exitCode()).isEqualTo(exit);
            assertThat(run.stderrText()).startsWith("5.1.1 ").contains("no such user here")
                    .hasLineCount(1);
            assertThat(server.commands()).doesNotContain("DATA");
        }
    }

    @Test
    void syntaxErrorToOurMailFromDefersAndNeverBounces() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .reply("mail", "555 5.5.2 Syntax error").start()) {
            Run run = deliver(smtpRules(server.port()), postfix("carol@example.com"), MESSAGE);
            server.awaitEnd();

            assertThat(run.exitCode()).isEqualTo(75);
            assertThat(run.stderrText()).startsWith("4.").contains("Syntax error")
                    .hasLineCount(1);
        }
    }

    @Test
    void systemFileHandsOffToGreenMail() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        try {
            Path system = Files.writeString(mailfwd.newDirectory("etc").resolve("config.yaml"),
                    "handoff: smtp\nsmtp:\n  host: 127.0.0.1\n  port: "
                            + greenMail.getSmtp().getPort() + "\n  tls: off\n");
            Path rules = mailfwd.ruleFile("forward: [bob@example.net]\n");

            Path log = mailfwd.newDirectory("log").resolve("mailfwd.log");
            Run run = mailfwd.run(List.of("--rules", rules.toString(), "--config",
                    system.toString(), "--log", log.toString()), postfix("carol@example.com"),
                    MESSAGE);

            assertThat(run.exitCode()).withFailMessage("exit %s, stderr: %s, stdout: %s, log: %s",
                    run.exitCode(), run.stderrText(), run.stdoutText(),
                    Files.exists(log) ? Files.readString(log) : "none").isZero();
            MimeMessage[] received = greenMail.getReceivedMessages();
            assertThat(received).hasSize(1);
            assertThat(received[0].getHeader("Return-Path"))
                    .containsExactly("<carol@example.com>");
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            received[0].writeTo(raw);
            // GreenMail adds its own Return-Path and Received on top, stores the message
            // with its own line ends and drops the last one; the rest is ours, dots
            // unstuffed again. The byte-exact check is against the scripted server above.
            String sent = new String(MESSAGE, StandardCharsets.US_ASCII);
            assertThat(new String(raw.toByteArray(), StandardCharsets.US_ASCII)
                    .replace("\r\n", "\n"))
                    .endsWith(sent.substring(0, sent.length() - 1));
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void dryRunShowsTheSmtpEnvelopeAndConnectsNowhere() throws Exception {
        Path rules = smtpRules(2525);

        Run text = deliver(rules, postfix(""), MESSAGE, "--dry-run");
        Run json = deliver(rules, postfix(""), MESSAGE, "--dry-run", "--json");

        assertThat(text.exitCode()).isZero();
        assertThat(text.stdoutText()).contains(String.join("\n",
                "smtp:            connect 127.0.0.1:2525 tls=off",
                "smtp:            MAIL FROM:<>",
                "smtp:            RCPT TO:<bob@example.net>", "")).doesNotContain("argv:");
        assertThat(json.stdoutText()).contains("\"argv\":[]",
                "\"smtp\":{\"relay\":\"127.0.0.1:2525\",\"tls\":\"off\",\"auth\":null,"
                        + "\"mailFrom\":\"<>\",\"rcptTo\":[\"<bob@example.net>\"]}");
    }

    /**
     * The installed launcher turns JVM logging off (-Xlog:disable, after JAVA_TOOL_OPTIONS),
     * so these two run the installed jar with the same java and -verbose:class instead.
     */
    private static Run verboseClass(Path rules, Map<String, String> environment,
            String... extra) throws Exception {
        Path dir = mailfwd.newDirectory("verbose");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-jar", System.getProperty("mailfwd.jar"),
                "--rules", rules.toString(), "--config", noSystemFile().toString()));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(InstalledMailfwd.withAllowRoot(command))
                .redirectInput(Files.write(dir.resolve("stdin"), MESSAGE).toFile())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readAllBytes(dir.resolve("stdout")),
                Files.readAllBytes(dir.resolve("stderr")));
    }

    @Test
    void sendmailPathNeverLoadsJakartaMail() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Map<String, String> environment = new HashMap<>(postfix("carol@example.com"));
        environment.putAll(capture.environment());
        Path rules = mailfwd.ruleFile("forward: [bob@example.net]\n"
                + "smtp: {host: 127.0.0.1, tls: off}\n");

        Run run = verboseClass(rules, environment, "--sendmail", CaptureSendmail.path());

        assertThat(run.exitCode()).withFailMessage("exit %s, stderr: %s", run.exitCode(),
                run.stderrText()).isZero();
        assertThat(capture.wasRun()).isTrue();
        assertThat(run.stdoutText()).contains("org.mailfwd.handoff.SendmailHandoff")
                .doesNotContain("jakarta.mail.").doesNotContain("org.eclipse.angus.");
    }

    @Test
    void smtpPathDoesLoadJakartaMail() throws Exception {
        // The control for the test above: -verbose:class does show Jakarta Mail when used.
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            Run run = verboseClass(smtpRules(server.port()), postfix("carol@example.com"));
            server.awaitEnd();

            assertThat(run.exitCode()).withFailMessage("exit %s, stderr: %s", run.exitCode(),
                    run.stderrText()).isZero();
            assertThat(run.stdoutText()).contains("jakarta.mail.");
        }
    }
}
