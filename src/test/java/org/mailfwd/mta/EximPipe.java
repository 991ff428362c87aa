package org.mailfwd.mta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exim's pipe transport running a {@code "|command"} line of a .forward file, with the
 * options of Exim's default address_pipe transport ({@code driver = pipe},
 * {@code return_output}), done the way Exim's transports/pipe.c does it: the command split
 * into words and run without a shell, in the user's home, with an environment made of
 * exactly LOCAL_PART, LOGNAME, USER, LOCAL_PART_PREFIX, LOCAL_PART_SUFFIX, DOMAIN, HOME,
 * MESSAGE_ID, PATH=/bin:/usr/bin, RECIPIENT, QUALIFY_DOMAIN, SENDER and SHELL=/bin/sh; stdin
 * is the default message_prefix (a From_ line), the message, and the default
 * message_suffix (one newline).
 *
 * <p>The result: exit 0 is delivered; a code in temp_errors (default 75 and 73) defers; any
 * other code or a signal bounces; and under return_output ANY output on stdout or stderr
 * bounces the message, whatever the exit code.
 */
final class EximPipe {
    /** What Exim makes of one run. */
    enum Reading { DELIVERED, DEFERRED, BOUNCED }

    /** temp_errors default: EX_TEMPFAIL and EX_CANTCREAT. */
    private static final List<Integer> TEMP_ERRORS = List.of(75, 73);
    /** ${tod_bsdinbox}: ctime's layout in local time, as mbox From_ lines have it. */
    private static final DateTimeFormatter BSD_INBOX =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    /** The address Exim delivers to and the message's envelope sender ("" for a bounce). */
    record Delivery(String localPart, String domain, Path home, String sender,
            String messageId) {
    }

    record Result(int exitCode, Reading reading, String output) {
    }

    private EximPipe() {
    }

    static Reading read(int exitCode, String output) {
        if (!output.isEmpty()) {
            return Reading.BOUNCED;
        }
        if (exitCode == 0) {
            return Reading.DELIVERED;
        }
        return TEMP_ERRORS.contains(exitCode) ? Reading.DEFERRED : Reading.BOUNCED;
    }

    static Map<String, String> environment(Delivery delivery) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOCAL_PART", delivery.localPart());
        env.put("LOGNAME", delivery.localPart());
        env.put("USER", delivery.localPart());
        env.put("LOCAL_PART_PREFIX", "");
        env.put("LOCAL_PART_SUFFIX", "");
        env.put("DOMAIN", delivery.domain());
        env.put("HOME", delivery.home().toString());
        env.put("MESSAGE_ID", delivery.messageId());
        env.put("PATH", "/bin:/usr/bin");
        env.put("RECIPIENT", delivery.localPart() + "@" + delivery.domain());
        env.put("QUALIFY_DOMAIN", delivery.domain());
        env.put("SENDER", delivery.sender());
        env.put("SHELL", "/bin/sh");
        return env;
    }

    /** What the command reads: From_ line, the message, one newline. */
    static byte[] stdin(Delivery delivery, byte[] message, ZonedDateTime now) {
        String returnPath = delivery.sender().isEmpty() ? "MAILER-DAEMON" : delivery.sender();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("From " + returnPath + " " + BSD_INBOX.format(now) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(message);
        bytes.write('\n');
        return bytes.toByteArray();
    }

    static Result run(String command, Delivery delivery, byte[] message, ZonedDateTime now)
            throws IOException, InterruptedException {
        Path in = Files.write(Files.createTempFile(delivery.home(), "spool", ".eml"),
                stdin(delivery, message, now));
        Path out = Files.createTempFile(delivery.home(), "output", ".txt");
        ProcessBuilder builder = new ProcessBuilder(Arrays.asList(command.trim().split("\\s+")))
                .directory(delivery.home().toFile())
                .redirectInput(in.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(delivery));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pipe command still running after 60s: " + command);
        }
        String output = Files.readString(out, StandardCharsets.ISO_8859_1);
        return new Result(process.exitValue(), read(process.exitValue(), output), output);
    }
}
