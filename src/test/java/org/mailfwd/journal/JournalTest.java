package org.mailfwd.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aRecordedTargetIsDoneForTheNextAttempt() {
        Path file = dir.resolve("sub/journal");
        String key = Journal.key("a".repeat(64), "keep /m/");
        Journal.open(file, NOW).record(key);

        Journal next = Journal.open(file, NOW.plusSeconds(60));

        assertThat(next.done(key)).isTrue();
        assertThat(next.done(Journal.key("a".repeat(64), "forward x"))).isFalse();
        assertThat(next.problem()).isEmpty();
    }

    @Test
    void entriesOlderThanTheLifetimeAreForgotten() {
        Path file = dir.resolve("journal");
        String key = Journal.key("b".repeat(64), "keep /m/");
        Journal.open(file, NOW).record(key);

        assertThat(Journal.open(file, NOW.plus(Journal.LIFETIME).minusSeconds(1)).done(key))
                .isTrue();
        assertThat(Journal.open(file, NOW.plus(Journal.LIFETIME).plusSeconds(1)).done(key))
                .isFalse();
    }

    @Test
    void garbageAndATornLastLineAreSkippedAndTheRestIsRead() throws Exception {
        Path file = dir.resolve("journal");
        String key = Journal.key("c".repeat(64), "keep /m/");
        Files.write(file, ("\0\1binary\nnot a line\n" + NOW.getEpochSecond() + " " + key
                + "\n-5 " + key + "\n" + NOW.getEpochSecond() + " " + key.substring(0, 20))
                .getBytes(StandardCharsets.ISO_8859_1));

        Journal journal = Journal.open(file, NOW);

        assertThat(journal.done(key)).isTrue();
        assertThat(journal.problem()).isEmpty();
    }

    @Test
    void anUnwritableJournalIsReportedNotThrown() throws Exception {
        Path file = Files.createDirectories(dir.resolve("journal"));
        Journal journal = Journal.open(file, NOW);

        journal.record(Journal.key("d".repeat(64), "keep /m/"));

        assertThat(journal.problem()).get().asString().contains("Is a directory");
    }

    @Test
    void aJournalUnderAFileInsteadOfADirectoryIsReportedNotThrown() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        Journal journal = Journal.open(dir.resolve("plain/journal"), NOW);

        journal.record(Journal.key("d".repeat(64), "keep /m/"));

        assertThat(journal.problem()).get().asString().startsWith("not written");
    }

    @Test
    void anOversizedJournalIsIgnored() throws Exception {
        Path file = dir.resolve("journal");
        Files.write(file, new byte[(int) Journal.MAX_READ + 1]);

        assertThat(Journal.open(file, NOW).problem()).get().asString()
                .contains("larger than");
    }

    @Test
    void compactingKeepsLiveEntriesAndDropsExpiredOnes() throws Exception {
        Path file = dir.resolve("journal");
        String old = Journal.key("e".repeat(64), "keep /old/");
        StringBuilder text = new StringBuilder();
        long expired = NOW.minus(Journal.LIFETIME).minus(Duration.ofDays(1)).getEpochSecond();
        while (text.length() <= Journal.COMPACT_AT) {
            text.append(expired).append(' ').append(old).append('\n');
        }
        Files.writeString(file, text);
        String fresh = Journal.key("e".repeat(64), "keep /new/");

        Journal.open(file, NOW).record(fresh);

        assertThat(Files.readString(file)).isEqualTo(NOW.getEpochSecond() + " " + fresh + "\n");
        assertThat(Files.list(dir)).containsExactly(file);
    }
}
