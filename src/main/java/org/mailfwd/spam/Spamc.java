package org.mailfwd.spam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;
import org.mailfwd.text.Printable;

/**
 * Asks SpamAssassin's spamc for a verdict when the header holds none: the program is run from
 * an argument array (never a shell) with the configured arguments, then {@code -c} (check:
 * spamc prints "score/threshold") or {@code --headers -x} (headers: spamc prints the message
 * with SpamAssassin's fields, which are read like a filter's own, see {@link VerdictReader}).
 *
 * <p>When spamc gives no answer (not installed, spamd down, the timeout, "0/0", an exit
 * status other than 0 or 1, output without a verdict) the configured {@link Fallback}
 * decides: by default the message counts as not spam, with the reason in the verdict's
 * source for the delivery log line (never on stderr, which the MTA reads), because
 * holding all mail while spamd is down would be worse than forwarding unchecked mail, which
 * the filter at the MTA has usually seen anyway.
 */
public final class Spamc {
    /** spamc's own default of 30 s: spamd answers in well under a second when it is up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Path DEFAULT_PROGRAM = Path.of("/usr/bin/spamc");
    /** How long each stream is still pumped after spamc ended: enough to drain a pipe. */
    private static final Duration PUMP_STOP = Duration.ofSeconds(1);
    /** A header longer than this is not a spamc answer we want to read. */
    private static final int MAX_OUTPUT = 1 << 20;
    private static final Pattern CHECK_LINE =
            Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)/(-?\\d+(?:\\.\\d+)?)\\s*$");

    /** The start of a fallback verdict's source: spamc gave no answer. */
    public static final String FALLBACK = "fallback";

    /** How spamc is asked. */
    public enum Mode { CHECK, HEADERS }

    /** What counts when spamc gives no answer. */
    public enum Fallback { NOT_SPAM, SPAM, DEFER }

    private final Path program;
    private final List<String> arguments;
    private final Duration timeout;
    private final Mode mode;
    private final Fallback fallback;

    public Spamc(Path program, List<String> arguments, Duration timeout, Mode mode,
            Fallback fallback) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("spamc timeout must be positive");
        }
        this.program = program;
        this.arguments = List.copyOf(arguments);
        this.timeout = timeout;
        this.mode = mode;
        this.fallback = fallback;
    }

    /** The argument array that will be run, for the dry run. */
    public List<String> command() {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(arguments);
        if (mode == Mode.CHECK) {
            argv.add("-c");
        } else {
            argv.addAll(List.of("--headers", "-x"));
        }
        return argv;
    }

    /**
     * Feeds the message as received (without a From_ line) to spamc.
     *
     * @return spamc's verdict, or the fallback's with the reason in its source
     * @throws TemporaryFailure when spamc gives no answer and the fallback is DEFER
     */
    public SpamVerdict check(Message message) {
        String failure;
        try {
            Optional<SpamVerdict> answer = run(message);
            if (answer.isPresent()) {
                return answer.get();
            }
            failure = "spamc gave no verdict";
        } catch (NoAnswer e) {
            failure = e.getMessage();
        }
        return fallBack(failure);
    }

    private SpamVerdict fallBack(String failure) {
        String reason = Printable.of(failure, 100);
        switch (fallback) {
            case DEFER -> throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY, reason);
            case SPAM -> {
                return SpamVerdict.flag(true, FALLBACK + " (" + reason + ")");
            }
            default -> {
                return SpamVerdict.flag(false, FALLBACK + " (" + reason + ")");
            }
        }
    }

    private Optional<SpamVerdict> run(Message message) {
        if (!Files.isExecutable(program)) {
            throw new NoAnswer("cannot run " + program + ": "
                    + (Files.exists(program) ? "not executable" : "no such file"));
        }
        List<String> argv = command();
        CommandLine command = new CommandLine(argv.get(0));
        argv.subList(1, argv.size()).forEach(a -> command.addArgument(a, false));
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setExitValues(null);
        executor.setWatchdog(watchdog);
        BoundedOutput stdout = new BoundedOutput(MAX_OUTPUT);
        try (InputStream input = new ForwardedMessage(message).openStream()) {
            PumpStreamHandler streams = new PumpStreamHandler(stdout,
                    OutputStream.nullOutputStream(), input);
            // A killed spamc wrapper may leave a child holding the pipe open; do not wait for it.
            streams.setStopTimeout(PUMP_STOP);
            executor.setStreamHandler(streams);
            int status = executor.execute(command);
            if (watchdog.killedProcess()) {
                throw new NoAnswer("spamc timed out after " + timeout.toSeconds() + "s");
            }
            return mode == Mode.CHECK ? checkAnswer(status, stdout.text())
                    : headersAnswer(status, stdout.bytes());
        } catch (IOException e) {
            if (watchdog.killedProcess()) {
                throw new NoAnswer("spamc timed out after " + timeout.toSeconds() + "s");
            }
            throw new NoAnswer("run " + program + ": " + e.getMessage());
        }
    }

    /** spamc -c: exit 1 for spam, 0 for ham or no answer; "0/0" when spamd gave none. */
    private static Optional<SpamVerdict> checkAnswer(int status, String output) {
        if (status != 0 && status != 1) {
            throw new NoAnswer("spamc exited with status " + status);
        }
        String first = output.lines().findFirst().orElse("");
        Matcher line = CHECK_LINE.matcher(first);
        if (!line.matches()) {
            throw new NoAnswer("spamc -c printed no score: " + Printable.of(first, 60));
        }
        double score = Double.parseDouble(line.group(1));
        double required = Double.parseDouble(line.group(2));
        if (score == 0 && required == 0) {
            throw new NoAnswer("spamd gave no answer (spamc printed 0/0)");
        }
        return Optional.of(SpamVerdict.of(score >= required, score, required, "spamc"));
    }

    /**
     * spamc --headers -x: the message with SpamAssassin's fields. SpamAssassin deletes every
     * X-Spam-* field it finds before it writes its own, so here the topmost one is its own,
     * whatever position it was written at.
     */
    private static Optional<SpamVerdict> headersAnswer(int status, byte[] output)
            throws IOException {
        if (status != 0) {
            throw new NoAnswer("spamc exited with status " + status);
        }
        MessageLimits limits = new MessageLimits(MAX_OUTPUT, MAX_OUTPUT, 0);
        try (Message answer = new MessageReader(limits).read(new ByteArrayInputStream(output))) {
            return VerdictReader.spamAssassin(0).read(answer)
                    .map(v -> new SpamVerdict(v.spam(), v.score(), v.required(),
                            "spamc " + v.source()));
        }
    }

    /** spamc gave no usable answer; the message says why. */
    private static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Keeps the first {@code limit} bytes and drops the rest, so the pump never blocks. */
    private static final class BoundedOutput extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;

        BoundedOutput(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (kept.size() < limit) {
                kept.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            kept.write(b, off, Math.max(0, Math.min(len, limit - kept.size())));
        }

        byte[] bytes() {
            return kept.toByteArray();
        }

        String text() {
            return kept.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
