package org.mailfwd.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

class RetriesTest {
    @TempDir
    Path dir;

    private static Message message() throws Exception {
        return new MessageReader(MessageLimits.DEFAULT).read(new ByteArrayInputStream(
                "Message-ID: <r@example.org>\n\nbody\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRetryOfTheSameDeliverySkipsWhatWasDone() throws Exception {
        Optional<Path> file = Optional.of(dir.resolve("journal"));
        Retries first = Retries.start(message(), 2, file, "alice@example.org");
        first.done("keep /m/");

        Retries retry = Retries.start(message(), 2, file, "alice@example.org");

        assertThat(retry.alreadyDone("keep /m/")).isTrue();
        assertThat(retry.alreadyDone("forward x")).isFalse();
        assertThat(retry.note()).contains("skipped 1 target(s) done by an earlier attempt");
    }

    @Test
    void theSameMessageForAnotherAddressIsAnotherDelivery() throws Exception {
        Optional<Path> file = Optional.of(dir.resolve("journal"));
        Retries.start(message(), 2, file, "alice-list@example.org").done("keep /m/");

        Retries other = Retries.start(message(), 2, file, "alice-work@example.org");

        assertThat(other.alreadyDone("keep /m/")).isFalse();
    }

    @Test
    void aSingleTargetNeedsNoJournal() throws Exception {
        Retries single = Retries.start(message(), 1, Optional.of(dir.resolve("journal")), "a");
        single.done("forward x");

        assertThat(dir.resolve("journal")).doesNotExist();
        assertThat(single.note()).isEmpty();
    }

    @Test
    void withoutHomeThereIsNoJournalAndTheLogSaysSo() throws Exception {
        Retries none = Retries.start(message(), 2, Optional.empty(), "a");
        none.done("keep /m/");

        assertThat(none.alreadyDone("keep /m/")).isFalse();
        assertThat(none.note()).contains("journal no file: HOME is not set; a retry may "
                + "duplicate");
    }
}
