package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * What the installed launcher does before and around the JVM, as an MTA meets it: the
 * locale that argv and the environment are coded in, a closed stdin, a missing java, a JVM
 * that cannot start, and a SIGTERM in the middle of a hand-off.
 */
class LauncherIT {
    private static final String ALICE = "ålice@exämple.net";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    private static Path launcher() {
        return work.resolve("prefix/bin/mailfwd");
    }

    @Test
    void nonAsciiRecipientAndSenderReachSendmailAsUtf8WithNoLocaleSet() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path rules = mailfwd.ruleFile("forward: [" + ALICE + "]\nsendmail: "
                + CaptureSendmail.path() + "\n");
        Map<String, String> environment = env("SENDER", "bøb@exämple.org");
        environment.putAll(capture.environment());

        Run run = mailfwd.run(List.of("--rules", rules.toString()), environment,
                testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        byte[] argv = Files.readAllBytes(mailfwdCapture(capture));
        assertThat(argv).isEqualTo((CaptureSendmail.path() + "\n-i\n-f\nbøb@exämple.org\n--\n"
                + ALICE + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Path mailfwdCapture(CaptureSendmail capture) throws IOException {
        assertThat(capture.wasRun()).isTrue();
        return Path.of(capture.environment().get("CAPTURE_DIR")).resolve("argv");
    }

    @Test
    void jvmStartedUnderTheCLocaleDefersRatherThanMangleTheRecipient() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path rules = mailfwd.ruleFile("forward: [" + ALICE + "]\nsendmail: "
                + CaptureSendmail.path() + "\n");
        ProcessBuilder builder = new ProcessBuilder(InstalledMailfwd.withAllowRoot(List.of(
                "java", "-jar", jar().toString(), "--rules", rules.toString(), "--sender",
                "bob@example.org")));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("LC_ALL", "C");
        builder.environment().putAll(capture.environment());

        Finished run = finish(builder, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderr()).startsWith("4.3.5 cannot pass").contains("not UTF-8");
        assertThat(capture.wasRun()).as("sendmail must not run with a mangled address").isFalse();
    }

    private static Path jar() {
        return Path.of(System.getProperty("mailfwd.jar", "target/mailfwd.jar")).toAbsolutePath();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain sendmail    | ''         | 75  | 4.3.0 mailfwd: standard input is closed",
        "qmail             | DTLINE     | 111 | 4.3.0 mailfwd: standard input is closed",
        "exim prints none  | LOCAL_PART | 75  | ''"})
    void closedStdinDefersWithoutStartingJava(String mta, String variable, int exit,
            String line) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" <&-",
                launcher().toString());
        mtaEnvironment(builder, variable);

        Finished run = finish(builder, null);

