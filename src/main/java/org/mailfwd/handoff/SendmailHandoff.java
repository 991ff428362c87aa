package org.mailfwd.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;
import org.mailfwd.text.Printable;

/**
 * Submits through the sendmail program: {@code sendmail -i -f SENDER -- RECIPIENT...}, run
 * from an argument array, never through a shell. The sender is always the argument after
 * -f and every recipient comes after "--", so no address can ever be read as an option.
 *
 * <p>Any result but exit status 0 with the whole message read is a temporary failure: a
 * missing program, a signal, the timeout, a non-zero status, or a program that stopped
 * reading its input. Bouncing is for the MTA that sendmail hands to, which knows the
 * recipient; we do not.
 */
public final class SendmailHandoff implements Handoff {
    private final Path program;
    private final Duration timeout;
    private final Map<String, String> environment;
    /** The feeder of the hand-off under way, for {@link #mayHaveSent} from a hook. */
    private volatile MessageFeeder feeding;

    public SendmailHandoff(Path program, Duration timeout, Map<String, String> environment) {
        this.program = program;
        this.timeout = timeout;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String relay() {
        return "sendmail";
    }

    @Override
    public List<String> describe(EnvelopeSender sender, List<Recipient> recipients) {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.add("-i");
        argv.add("-f");
        // Postfix's, Exim's and qmail's sendmail all read "-f <>" as the null sender.
        argv.add(sender.isNull() ? "<>" : sender.address());
        argv.add("--");
        for (Recipient recipient : recipients) {
            argv.add(recipient.address());
        }
        return argv;
    }

    @Override
    public void checkReady() {
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                    "cannot run " + program + ": " + (!Files.exists(program) ? "no such file"
                            : Files.isDirectory(program) ? "a directory" : "not executable"));
        }
    }

    @Override
    public void handOff(EnvelopeSender sender, List<Recipient> recipients,
            ForwardedMessage message) {
        checkReady();
        List<String> argv = describe(sender, recipients);
        refuseUnencodable(argv);
        // ProcessBuilder, not Commons Exec: the same argument array and environment, but no
        // watchdog thread and executor (waitFor with a timeout instead) and one drain thread
        // for stdout and stderr, not two. That measured about 4-6 ms less CPU and 1.5-3.5 ms
        // less wall time per forward (docs/performance.md).
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try (InputStream input = message.openStream()) {
            MessageFeeder feeder = new MessageFeeder(input);
            feeding = feeder;
            Thread guard = new Thread(() -> killUnlessFed(feeder), "mailfwd-sigterm");
            Runtime.getRuntime().addShutdownHook(guard);
            try {
                Process child = builder.start();
                feeder.start(child);
                boolean killed = !waitFor(child);
                feeder.stop();
                check(child.exitValue(), killed, feeder);
            } finally {
                removeHook(guard);
            }
        } catch (IOException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "run " + program + ": " + e.getMessage(), e);
        }
    }

    /**
     * Once sendmail has every byte, a signal no longer kills it (see killUnlessFed): it
     * queues the message, and the MTA's retry may send it again.
     */
    @Override
    public boolean mayHaveSent() {
        MessageFeeder feeder = feeding;
        return feeder != null && feeder.fedCompletely();
    }

    /** Waits for the child up to the timeout; kills it and returns false past that. */
    private boolean waitFor(Process child) {
        try {
            if (child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            child.destroyForcibly().waitFor();
            return false;
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "interrupted while " + program + " ran");
        }
    }

    /**
     * The JVM argv encoding is the locale's (sun.jnu.encoding): under the C locale an address
     * such as "ålice@exämple.net" would reach sendmail as "?lice@ex?mple.net" and go to
     * someone else, or nowhere. The launcher sets a UTF-8 locale; this catches a JVM that
     * was started some other way.
     */
    private void refuseUnencodable(List<String> argv) {
        String name = System.getProperty("sun.jnu.encoding", "UTF-8");
        CharsetEncoder encoder;
        try {
            encoder = Charset.forName(name).newEncoder();
        } catch (IllegalArgumentException e) {
            encoder = StandardCharsets.US_ASCII.newEncoder();
        }
        for (String argument : argv) {
            if (!encoder.canEncode(argument)) {
                throw new TemporaryFailure(EnhancedStatus.CONFIGURATION, "cannot pass "
                        + Printable.of(argument, 200) + " to " + program + ": the JVM runs in "
                        + name + ", not UTF-8 (start mailfwd through its launcher, or set"
                        + " LC_ALL=C.UTF-8)");
            }
        }
    }

    /**
     * Runs when the JVM is told to stop (SIGTERM, SIGINT, SIGHUP) during a hand-off. A
     * sendmail that saw a clean end of input now would queue the part it has as a whole
     * message; SIGKILL leaves it no chance to. A fed message is left to finish.
     */
    private static void killUnlessFed(MessageFeeder feeder) {
        if (feeder.fedCompletely()) {
            return;
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run; nothing to undo.
        }
    }

    private void check(int status, boolean killed, MessageFeeder feeder) {
        String output = feeder.output().isBlank() ? ""
                : ": " + Printable.of(feeder.output().strip(), 200);
        if (killed) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    program + " timed out after " + timeout.toSeconds() + "s");
        }
        if (status != 0) {
            String how = status > 128 && status < 160
                    ? "was killed by signal " + (status - 128) : "exited with status " + status;
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    program + " " + how + output);
        }
        if (!feeder.fedCompletely()) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY, program
                    + " stopped reading the message early: " + feeder.failure() + output);
        }
    }
}
