package org.mailfwd.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7: a local copy never leaves the mailbox through a symlink, whichever part of the
 * Maildir is the link, and an mbox that is a symlink is refused; nothing is written where
 * the link points.
 */
class SymlinkEscapeTest {
    private static final byte[] MESSAGE = "Subject: s\n\nbody\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}/ is a symlink")
    @ValueSource(strings = {"tmp", "new", "cur"})
    void aSymlinkedSubdirectoryIsRefused(String linked) throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path maildir = Files.createDirectory(dir.resolve("Maildir"));
        for (String sub : new String[] {"tmp", "new", "cur"}) {
            if (sub.equals(linked)) {
                Files.createSymbolicLink(maildir.resolve(sub), elsewhere);
            } else {
                Files.createDirectory(maildir.resolve(sub));
            }
        }

        assertThatThrownBy(() -> new Maildir(maildir).deliver(new ByteArrayInputStream(MESSAGE)))
                .isInstanceOf(IOException.class).hasMessageContaining("symlink is refused");
        assertThat(count(elsewhere)).isZero();
        assertThat(count(maildir.resolve(linked.equals("new") ? "tmp" : "new"))).isZero();
    }

    @Test
    void anMboxThatIsASymlinkIsRefused() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "");
        Path mbox = Files.createSymbolicLink(dir.resolve("mbox"), target);

        assertThatThrownBy(() -> new Mbox(mbox).append("bob@example.com",
                new ByteArrayInputStream(MESSAGE), Instant.EPOCH))
                .isInstanceOf(IOException.class);
        assertThat(Files.size(target)).isZero();
    }

    @Test
    void aDanglingMboxSymlinkIsNotCreatedThrough() throws Exception {
        Path target = dir.resolve("not-yet");
        Path mbox = Files.createSymbolicLink(dir.resolve("mbox"), target);

        assertThatThrownBy(() -> new Mbox(mbox).append("bob@example.com",
                new ByteArrayInputStream(MESSAGE), Instant.EPOCH))
                .isInstanceOf(IOException.class);
        assertThat(target).doesNotExist();
    }

    private static long count(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }
}
