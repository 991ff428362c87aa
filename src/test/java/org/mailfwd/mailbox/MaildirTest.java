package org.mailfwd.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirTest {
    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void deliveredMessageIsInNewByteForByteAndTmpIsEmpty() throws Exception {
        Path maildir = dir.resolve("Maildir");

        Path delivered = new Maildir(maildir).deliver(new ByteArrayInputStream(MESSAGE));

        assertThat(delivered.getParent()).isEqualTo(maildir.resolve("new"));
        assertThat(Files.readAllBytes(delivered)).isEqualTo(MESSAGE);
        assertThat(list(maildir.resolve("tmp"))).isEmpty();
        assertThat(maildir.resolve("cur")).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(delivered)))
                .isEqualTo("rw-------");
    }

    @Test
    void twoDeliveriesGetTwoUniqueNames() throws Exception {
        Maildir maildir = new Maildir(dir);

        Path first = maildir.deliver(new ByteArrayInputStream(MESSAGE));
        Path second = maildir.deliver(new ByteArrayInputStream(MESSAGE));

        assertThat(first).isNotEqualTo(second);
        assertThat(first.getFileName().toString())
                .matches("\\d+\\.M\\d+P\\d+Q\\d+R[0-9a-f]+\\..+");
    }

    @Test
    void messageIsWrittenInTmpAndOnlyRenamedIntoNewWhenComplete() throws Exception {
        Path maildir = dir.resolve("Maildir");
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent == 1000) {
                    assertThat(list(maildir.resolve("tmp"))).hasSize(1);
                    assertThat(list(maildir.resolve("new"))).isEmpty();
                    throw new IOException("reader died");
                }
                sent++;
                return 'x';
            }
        };

        assertThatThrownBy(() -> new Maildir(maildir).deliver(failing))
                .hasMessage("reader died");
        assertThat(list(maildir.resolve("new"))).isEmpty();
        assertThat(list(maildir.resolve("tmp"))).isEmpty();
    }

    @Test
    void killedWriterLeavesNothingInNew() throws Exception {
        Path maildir = dir.resolve("Maildir");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"),
                MaildirWriter.class.getName(), maildir.toString())
                .redirectErrorStream(true).start();
        try (OutputStream stdin = writer.getOutputStream()) {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partialSize(maildir) == 0 && System.nanoTime() < deadline) {
                stdin.write(chunk);
                stdin.flush();
            }
            writer.destroyForcibly().waitFor();
        } catch (IOException pipeClosedByKill) {
            // The writer is gone; what it left behind is the point of the test.
        }

        assertThat(partialSize(maildir)).as("bytes written to tmp/ before the kill")
                .isPositive();
        assertThat(list(maildir.resolve("new"))).isEmpty();
    }

    private static long partialSize(Path maildir) throws IOException {
        Path tmp = maildir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        long size = 0;
        for (Path file : list(tmp)) {
            size += Files.size(file);
        }
        return size;
    }

    @Test
    void symlinkedNewDirectoryIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path maildir = Files.createDirectory(dir.resolve("Maildir"));
        Files.createDirectory(maildir.resolve("tmp"));
        Files.createDirectory(maildir.resolve("cur"));
        Files.createSymbolicLink(maildir.resolve("new"), elsewhere);

        assertThatThrownBy(() -> new Maildir(maildir).deliver(new ByteArrayInputStream(MESSAGE)))
                .isInstanceOf(IOException.class)
                .hasMessage(maildir.resolve("new") + " is not a directory (a symlink is refused)");
        assertThat(list(elsewhere)).isEmpty();
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
