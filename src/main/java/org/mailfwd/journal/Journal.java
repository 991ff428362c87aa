package org.mailfwd.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The per-user record of what was already done with a message: one line per (message,
 * target) handed off or kept, so that when the MTA redelivers a message whole after a
 * partial failure, the retry reaches only the targets that still need it.
 *
 * <p>Contract: the journal never stops mail. Every read or write problem is swallowed and
 * reported by {@link #problem()}; its only cost is that a retry may deliver a duplicate.
 * Entries older than {@link #LIFETIME} are ignored and dropped: no MTA retries that long.
 *
 * <p>Format: {@code <epoch seconds> <32 hex digits>\n}. The hex is a hash of the message
 * print and the target, so the file holds no addresses or paths. Lines are appended with
 * O_APPEND in one write and forced to disk, so concurrent deliveries never interleave
 * within a line; a torn or foreign line is skipped by the reader. When the file grows past
 * {@link #COMPACT_AT} it is rewritten with only live entries (temporary file, fsync, rename).
 */
public final class Journal {
    /** One day more than qmail's queuelifetime (7 days); Postfix gives up after 5. */
    public static final Duration LIFETIME = Duration.ofDays(8);
    /** About 5,000 entries: compacting is cheap at this size and rare. */
    static final long COMPACT_AT = 256 * 1024;
    /** A journal larger than this is not ours to trust: it is started afresh. */
    static final long MAX_READ = 4 * 1024 * 1024;

    private final Optional<Path> file;
    private final Instant now;
    private final Map<String, Long> entries;
    private String problem;

    private Journal(Optional<Path> file, Instant now, Map<String, Long> entries,
            String problem) {
        this.file = file;
        this.now = now;
        this.entries = entries;
        this.problem = problem;
    }

    /** A journal that remembers nothing, for runs without one (no HOME). */
    public static Journal none(String why) {
        return new Journal(Optional.empty(), Instant.EPOCH, new HashMap<>(), why);
    }

    /** Reads the journal at {@code file}; never throws. */
    public static Journal open(Path file, Instant now) {
        Map<String, Long> entries = new HashMap<>();
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.size(file) > MAX_READ) {
                    return new Journal(Optional.of(file), now, entries,
                            "larger than " + MAX_READ + " bytes, ignored");
                }
                read(file, now, entries);
            }
            return new Journal(Optional.of(file), now, entries, null);
        } catch (IOException | RuntimeException e) {
            return new Journal(Optional.of(file), now, entries, "unreadable: " + e);
        }
    }

    private static void read(Path file, Instant now, Map<String, Long> entries)
            throws IOException {
        long oldest = now.minus(LIFETIME).getEpochSecond();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            String text = new String(in.readNBytes((int) MAX_READ), StandardCharsets.US_ASCII);
            for (String line : text.split("\n", -1)) {
                int space = line.indexOf(' ');
                if (space <= 0 || line.length() != space + 33 || !isHex(line, space + 1)) {
                    continue;
                }
                long when;
                try {
                    when = Long.parseLong(line, 0, space, 10);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (when >= oldest && when <= now.getEpochSecond() + 86_400) {
                    entries.put(line.substring(space + 1), when);
                }
            }
        }
    }

    private static boolean isHex(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key of one target of one message.
     *
     * @param print {@link Fingerprint#of} the message
     * @param target what was done, e.g. "keep /home/a/Maildir/" or "forward <s> <r1> <r2>"
     */
    public static String key(String print, String target) {
        var digest = Fingerprint.sha256();
        digest.update(print.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        digest.update(target.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** True when this target of this message was already done on an earlier attempt. */
    public boolean done(String key) {
        return entries.containsKey(key);
    }

    /** Records a target as done; a failure is kept for {@link #problem()}, never thrown. */
    public void record(String key) {
        long when = now.getEpochSecond();
        entries.put(key, when);
        if (file.isEmpty()) {
            return;
        }
        try {
            append(file.get(), when + " " + key + "\n");
            if (Files.size(file.get()) > COMPACT_AT) {
                compact(file.get());
            }
        } catch (IOException | RuntimeException e) {
            problem = "not written: " + e;
        }
    }

    private static void append(Path file, String line) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
    }

    /**
     * Rewrites the file with the live entries. An entry another delivery appends between
     * our read and the rename is lost: it costs at most one duplicate on a retry, which
     * a lock that could hang a delivery would not be worth.
     */
    private void compact(Path file) throws IOException {
        StringBuilder live = new StringBuilder();
        entries.forEach((key, when) -> live.append(when).append(' ').append(key).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle
                .current().pid());
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            channel.write(ByteBuffer.wrap(live.toString().getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** What went wrong with the journal, for the log line; empty when it works. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Where the journal lives; empty when there is none. */
    public Optional<Path> file() {
        return file;
    }
}
