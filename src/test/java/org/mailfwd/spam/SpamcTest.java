package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.spam.Messages.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.spam.Spamc.Fallback;
import org.mailfwd.spam.Spamc.Mode;
import org.mailfwd.status.TemporaryFailure;

/**
 * The spamc runner against a fake spamc: a small script that records its arguments and its
 * input, prints a chosen answer and exits with a chosen status. The real spamc and spamd
 * are in {@link SpamcIT}.
 */
class SpamcTest {
    private static final String MESSAGE = "From: bob@example.com\nSubject: hi\n\nbody\n";

    @TempDir
    Path work;

    @Test
    void checkModeReadsScoreAndThreshold() throws IOException {
        Spamc spamc = spamc(fake("echo 7.5/5.0; exit 1"), Fallback.NOT_SPAM);

        assertThat(spamc.check(message(MESSAGE)).display()).isEqualTo("spam score=7.5/5.0 (spamc)");
    }

    @Test
    void argumentsAreOneArrayWithTheModeLast() throws IOException {
        Path program = fake("echo 1.0/5.0");
        Spamc spamc = new Spamc(program, List.of("-d", "127.0.0.1", "-u", "-x y; rm z"),
                Duration.ofSeconds(30), Mode.CHECK, Fallback.NOT_SPAM);

        assertThat(spamc.check(message(MESSAGE)).spam()).isFalse();
        assertThat(Files.readAllLines(work.resolve("args")))
                .containsExactly("-d", "127.0.0.1", "-u", "-x y; rm z", "-c");
        assertThat(Files.readString(work.resolve("stdin"), StandardCharsets.UTF_8))
                .isEqualTo(MESSAGE);
    }

    @Test
    void fromLineIsNotFedToSpamc() throws IOException {
        spamc(fake("echo 1.0/5.0"), Fallback.NOT_SPAM)
                .check(message("From bob@example.com Tue Nov  3 09:14:01 2026\n" + MESSAGE));

        assertThat(Files.readString(work.resolve("stdin"), StandardCharsets.UTF_8))
                .isEqualTo(MESSAGE);
    }

    @Test
    void headersModeReadsSpamAssassinsFields() throws IOException {
        Path program = fake("printf 'X-Spam-Flag: YES\\nX-Spam-Status: Yes, score=12.0"
                + " required=5.0 tests=X\\n'; cat stdin");
        Spamc spamc = new Spamc(program, List.of(), Duration.ofSeconds(30), Mode.HEADERS,
                Fallback.NOT_SPAM);

        assertThat(spamc.check(message(MESSAGE)).display())
                .isEqualTo("spam score=12.0/5.0 (spamc X-Spam-Status)");
        assertThat(Files.readAllLines(work.resolve("args"))).containsExactly("--headers", "-x");
    }

    @Test
    void noAnswerFallsBackToNotSpamByDefault() throws IOException {
        SpamVerdict verdict = spamc(fake("echo 0/0"), Fallback.NOT_SPAM)
                .check(message(MESSAGE));

        assertThat(verdict.spam()).isFalse();
        assertThat(verdict.source()).startsWith("fallback (spamd gave no answer");
    }

    @Test
    void failingSpamcFallsBackToSpamWhenConfigured() throws IOException {
        SpamVerdict verdict = spamc(fake("exit 69"), Fallback.SPAM).check(message(MESSAGE));

        assertThat(verdict.spam()).isTrue();
        assertThat(verdict.source()).isEqualTo("fallback (spamc exited with status 69)");
    }

    @Test
    void noAnswerDefersWhenConfigured() throws IOException {
        Spamc spamc = spamc(fake("echo garbage"), Fallback.DEFER);

        assertThatThrownBy(() -> spamc.check(message(MESSAGE)))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessageContaining("spamc -c printed no score");
    }

    @Test
    void slowSpamcIsStoppedAndFallsBack() throws IOException {
        Spamc spamc = new Spamc(fake("sleep 30; echo 9.0/5.0"), List.of(), Duration.ofSeconds(1),
                Mode.CHECK, Fallback.NOT_SPAM);

        SpamVerdict verdict = spamc.check(message(MESSAGE));

        assertThat(verdict.spam()).isFalse();
        assertThat(verdict.source()).isEqualTo("fallback (spamc timed out after 1s)");
    }

    @Test
    void missingProgramFallsBack() {
        SpamVerdict verdict = spamc(work.resolve("no-spamc"), Fallback.NOT_SPAM)
                .check(message(MESSAGE));

        assertThat(verdict.source()).contains("no such file");
    }

    @Test
    void headerVerdictIsUsedWithoutAskingSpamc() throws IOException {
        Path program = fake("echo 9.0/5.0; exit 1");
        SpamSettings settings = new SpamSettings(VerdictReader.spamAssassin(1),
                Optional.of(spamc(program, Fallback.NOT_SPAM)), SubjectTag.defaults());

        SpamVerdict verdict = settings.verdict(message("X-Spam-Status: No, score=1.0"
                + " required=5.0\nReceived: by mx.example.org; Tue, 3 Nov 2026 09:14:04 +0100\n"
                + MESSAGE)).orElseThrow();

        assertThat(verdict.display()).isEqualTo("ham score=1.0/5.0 (X-Spam-Status)");
        assertThat(work.resolve("args")).doesNotExist();
    }

    @Test
    void spamcIsAskedWhenTheOnlyVerdictIsForged() throws IOException {
        Path program = fake("echo 9.0/5.0; exit 1");
        SpamSettings settings = new SpamSettings(VerdictReader.spamAssassin(1),
                Optional.of(spamc(program, Fallback.NOT_SPAM)), SubjectTag.defaults());

        SpamVerdict verdict = settings.verdict(message("Received: by mx.example.org; Tue, 3"
                + " Nov 2026 09:14:04 +0100\nX-Spam-Flag: NO\n" + MESSAGE)).orElseThrow();

        assertThat(verdict.display()).isEqualTo("spam score=9.0/5.0 (spamc)");
    }

    @Test
    void withoutSpamcAndVerdictThereIsNone() {
        assertThat(SpamSettings.DEFAULT.verdict(message(MESSAGE))).isEmpty();
    }

    private static Spamc spamc(Path program, Fallback fallback) {
        return new Spamc(program, List.of(), Duration.ofSeconds(30), Mode.CHECK, fallback);
    }

    /** A fake spamc: records argv and stdin next to itself, then runs {@code answer}. */
    private Path fake(String answer) throws IOException {
        Path script = work.resolve("spamc");
        Files.writeString(script, "#!/bin/sh\ncd \"$(dirname \"$0\")\"\n"
                + "printf '%s\\n' \"$@\" > args\ncat > stdin\n" + answer + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
