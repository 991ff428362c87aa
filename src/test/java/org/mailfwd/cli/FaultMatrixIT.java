package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * Issue 7's fault matrix, end to end: the installed launcher runs under a Postfix-like
 * environment with a fault set up around it. For each fault the test checks what the MTA
 * and the admin see (exit status, the one stderr line, the log line) and that the message
 * was neither lost nor half-delivered: a deferred message reached no sendmail and left no
 * local copy, so the MTA's retry is the only delivery. Sendmail's own failures (missing,
 * not executable, exit 1 and 75, killed, hanging, closing early) are rows of
 * {@code SendmailFailureIT}; here are the rest.
 */
class FaultMatrixIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    /** One fault: what to set up, and what the run must show. */
    record Fault(String name, int exit, String stderrStart, String logStatus) {
    }

    /** The place one run happens in: HOME, the Maildir, the capture and the log. */
    record Scene(Path home, Path rules, Path log, CaptureSendmail capture,
            List<String> args, Map<String, String> env) {
        static Scene of(String rulesYaml) throws Exception {
            Path home = mailfwd.newDirectory("home");
            Path log = home.resolve("mailfwd.log");
            Path rules = Files.writeString(home.resolve(".mailfwd.yaml"), rulesYaml
                    .replace("HOME", home.toString()) + "\nlog: " + log + "\n");
            CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
            Map<String, String> env = InstalledMailfwd.env("SENDER", "bob@example.com",
                    "RECIPIENT", "alice@example.org", "ORIGINAL_RECIPIENT",
                    "alice@example.org", "HOME", home.toString());
            env.putAll(capture.environment());
            List<String> args = new ArrayList<>(List.of("--sendmail",
                    CaptureSendmail.path()));
            return new Scene(home, rules, log, capture, args, env);
        }

        Run run(byte[] message) throws Exception {
            return mailfwd.run(args, env, message);
        }

        boolean keptACopy() throws Exception {
            Path fresh = home.resolve("Maildir/new");
            return Files.isDirectory(fresh) && Files.list(fresh).findAny().isPresent();
        }

        String logText() throws Exception {
            return Files.exists(log) ? Files.readString(log)
                    : Files.readString(home.resolve(".mailfwd.log"));
        }
    }

    private static final String KEEP_AND_FORWARD =
            "rules:\n  - forward: [carol@example.net]\n    keep: HOME/Maildir/\n";

    static Stream<Arguments> deferring() {
        return Stream.of(
                row("rule file missing", s -> Files.delete(s.rules()), "4.3.5 "),
                row("rule file unreadable (a directory)", s -> {
                    Files.delete(s.rules());
                    Files.createDirectory(s.rules());
                }, "4.3.5 "),
                row("rule file broken", s -> Files.writeString(s.rules(),
                        "forward: [unclosed\n"), "4.3.5 "),
                row("system file named but missing", s -> s.args().addAll(List.of(
                        "--config", s.home().resolve("none.yaml").toString())), "4.3.5 "),
                row("system file broken", s -> s.args().addAll(List.of("--config",
                        Files.writeString(s.home().resolve("config.yaml"),
                                "max_targets: many\n").toString())), "4.3.5 "),
                row("signing key missing", s -> {
                    s.env().put("SASL_USERNAME", "bob");
                    s.args().addAll(List.of("--config", Files.writeString(
                            s.home().resolve("config.yaml"), "signing:\n  origin:\n"
                            + "    sasl: true\n  domains:\n    example.com:\n"
                            + "      selector: s1\n      key: " + s.home()
                            + "/missing.pem\n").toString()));
                }, "4.3.5 dkim: "),
                row("sendmail exits 67 (EX_NOUSER)", s -> s.env().put("CAPTURE_EXIT", "67"),
                        "4.3.0 "),
                row("sendmail exits 78 (EX_CONFIG)", s -> s.env().put("CAPTURE_EXIT", "78"),
                        "4.3.0 "));
    }

    interface Setup {
        void apply(Scene scene) throws Exception;
    }

    private static Arguments row(String name, Setup setup, String stderrStart) {
        return Arguments.of(name, setup, stderrStart);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deferring")
    void aFaultDefersTheWholeMessage(String name, Setup setup, String stderrStart)
            throws Exception {
        Scene scene = Scene.of(KEEP_AND_FORWARD);
        setup.apply(scene);

        Run run = scene.run(testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).startsWith(stderrStart).endsWith("\n");
        assertThat(run.stderrText().lines()).hasSize(1);
        assertThat(run.stdout()).isEmpty();
        if (!name.startsWith("sendmail")) {
            assertThat(scene.capture().wasRun()).as("handed off").isFalse();
            assertThat(scene.keptACopy()).as("kept a copy").isFalse();
        }
        assertThat(scene.logText()).contains("status=deferred (" + stderrStart);
    }

    @Test
    void aLargeBodyWithAnUnusableTmpdirDefersAndASmallOneIsDelivered() throws Exception {
        Scene large = Scene.of(KEEP_AND_FORWARD);
        large.env().put("TMPDIR", large.home().resolve("no-such-dir").toString());
        Scene small = Scene.of(KEEP_AND_FORWARD);
        small.env().put("TMPDIR", small.home().resolve("no-such-dir").toString());

        Run deferred = large.run(largeMessage(2 << 20));
        Run delivered = small.run(testmail("postfix-forward.eml"));

        assertThat(deferred.exitCode()).isEqualTo(75);
        assertThat(deferred.stderrText()).startsWith("4.3.0 read message: cannot spool the"
                + " body: no directory " + large.home().resolve("no-such-dir") + " (TMPDIR)");
        assertThat(large.capture().wasRun()).isFalse();
        assertThat(large.keptACopy()).isFalse();
        assertThat(delivered.exitCode()).isZero();
        assertThat(small.capture().stdin()).isNotEmpty();
    }

    @Test
    void aLargeBodySpoolsAndIsDeliveredWhole() throws Exception {
        Scene scene = Scene.of(KEEP_AND_FORWARD);
        scene.env().put("TMPDIR", mailfwd.newDirectory("tmp").toString());
        byte[] message = largeMessage(3 << 20);

        Run run = scene.run(message);

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        byte[] forwarded = scene.capture().stdin();
        // The From_ line and Return-Path are not forwarded; all the rest is.
        assertThat(forwarded.length).isGreaterThan(message.length - 200);
        assertThat(new String(forwarded, forwarded.length - 100, 100, StandardCharsets.US_ASCII))
                .isEqualTo(new String(message, message.length - 100, 100,
                        StandardCharsets.US_ASCII));
        assertThat(Files.list(Path.of(scene.env().get("TMPDIR")))).as("spool removed").isEmpty();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("permanentExits")
    void aMessageOverMaxMessageSizeFailsPermanentlyWith534(String mta, Map<String, String> env,
            int exit) throws Exception {
        Scene scene = Scene.of("max_message_size: 1000\n" + KEEP_AND_FORWARD);
        scene.env().putAll(env);

        Run run = scene.run(largeMessage(5000));

        assertThat(run.exitCode()).isEqualTo(exit);
        assertThat(run.stderrText()).matches(
                "5\\.3\\.4 message of \\d+ bytes is larger than max_message_size "
                + "\\(1000 bytes\\)\n");
        assertThat(scene.capture().wasRun()).isFalse();
        assertThat(scene.keptACopy()).isFalse();
        assertThat(scene.logText()).contains("status=bounced (5.3.4 message of");
    }

    static Stream<Arguments> permanentExits() {
        return Stream.of(Arguments.of("Postfix", Map.of(), 65),
                Arguments.of("qmail", Map.of("RPLINE", "Return-Path: <bob@example.com>\n",
                        "DTLINE", "Delivered-To: alice@example.org\n", "NEWSENDER", ""), 100));
    }

    private static byte[] largeMessage(int bodyBytes) throws Exception {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(testmail("postfix-forward.eml"));
        byte[] line = "0123456789 The quick brown fox jumps over the lazy dog. 0123456789\n"
                .getBytes(StandardCharsets.US_ASCII);
        while (message.size() < bodyBytes) {
            message.write(line);
        }
        return message.toByteArray();
    }
}
