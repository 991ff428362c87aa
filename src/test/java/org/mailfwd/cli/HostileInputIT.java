package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * Issue 7's hostile input, end to end. For every message, environment value and rule file
 * an attacker (or a broken MTA) could hand over: the launcher ends with a class the MTA
 * understands (delivered, deferred or bounced), prints at most the one status line (nothing
 * at all under Exim), and what reaches sendmail is the input byte for byte. These messages
 * carry no Return-Path and the MTA is Postfix, so mailfwd has no header edit to make.
 */
class HostileInputIT {
    private static final String STATUS_LINE = "[45]\\.\\d{1,3}\\.\\d{1,3} [^\\r\\n]*\\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward: [carol@example.net]\n");
    }

    static Stream<Arguments> messages() throws Exception {
        byte[] garbage = new byte[200_000];
        new Random(7).nextBytes(garbage);
        return Stream.of(
                Arguments.of("empty input", new byte[0]),
                Arguments.of("binary garbage", garbage),
                Arguments.of("NUL bytes in header and body",
                        bytes("Subject: a\0b\nX-\0: c\n\nbody\0\0\n")),
                Arguments.of("a 1 MB header line",
                        bytes("Subject: " + "a".repeat(1_000_000) + "\n\nbody\n")),
                Arguments.of("100,000 header fields", manyFields(100_000)),
                Arguments.of("bare CR as line ends", bytes("Subject: a\rFrom: b\r\rbody\r")),
                Arguments.of("no blank line between header and body",
                        bytes("Subject: a\nthis is the body\n")),
                Arguments.of("a malformed first line", bytes(": no name\nSubject: a\n\nb\n")),
                Arguments.of("no line end at all", bytes("Subject: cut")),
                Arguments.of("a field name of 10,000 bytes",
                        bytes("X" + "y".repeat(10_000) + ": v\n\nbody\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void aHostileMessageGetsAClearOutcomeAndIsPassedOnUntouched(String name, byte[] message)
            throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), postfix(capture), message);

        assertThat(run.stdout()).isEmpty();
        assertThat(run.exitCode()).isIn(0, 65, 75);
        if (run.exitCode() == 0) {
            assertThat(run.stderr()).isEmpty();
            assertThat(capture.stdin()).as("forwarded bytes").isEqualTo(message);
        } else {
            assertThat(run.stderrText()).matches(STATUS_LINE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void underEximNothingIsPrintedWhateverTheMessage(String name, byte[] message)
            throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Map<String, String> env = env("SENDER", "bob@example.com", "LOCAL_PART", "alice",
                "DOMAIN", "example.org", "QUALIFY_DOMAIN", "example.org");
        env.putAll(capture.environment());

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), env, message);

        assertThat(run.exitCode()).isIn(0, 65, 75);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEmpty();
    }

    static Stream<Arguments> environments() {
        String huge = "a".repeat(100_000) + "@example.com";
        return Stream.of(
                Arguments.of("SENDER with CR LF and a header", "SENDER",
                        "bob@example.com\r\nBcc: victim@example.net"),
                Arguments.of("SENDER with a leading dash", "SENDER", "-oQ/tmp/x"),
                Arguments.of("SENDER with quotes", "SENDER", "\"bob\"\"@example.com"),
                Arguments.of("SENDER of 100 KB", "SENDER", huge),
                Arguments.of("RECIPIENT with LF", "RECIPIENT", "alice@example.org\nx"),
                Arguments.of("RECIPIENT with a leading dash", "RECIPIENT", "-bd"),
                Arguments.of("RECIPIENT of 100 KB", "RECIPIENT", huge),
                Arguments.of("USER of 100 KB", "USER", huge),
                Arguments.of("USER with CR LF", "USER", "alice\r\nstatus=sent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void aHostileEnvironmentValueNeverBecomesAnOptionOrAField(String name, String variable,
            String value) throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path log = mailfwd.newDirectory("log").resolve("log");
        Map<String, String> env = postfix(capture);
        env.put(variable, value);
        byte[] message = bytes("From: bob@example.com\nSubject: hi\n\nbody\n");

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path(), "--log", log.toString()), env, message);

        assertThat(run.stdout()).isEmpty();
        assertThat(run.exitCode()).isIn(0, 65, 75);
        if (run.exitCode() == 0) {
            assertThat(capture.stdin()).isEqualTo(message);
            List<String> argv = capture.argv();
            assertThat(argv.subList(1, argv.size())).containsExactly("-i", "-f",
                    "bob@example.com", "--", "carol@example.net");
        } else {
            assertThat(run.stderrText()).matches(STATUS_LINE);
        }
        assertThat(Files.readAllLines(log)).hasSize(1);
        assertThat(Files.readString(log)).doesNotContain("\r").hasLineCount(1);
    }

    static Stream<Arguments> ruleFiles() {
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char previous = (char) (c - 1);
            laughs.append(c).append(": &").append(c).append(" [*").append(previous)
                    .append(",*").append(previous).append(",*").append(previous).append(",*")
                    .append(previous).append("]\n");
        }
        laughs.append("forward: *j\n");
        return Stream.of(
                Arguments.of("billion laughs", laughs.toString()),
                Arguments.of("nesting 10,000 deep", "forward: " + "[".repeat(10_000)
                        + "]".repeat(10_000) + "\n"),
                Arguments.of("a Java type tag", "forward: !!javax.script.ScriptEngineManager "
                        + "[!!java.net.URLClassLoader [[!!java.net.URL "
                        + "[\"http://127.0.0.1/\"]]]]\n"),
                Arguments.of("100,000 keys", manyKeys(100_000)),
                Arguments.of("NUL bytes", "forward: [carol@example.net\0]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleFiles")
    void aHostileRuleFileDefersWithOneLine(String name, String yaml) throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path hostile = mailfwd.ruleFile(yaml);

        Run run = mailfwd.run(List.of("--rules", hostile.toString(), "--sendmail",
                CaptureSendmail.path()), postfix(capture),
                bytes("From: bob@example.com\n\nbody\n"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).startsWith("4.3.5 ").matches(STATUS_LINE);
        assertThat(run.stderrText().length()).isLessThan(2000);
        assertThat(capture.wasRun()).isFalse();
    }

    private static Map<String, String> postfix(CaptureSendmail capture) {
        Map<String, String> env = env("SENDER", "bob@example.com", "RECIPIENT",
                "alice@example.org", "ORIGINAL_RECIPIENT", "alice@example.org");
        env.putAll(capture.environment());
        return env;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] manyFields(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(bytes("X-Field-" + i + ": value\n"));
        }
        out.writeBytes(bytes("\nbody\n"));
        return out.toByteArray();
    }

    private static String manyKeys(int count) {
        StringBuilder yaml = new StringBuilder("forward: [carol@example.net]\n");
        for (int i = 0; i < count; i++) {
            yaml.append("k").append(i).append(": 1\n");
        }
        return yaml.toString();
    }
}
