package org.mailfwd.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MboxTest {
    private static final Instant WHEN = Instant.parse("2026-03-05T07:08:09Z");

    @TempDir
    Path dir;

    private String append(Path mbox, String sender, String message) throws IOException {
        new Mbox(mbox).append(sender, new ByteArrayInputStream(
                message.getBytes(StandardCharsets.UTF_8)), WHEN);
        return Files.readString(mbox);
    }

    @Test
    void messageGetsFromLineAndEndsWithBlankLine() throws Exception {
        String mbox = append(dir.resolve("mbox"), "bob@example.org", "Subject: hi\n\nbody\n");

        assertThat(mbox).isEqualTo("From bob@example.org Thu Mar  5 07:08:09 2026\n"
                + "Subject: hi\n\nbody\n\n");
    }

    @Test
    void nullSenderIsMailerDaemon() throws Exception {
        assertThat(append(dir.resolve("mbox"), "", "Subject: x\n\nb\n"))
                .startsWith("From MAILER-DAEMON Thu Mar  5 07:08:09 2026\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "From line quoted|From here|>From here",
        "quoted From gets one more|>From here|>>From here",
        "From without space stays|Fromage|Fromage",
        "From inside a line stays|said From me|said From me"
    })
    void bodyLinesAreQuotedTheMboxrdWay(String name, String line, String stored)
            throws Exception {
        String mbox = append(dir.resolve("mbox"), "b@example.org", "Subject: x\n\n" + line + "\n");

        assertThat(mbox).endsWith("\n\n" + stored + "\n\n");
    }

    @Test
    void crlfBecomesLfAndAMissingLastNewlineIsAdded() throws Exception {
        String mbox = append(dir.resolve("mbox"), "b@example.org", "Subject: x\r\n\r\nno end");

        assertThat(mbox).endsWith("Subject: x\n\nno end\n\n");
    }

    @Test
    void secondMessageIsAppendedAndTheDotLockIsGone() throws Exception {
        Path file = dir.resolve("mbox");
        append(file, "a@example.org", "Subject: 1\n\none\n");

        String mbox = append(file, "b@example.org", "Subject: 2\n\ntwo\n");

        assertThat(mbox).contains("one\n\nFrom b@example.org ");
        assertThat(dir.resolve("mbox.lock")).doesNotExist();
    }

    @Test
    void staleDotLockIsBroken() throws Exception {
        Path lock = Files.createFile(dir.resolve("mbox.lock"));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(3600)));

        append(dir.resolve("mbox"), "a@example.org", "Subject: 1\n\none\n");

        assertThat(lock).doesNotExist();
    }

    @Test
    void failedWriteLeavesTheMboxAsItWasAndPrivate() throws Exception {
        Path file = dir.resolve("mbox");
        String before = append(file, "a@example.org", "Subject: 1\n\none\n");
        java.io.InputStream failing = new java.io.SequenceInputStream(
                new ByteArrayInputStream("Subject: 2\n\nhalf a mess".getBytes(
                        StandardCharsets.US_ASCII)), new java.io.InputStream() {
                            @Override
                            public int read() throws IOException {
                                throw new IOException("reader died");
                            }
                        });

        assertThatThrownBy(() -> new Mbox(file).append("b@example.org", failing, WHEN))
                .hasMessage("reader died");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void symlinkIsRefused() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "");
        Path link = Files.createSymbolicLink(dir.resolve("mbox"), target);

        assertThatThrownBy(() -> append(link, "a@example.org", "Subject: 1\n\none\n"))
                .hasMessage(link + " is not a regular file (a symlink is refused)");
        assertThat(target).isEmptyFile();
    }
}
