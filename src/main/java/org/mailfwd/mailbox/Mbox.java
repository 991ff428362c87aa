package org.mailfwd.mailbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Appends one message to an mbox file (the mboxrd form): a "From sender date" line first,
 * every body line that starts with any number of "&gt;" and then "From " quoted with one more
 * "&gt;", lines ending in LF, and a blank line after the message.
 *
 * <p>The file is locked both ways that mail readers use: a dot-lock file next to it and an
 * fcntl lock (Java's FileLock) on it. A failed write is cut back to the old length, so the
 * mbox never keeps half a message. A symlink is never followed.
 */
public final class Mbox {
    /** How long to wait for another program's lock before trying again later. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    /** A dot-lock older than this is stale: its owner died (procmail uses 17 minutes). */
    static final Duration STALE_LOCK = Duration.ofMinutes(5);

    /** A new mbox is private mail: mode 0600, as local(8) and procmail make it. */
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<OpenOption> OPEN = Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter
            .ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path file;

    public Mbox(Path file) {
        this.file = file;
    }

    /**
     * Appends the message.
     *
     * @param sender the envelope sender for the From_ line; empty for the null sender
     * @throws IOException when locking or writing fails; the file is then as it was
     */
    @SuppressWarnings("try") // the fcntl lock is held by the try block, not used in it
    public void append(String sender, InputStream message, Instant received) throws IOException {
        if (Files.isSymbolicLink(file)
                || Files.exists(file) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file (a symlink is refused)");
        }
        Path dotLock = file.resolveSibling(file.getFileName() + ".lock");
        boolean dotLocked = dotLock(dotLock);
        try (FileChannel channel = FileChannel.open(file, OPEN, PRIVATE_FILE);
                FileLock lock = lock(channel)) {
            long before = channel.size();
            try {
                channel.position(before);
                OutputStream out = Channels.newOutputStream(channel);
                write(out, fromLine(sender, received), message);
                out.flush();
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                channel.truncate(before);
                throw e;
            }
        } finally {
            if (dotLocked) {
                Files.deleteIfExists(dotLock);
            }
        }
    }

    static String fromLine(String sender, Instant received) {
        return "From " + (sender.isEmpty() ? "MAILER-DAEMON" : sender) + " "
                + ASCTIME.format(received) + "\n";
    }

    /** Copies the message line by line: CRLF becomes LF, "From " lines are quoted. */
    static void write(OutputStream out, String fromLine, InputStream message)
            throws IOException {
        out.write(fromLine.getBytes(StandardCharsets.UTF_8));
        InputStream in = new BufferedInputStream(message);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean endedWithNewline = true;
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                writeLine(out, line.toByteArray());
                line.reset();
                endedWithNewline = true;
            } else {
                endedWithNewline = false;
            }
        }
        if (line.size() > 0) {
            writeLine(out, line.toByteArray());
        }
        out.write(endedWithNewline ? "\n".getBytes(StandardCharsets.US_ASCII)
                : "\n\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeLine(OutputStream out, byte[] line) throws IOException {
        int length = line.length;
        if (length >= 2 && line[length - 2] == '\r' && line[length - 1] == '\n') {
            line[length - 2] = '\n';
            length--;
        }
        int quotes = 0;
        while (quotes < length && line[quotes] == '>') {
            quotes++;
        }
        if (length - quotes >= 5 && new String(line, quotes, 5, StandardCharsets.US_ASCII)
                .equals("From ")) {
            out.write('>');
        }
        out.write(line, 0, length);
    }

    /**
     * Takes the dot-lock; false when the directory does not let us make one (a system
     * spool such as /var/mail needs group mail), where the fcntl lock alone must do.
     */
    private static boolean dotLock(Path dotLock) throws IOException {
        Instant giveUp = Instant.now().plus(LOCK_WAIT);
        while (true) {
            try {
                Files.createFile(dotLock, PRIVATE_FILE);
                return true;
            } catch (FileAlreadyExistsException e) {
                removeIfStale(dotLock);
            } catch (java.nio.file.AccessDeniedException e) {
                return false;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IOException(dotLock + " held by another program for "
                        + LOCK_WAIT.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void removeIfStale(Path dotLock) {
        try {
            FileTime modified = Files.getLastModifiedTime(dotLock, LinkOption.NOFOLLOW_LINKS);
            if (modified.toInstant().isBefore(Instant.now().minus(STALE_LOCK))) {
                Files.deleteIfExists(dotLock);
            }
        } catch (IOException e) {
            // Gone meanwhile, or unreadable: the next attempt will tell.
        }
    }

    private static FileLock lock(FileChannel channel) throws IOException {
        Instant giveUp = Instant.now().plus(LOCK_WAIT);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IOException("mbox locked by another program for "
                        + LOCK_WAIT.toSeconds() + " s");
            }
            pause();
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock", e);
        }
    }

}
