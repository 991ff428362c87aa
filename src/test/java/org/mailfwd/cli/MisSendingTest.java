package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ways a new user found to mis-send or lose mail through the command line, the input and
 * the log, each now a deferral with a clear reason or a line that cannot be forged.
 */
class MisSendingTest {
    private static final String MESSAGE = "From: a@example.org\nMessage-ID: <x y status=sent>"
            + "\nSubject: hi\n\nbody\n";

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private Result run(InputStream stdin, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment);
        return new Result(status, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.UTF_8)),
                Map.of(), args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "second sender        | --sender a@b.c --sender <>   | --sender is given more than once",
        "second rules         | --rules a --rules=b          | --rules is given more than once",
        "stray argument       | --sender a@b.c stray         | unexpected argument stray",
        "unknown last option  | --bogus                      | unknown option --bogus"})
    void commandLineMistakesDeferWithTheirReason(String name, String args, String reason) {
        Result result = run(args.split(" "));

        assertThat(result.status()).isEqualTo(75);
        assertThat(result.err()).startsWith("4.3.5 mailfwd: " + reason);
    }

    @Test
    void emptyInputIsNoMessageAndDefers() {
        Result result = run(InputStream.nullInputStream(), Map.of(), "--rules",
                dir.resolve("rules.yaml").toString());

        assertThat(result.status()).isEqualTo(75);
        assertThat(result.err()).contains("standard input is empty");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "From_ line only    | From a@b.example  Thu Jan  1 00:00:00 2026\\n",
        "Return-Path only   | Return-Path: <a@b.example>\\n",
        "both               | From a@b.example  Thu Jan  1 00:00:00 2026\\nReturn-Path: <>\\n",
    })
    void inputOfOnlyDeliveryLinesIsNoMessageAndDefers(String name, String input)
            throws IOException {
        Files.writeString(dir.resolve("only.yaml"), "forward: [alice@example.net]\n");
        byte[] bytes = input.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);

        Result result = run(new ByteArrayInputStream(bytes), Map.of("SENDER", "a@b.example"),
                "--rules", dir.resolve("only.yaml").toString(), "--sendmail", "/bin/true");

        assertThat(result.status()).isEqualTo(75);
        assertThat(result.err()).contains("nothing but a From_ line or Return-Path");
    }

    @Test
    void readErrorWithoutAMessageNamesTheExceptionClass() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException();
            }
        };

        Result result = run(broken, Map.of(), "--rules", dir.resolve("r.yaml").toString());

        assertThat(result.status()).isEqualTo(75);
        assertThat(result.err()).contains("read message: java.io.IOException");
    }

    @Test
    void dryRunReportsTheMissingSendmailTheRealRunWouldMeet() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "forward: alice@example.net\nsendmail: " + dir.resolve("no-sendmail") + "\n");

        Result dry = run("--dry-run", "--rules", rules.toString(), "--sender", "b@example.org");
        Result real = run("--rules", rules.toString(), "--sender", "b@example.org");

        assertThat(real.status()).isEqualTo(75);
        assertThat(real.err()).contains("cannot run " + dir.resolve("no-sendmail")
                + ": no such file");
        assertThat(dry.out()).contains("cannot run " + dir.resolve("no-sendmail")
                + ": no such file");
    }

    @Test
    void messageIdWithSpacesCannotForgeAStatusIntoTheLog() throws IOException {
        Path log = dir.resolve("log");
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "forward: alice@example.net\nsendmail: " + dir.resolve("no-sendmail") + "\n");

        run("--rules", rules.toString(), "--sender", "b@example.org", "--log", log.toString());

        String line = Files.readString(log);
        assertThat(line).contains("msgid=<x_y_status=sent>").doesNotContain(" status=sent");
    }

    @Test
    void relativeHomeCountsAsUnset() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", "relative/home");

        Result result = run(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.UTF_8)),
                environment);

        assertThat(result.status()).isEqualTo(75);
        assertThat(result.err()).contains("HOME is not set");
    }
}
