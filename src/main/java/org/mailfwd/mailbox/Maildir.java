package org.mailfwd.mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers one message into a Maildir the way qmail's maildir(5) prescribes: write it under
 * a unique name in tmp/, fsync it, then rename it into new/. A reader only ever sees whole
 * messages in new/; a crash leaves at most a file in tmp/, which mail readers clean up.
 *
 * <p>tmp/, new/ and cur/ must be real directories: a symlink there could lead the write out
 * of the Maildir, so it is refused. The Maildir itself may be a symlink its owner made.
 */
public final class Maildir {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final AtomicInteger DELIVERIES = new AtomicInteger();

    private final Path root;

    public Maildir(Path root) {
        this.root = root;
    }

    /**
     * Writes the message and returns its path in new/.
     *
     * @throws IOException when any step fails; nothing is then left in new/
     */
    public Path deliver(InputStream message) throws IOException {
        prepare();
        Path tmp = root.resolve("tmp");
        String name = uniqueName();
        Path temporary = tmp.resolve(name);
        try {
            write(temporary, message);
            Path delivered = root.resolve("new").resolve(name);
            if (Files.exists(delivered, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(delivered.toString());
            }
            // rename(2) is atomic: new/ holds the whole message or nothing.
            Files.move(temporary, delivered, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(root.resolve("new"));
            return delivered;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes tmp/, new/ and cur/ (mode 0700) where missing; refuses anything else there. */
    private void prepare() throws IOException {
        if (!Files.isDirectory(root)) {
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root + " is not a directory");
            }
            Files.createDirectories(root, PRIVATE_DIRECTORY);
        }
        for (String sub : new String[] {"tmp", "new", "cur"}) {
            Path dir = root.resolve(sub);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is not a directory (a symlink is refused)");
            }
            Files.createDirectory(dir, PRIVATE_DIRECTORY);
        }
    }

    private static void write(Path temporary, InputStream message) throws IOException {
        // CREATE_NEW fails on any existing name, a symlink included: nothing is followed.
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(temporary, options, PRIVATE_FILE)) {
            OutputStream out = Channels.newOutputStream(channel);
            message.transferTo(out);
            out.flush();
            channel.force(true);
        }
    }

    /** Makes the rename itself durable; some file systems cannot, which costs nothing. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // The message is in new/ already; only its survival of a power cut is less sure.
        }
    }

    /**
     * maildir(5)'s unique name: seconds, then microseconds, process id and a counter and
     * random bits for this host, then the host name with "/" and ":" escaped.
     */
    static String uniqueName() {
        Instant now = Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000
                + "P" + ProcessHandle.current().pid()
                + "Q" + DELIVERIES.incrementAndGet()
                + "R" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16)
                + "." + hostName().replace("/", "\\057").replace(":", "\\072");
    }

    /** Read from the kernel, not from DNS, which could hang a delivery. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isEmpty() ? "localhost" : env;
        }
    }
}