        assertThat(run.exitCode()).isEqualTo(exit);
        assertThat(run.stderr()).isEqualTo(line.isEmpty() ? "" : line + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing java           | exit 127 is never run | 4.3.5 mailfwd: cannot run",
        "jvm that cannot start  | exit 1                | 4.3.0 mailfwd: java exited with status 1",
        "jvm killed by a signal | kill -KILL $$         | 4.3.0 mailfwd: java was killed by signal 9"})
    void launcherFailuresDeferWithOneStatusLine(String name, String body, String line)
            throws Exception {
        Path fakeJava = work.resolve("java-" + name.replace(' ', '-'));
        if (!body.contains("never run")) {
            Files.writeString(fakeJava, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path copy = launcherWithJava(fakeJava, name);

        for (String variable : new String[] {"", "QUALIFY_DOMAIN"}) {
            ProcessBuilder builder = new ProcessBuilder(copy.toString());
            mtaEnvironment(builder, variable);
            Finished run = finish(builder, testmail("postfix-forward.eml"));

            assertThat(run.exitCode()).as(variable).isEqualTo(75);
            if (variable.isEmpty()) {
                assertThat(run.stderr()).startsWith(line).endsWith("\n")
                        .hasLineCount(1);
            } else {
                assertThat(run.stderr()).as("Exim bounces on any output").isEmpty();
            }
        }
    }

    /**
     * A JVM that cannot start (too little memory, say) prints its error on stdout. In a
     * delivery nothing may reach stdout, and under Exim, which bounces a message when a pipe
     * command prints anything, nothing may be printed at all: the message must wait.
     */
    @Test
    void aJvmThatCannotStartPrintsNothingOnStdoutAndNothingAtAllUnderExim() throws Exception {
        Path fakeJava = work.resolve("java-prints-and-fails");
        Files.writeString(fakeJava, "#!/bin/sh\necho 'Error occurred during initialization"
                + " of VM'\necho 'Could not reserve enough space for object heap' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path copy = launcherWithJava(fakeJava, "prints-and-fails");

        for (String variable : new String[] {"", "LOCAL_PART"}) {
            ProcessBuilder builder = new ProcessBuilder(copy.toString());
            mtaEnvironment(builder, variable);
            Finished run = finish(builder, testmail("postfix-forward.eml"));

            assertThat(run.exitCode()).as(variable).isEqualTo(75);
            assertThat(run.stdout()).as(variable).isEmpty();
            if (variable.isEmpty()) {
                assertThat(run.stderr()).contains("Error occurred during initialization of VM")
                        .endsWith("4.3.0 mailfwd: java exited with status 1\n");
            } else {
                assertThat(run.stderr()).as("Exim bounces on any output").isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--version alone is handed over           | --version                    | 1",
        "--help after a flag is handed over       | --dry-run --help             | 1",
        "-h after a --name=value word             | --log=/tmp/x -h              | 1",
        "--version as the recipient is a delivery | --recipient --version        | 75",
        "-h as the log file is a delivery         | --log -h                     | 75",
        "--help as the sender is a delivery       | --sendmail x --sender --help | 75"})
    void helpAndVersionSkipTheStatusMappingOnlyAsOptions(String name, String args, int exit)
            throws Exception {
        // A JVM that cannot start exits 1: a delivery must turn that into "try again".
        Path fakeJava = work.resolve("java-exits-1");
        Files.writeString(fakeJava, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of(launcherWithJava(fakeJava,
                "exits-1").toString()));
        command.addAll(List.of(args.split(" ")));
        ProcessBuilder builder = new ProcessBuilder(command);
        mtaEnvironment(builder, "");

        Finished run = finish(builder, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(exit);
    }

    @Test
    void checkKeepsItsOwnExitStatus() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher().toString(), "check",
                work.resolve("no-such-rules.yaml").toString());
        mtaEnvironment(builder, "");

        Finished run = finish(builder, new byte[0]);

        assertThat(run.exitCode()).isNotEqualTo(0).isNotEqualTo(75);
    }

    @Test
    void sigtermDuringHandOffKillsSendmailAndLeavesNoSpoolFile() throws Exception {
        Path dir = mailfwd.newDirectory("slow");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path log = dir.resolve("mailfwd.log");
        Path rules = forwardThrough(dir, log, "head -c 65536 > \"$SLOW_DIR/part\"\n"
                + ": > \"$SLOW_DIR/started\"\n"
                + "sleep 3\n"
                + "cat >> \"$SLOW_DIR/part\"\n"
                + "echo \"$?\" > \"$SLOW_DIR/exited\"\n");
        Path message = dir.resolve("big.eml");
        byte[] head = testmail("postfix-forward.eml");
        Files.write(message, head);
        Files.write(message, filler(8 << 20),
                java.nio.file.StandardOpenOption.APPEND);

        ProcessBuilder builder = new ProcessBuilder(InstalledMailfwd.withAllowRoot(List.of(
                launcher().toString(), "--rules", rules.toString(), "--sender",
                "bob@example.org")))
                .redirectInput(message.toFile());
        mtaEnvironment(builder, "");
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().put("SLOW_DIR", dir.toString());
        Path stderr = dir.resolve("stderr");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        waitFor(dir.resolve("started"));
        ProcessHandle java = process.toHandle().children().findFirst().orElseThrow();
        assertThat(listSpools(tmp)).as("the spool has no name even while mailfwd runs")
                .isEmpty();

        assertThat(java.destroy()).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(4000);

        assertThat(process.exitValue()).isEqualTo(75);
        assertThat(dir.resolve("exited")).as("sendmail saw a clean end of a partial message")
                .doesNotExist();
        assertThat(listSpools(tmp)).isEmpty();
        assertThat(Files.readString(log)).as("the one log line says what became of it")
                .contains(" status=deferred (4.3.0 stopped by a signal before the delivery"
                        + " ended; the MTA keeps the message)").hasLineCount(1);
    }

    /**
     * A SIGTERM after sendmail has read the whole message: sendmail is left to queue it (it
     * is whole), the launcher still defers (75), and the log line says the mail is probably
     * sent and a retry may send it again, with what the delivery knew (recipient, dkim).
     */
    @Test
    void sigtermAfterSendmailHasTheWholeMessageLogsThatItIsProbablySent() throws Exception {
        Path dir = mailfwd.newDirectory("fed");
        Path log = dir.resolve("mailfwd.log");
        Path rules = forwardThrough(dir, log, "cat > \"$SLOW_DIR/message\"\n"
                + ": > \"$SLOW_DIR/started\"\n"
                + "sleep 3\n"
                + ": > \"$SLOW_DIR/finished\"\n");
        ProcessBuilder builder = new ProcessBuilder(InstalledMailfwd.withAllowRoot(List.of(
                launcher().toString(), "--rules", rules.toString(), "--sender",
                "bob@example.org")))
                .redirectInput(Files.write(dir.resolve("in.eml"),
                        testmail("postfix-forward.eml")).toFile());
        mtaEnvironment(builder, "");
        builder.environment().put("SLOW_DIR", dir.toString());
        builder.redirectError(dir.resolve("stderr").toFile());
        Process process = builder.start();
        waitFor(dir.resolve("started"));

        process.toHandle().children().findFirst().orElseThrow().destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        waitFor(dir.resolve("finished"));

        assertThat(process.exitValue()).isEqualTo(75);
        assertThat(Files.readString(log)).hasLineCount(1)
                .contains(" to=<alice@example.net> ")
                .contains(" status=deferred (4.3.0 stopped by a signal after the next MTA had"
                        + " the whole message: it is probably sent, and the MTA's retry may"
                        + " send it again)")
                .contains(" dkim=(not signed: no signing section in ");
    }

    /** A rule file forwarding to alice through a sendmail that runs {@code script}. */
    private Path forwardThrough(Path dir, Path log, String script) throws IOException {
        Path sendmail = dir.resolve("slow-sendmail");
        Files.writeString(sendmail, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        return mailfwd.ruleFile("forward: alice@example.net\nsendmail: " + sendmail
                + "\nlog: " + log + "\n");
    }

    private static byte[] filler(int size) {
        byte[] line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = line[i % line.length];
        }
        return out;
    }

    private static List<Path> listSpools(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("mailfwd-")).toList();
        }
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertThat(file).exists();
    }

    /** A copy of the installed launcher that runs this java instead. */
    private static Path launcherWithJava(Path java, String name) throws IOException {
        String text = Files.readString(launcher());
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.startsWith("java=") ? "java=\"" + java + "\"" : line);
        }
        Path copy = work.resolve("launcher-" + name.replace(' ', '-'));
        Files.writeString(copy, String.join("\n", lines));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        return copy;
    }

    private static void mtaEnvironment(ProcessBuilder builder, String variable) {
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", work.toString());
        if (!variable.isEmpty()) {
            environment.put(variable, "x");
        }
    }

    private static Finished finish(ProcessBuilder builder, byte[] stdin) throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        if (stdin != null) {
            builder.redirectInput(Files.write(dir.resolve("stdin"), stdin).toFile());
        }
        builder.redirectError(dir.resolve("stderr").toFile())
                .redirectOutput(dir.resolve("stdout").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Finished(process.exitValue(), Files.readString(dir.resolve("stderr")),
                Files.readString(dir.resolve("stdout")));
    }

    private record Finished(int exitCode, String stderr, String stdout) {
    }
}
