package org.mailfwd.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Everything after the header fields, byte for byte: the blank separator line (when there is
 * one) and the body. The first part lives in memory; a long body continues in a temporary
 * file that only this process can read. The file's name is removed the moment it is created
 * and the body is read through the still open channel, so nothing is left in TMPDIR even when
 * the process is killed; {@link #close()} gives the space back.
 */
public final class Body implements AutoCloseable {
    private final byte[] head;
    private final Path spool;
    private final FileChannel channel;
    private final long size;

    Body(byte[] head, Path spool, FileChannel channel, long size) {
        this.head = head;
        this.spool = spool;
        this.channel = channel;
        this.size = size;
    }

    /** Reads the rest of {@code in} into a body, spooling past the memory bound. */
    static Body read(byte[] start, InputStream in, MessageLimits limits, long sizeSoFar)
            throws IOException {
        byte[] memory = readUpTo(in, limits.bodyMemoryBytes() - start.length);
        byte[] head = concat(start, memory);
        long total = sizeSoFar + head.length;
        checkSize(total, limits);
        if (head.length < limits.bodyMemoryBytes() || peekEof(in)) {
            return new Body(head, null, null, head.length);
        }
        Path spool = createSpool();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(spool, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(spool);
            byte[] buffer = new byte[1 << 16];
            long spooled = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                spooled += n;
                checkSize(total + spooled, limits);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            return new Body(head, spool, channel, head.length + spooled);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            Files.deleteIfExists(spool);
            throw e;
        }
    }

    private static boolean peekEof(InputStream in) throws IOException {
        if (!in.markSupported()) {
            return false;
        }
        in.mark(1);
        boolean eof = in.read() < 0;
        in.reset();
        return eof;
    }

    private static void checkSize(long size, MessageLimits limits) throws IOException {
        if (limits.maxMessageBytes() > 0 && size > limits.maxMessageBytes()) {
            throw new MessageTooLargeException(limits.maxMessageBytes());
        }
    }

    private static Path createSpool() throws IOException {
        String tmp = System.getenv("TMPDIR");
        Path dir = Path.of(tmp != null && !tmp.isEmpty()
                ? tmp : System.getProperty("java.io.tmpdir"));
        // createTempFile makes the file 0600 on POSIX systems: a body is private mail.
        try {
            return Files.createTempFile(dir, "mailfwd-", ".body");
        } catch (NoSuchFileException e) {
            throw new IOException("cannot spool the body: no directory " + dir
                    + " (TMPDIR)", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot spool the body: " + dir
                    + " (TMPDIR) is not writable", e);
        }
    }

    private static byte[] readUpTo(InputStream in, int max) throws IOException {
        return in.readNBytes(Math.max(0, max));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Size in bytes, separator line included. */
    public long size() {
        return size;
    }

    /**
     * The name the body's continuation had when it was created, if the body did not fit in
     * memory. The name is gone already: the body is read through the open file.
     */
    public Optional<Path> spool() {
        return Optional.ofNullable(spool);
    }

    /** A fresh stream over the whole body; may be opened more than once, even at once. */
    public InputStream openStream() throws IOException {
        InputStream memory = new ByteArrayInputStream(head);
        return channel == null ? memory
                : new SequenceInputStream(memory, new SpoolStream(channel, size - head.length));
    }

    /** The body's bytes as one array; only for bodies known to be small (tests, dry run). */
    byte[] bytes() throws IOException {
        try (InputStream in = openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Reads the spool at positions of its own, so that streams opened one after another or
     * at the same time (a DKIM hash, then the hand-off) never move each other.
     */
    private static final class SpoolStream extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        SpoolStream(FileChannel channel, long end) {
            this.channel = channel;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(length, end - position);
            int n = channel.read(ByteBuffer.wrap(buffer, offset, want), position);
            if (n < 0) {
                throw new IOException("the message spool ended early at byte " + position);
            }
            position += n;
            return n;
        }
    }
}
