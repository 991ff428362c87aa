package org.mailfwd.handoff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Feeds the message to the child's stdin on one thread and collects what the child prints
 * (stdout and stderr merged) on another, so that the caller is free to wait for the child
 * with a timeout. It remembers whether every byte was written, flushed and closed without
 * error: a sendmail that exits 0 after reading half a message is not a success.
 */
final class MessageFeeder {
    /** Enough of sendmail's complaint for a log line; the rest is dropped. */
    private static final int MAX_OUTPUT = 4096;

    private final InputStream message;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private OutputStream childStdin;
    private Thread writer;
    private Thread reader;
    private volatile boolean complete;
    private volatile String failure = "input not written";

    MessageFeeder(InputStream message) {
        this.message = message;
    }

    /** Starts feeding the child's stdin and reading its output (stderr merged into it). */
    void start(Process child) {
        childStdin = child.getOutputStream();
        writer = new Thread(this::feed, "mailfwd-feed");
        writer.setDaemon(true);
        reader = drain(child.getInputStream());
        writer.start();
    }

    private void feed() {
        try (OutputStream out = childStdin) {
            message.transferTo(out);
            out.flush();
            complete = true;
        } catch (IOException e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private Thread drain(InputStream in) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[1024];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    keep(buffer, n);
                }
            } catch (IOException ignored) {
                // The child closed its end; what it printed so far is all we report.
            }
        }, "mailfwd-drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private synchronized void keep(byte[] buffer, int n) {
        int room = MAX_OUTPUT - output.size();
        output.write(buffer, 0, Math.max(0, Math.min(room, n)));
    }

    /** Waits (at most 10 s each) for both threads once the child has ended. */
    void stop() throws IOException {
        join(writer);
        join(reader);
    }

    private static void join(Thread thread) throws IOException {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for sendmail's streams", e);
        }
    }

    boolean fedCompletely() {
        return complete;
    }

    String failure() {
        return failure;
    }

    synchronized String output() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
