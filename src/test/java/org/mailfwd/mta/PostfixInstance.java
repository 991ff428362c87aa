package org.mailfwd.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mailfwd.cli.InstalledMailfwd;

/**
 * A real Postfix, private to the tests: src/test/resources/mta/postfix-instance.sh sets up a
 * second instance under /opt/mailfwd-test/postfix (own config, queue and log; nothing
 * listening) with the users mailfwd-a and mailfwd-b, whose ~/.forward is the README's line
 * for the launcher that install.sh put in /opt/mailfwd-test/prefix. Everything not
 * @localhost goes to the loopback sink given to {@link #start}.
 *
 * <p>/opt/mailfwd-test is world-readable on purpose: local(8) runs mailfwd as the test user,
 * who must read the launcher and the jar. A file lock there keeps two test runs on one
 * machine (two checkouts) from sharing the instance.
 */
final class PostfixInstance implements AutoCloseable {
    static final Path TOP = Path.of("/opt/mailfwd-test");
    static final Path BASE = TOP.resolve("postfix");
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final FileChannel lockFile;
    private final FileLock lock;
    private final Path launcher;

    private PostfixInstance(FileChannel lockFile, FileLock lock, Path launcher) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.launcher = launcher;
    }

    /** Installs the launcher, then sets up and starts the instance relaying to sinkPort. */
    static PostfixInstance start(int sinkPort) throws IOException, InterruptedException {
        Files.createDirectories(TOP);
        Files.setPosixFilePermissions(TOP, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileChannel lockFile = FileChannel.open(TOP.resolve("lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock();
        Path launcher = TOP.resolve("prefix/bin/mailfwd");
        PostfixInstance postfix = new PostfixInstance(lockFile, lock, launcher);
        try {
            InstalledMailfwd.install(TOP);
            postfix.script("start", BASE.toString(), Integer.toString(sinkPort),
                    launcher.toString());
            return postfix;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            // Leave no half-made instance or test user behind.
            try {
                postfix.close();
            } catch (IOException | InterruptedException | RuntimeException | AssertionError
                    cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    Path launcher() {
        return launcher;
    }

    static Path home(String user) {
        return BASE.resolve("home").resolve(user);
    }

    /** Writes the user's ~/.mailfwd.yaml, owned by the user as a real one would be. */
    void rules(String user, String yaml) throws IOException {
        Path file = Files.writeString(home(user).resolve(".mailfwd.yaml"), yaml);
        UserPrincipal owner = file.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(user);
        Files.setOwner(file, owner);
    }

    /** The user's ~/.mailfwd.log, empty when mailfwd has written nothing. */
    String deliveryLog(String user) throws IOException {
        Path log = home(user).resolve(".mailfwd.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Deletes both users' ~/.mailfwd.log, so each test reads only its own lines. */
    void deleteDeliveryLogs() throws IOException {
        for (String user : List.of("mailfwd-a", "mailfwd-b")) {
            Files.deleteIfExists(home(user).resolve(".mailfwd.log"));
        }
    }

    /** Postfix's own log, for a failing test's message. */
    String maillog() throws IOException {
        Path log = BASE.resolve("maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    /** Submits a message as root: sendmail -C BASE/etc -i -f sender -- recipient. */
    void inject(String sender, String recipient, byte[] message)
            throws IOException, InterruptedException {
        Path in = Files.createTempFile("mailfwd-inject", ".eml");
        try {
            Files.write(in, message);
            run(List.of("/usr/sbin/sendmail", "-C", BASE.resolve("etc").toString(), "-i",
                    "-f", sender, "--", recipient), in);
        } finally {
            Files.delete(in);
        }
    }

    /** postqueue -j: one JSON object per queued message. */
    List<String> queue() throws IOException, InterruptedException {
        String out = run(List.of("/usr/sbin/postqueue", "-c", BASE.resolve("etc").toString(),
                "-j"), null);
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    /** Waits until some queued message matches; returns its JSON. */
    String awaitQueued(Predicate<String> entry, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : queue()) {
                if (entry.test(line)) {
                    return line;
                }
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no such message in the queue after " + timeout.toSeconds()
                + "s; queue: " + queue() + "\nmaillog:\n" + maillog());
    }

    /**
     * Waits until the queue is empty. The original stays queued until its bounce or its
     * forwarded copy is queued in turn, so an empty queue means nothing is left in flight.
     */
    void awaitEmptyQueue(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("queue not empty after " + timeout.toSeconds()
                        + "s: " + queue() + "\nmaillog:\n" + maillog());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** postsuper -d ALL: what one test left queued never reaches the next. */
    void deleteQueue() throws IOException, InterruptedException {
        run(List.of("/usr/sbin/postsuper", "-c", BASE.resolve("etc").toString(), "-d", "ALL"),
                null);
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", InstalledMailfwd.projectDir()
                .resolve("src/test/resources/mta/postfix-instance.sh").toString()));
        command.addAll(List.of(args));
        run(command, null);
    }

    private static String run(List<String> command, Path stdin)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("mailfwd-postfix", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after " + COMMAND_TIMEOUT);
            }
            String output = Files.readString(out, StandardCharsets.ISO_8859_1);
            assertThat(process.exitValue()).as("%s failed: %s", command, output).isZero();
            return output;
        } finally {
            Files.delete(out);
        }
    }

    /**
     * Empties the queue, stops the instance, removes the users, the instance's files and the
     * installed launcher. The lock file stays: another run may be waiting on it.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            script("stop", BASE.toString());
            run(List.of("rm", "-rf", "--", TOP.resolve("prefix").toString(),
                    TOP.resolve("install.out").toString()), null);
        } finally {
            lock.release();
            lockFile.close();
        }
    }
}
