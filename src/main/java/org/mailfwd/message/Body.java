package org.mailfwd.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything after the header fields, byte for byte: the blank separator line (when there is
 * one) and the body. The first part lives in memory; a long body continues in a temporary
 * file that only this process can read, removed by {@link #close()}.
 */
public final class Body implements AutoCloseable {
    private final byte[] head;
    private final Path spool;
    private final long size;

    Body(byte[] head, Path spool, long size) {
        this.head = head;
        this.spool = spool;
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
            return new Body(head, null, head.length);
        }
        Path spool = createSpool();
        try (OutputStream out = Files.newOutputStream(spool)) {
            byte[] buffer = new byte[1 << 16];
            long spooled = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                spooled += n;
                checkSize(total + spooled, limits);
                out.write(buffer, 0, n);
            }
            return new Body(head, spool, head.length + spooled);
        } catch (IOException | RuntimeException e) {
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
        return Files.createTempFile(dir, "mailfwd-", ".body");
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

    /** Where the body continues past memory, if it does. */
    public Optional<Path> spool() {
        return Optional.ofNullable(spool);
    }

    /** A fresh stream over the whole body; may be opened more than once. */
    public InputStream openStream() throws IOException {
        InputStream memory = new ByteArrayInputStream(head);
        return spool == null ? memory
                : new SequenceInputStream(memory, Files.newInputStream(spool));
    }

    /** The body's bytes as one array; only for bodies known to be small (tests, dry run). */
    byte[] bytes() throws IOException {
        try (InputStream in = openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        if (spool != null) {
            Files.deleteIfExists(spool);
        }
    }
}
