package org.mailfwd.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.spam.SpamVerdict;
import org.mailfwd.spam.Spamc;
import org.mailfwd.spam.Tagging;
import org.mailfwd.text.Printable;

/**
 * The one line per delivery, in Postfix's key=value shape so that existing log tools read
 * it: {@code from=<...> to=<...> relay=... delay=... status=sent (2.0.0 ...)}. Every value
 * is made printable and cut to length first.
 */
public final class DeliveryLog {
    private DeliveryLog() {
    }

    /** Builds the line for a finished run. */
    public static String line(Plan plan, Outcome outcome, DeliveryRequest request,
            long startNanos) {
        long delayMillis = (System.nanoTime() - startNanos) / 1_000_000;
        String to = plan.recipients().stream().map(Recipient::forwardPath)
                .collect(Collectors.joining(","));
        StringBuilder line = new StringBuilder(256)
                .append(timestamp(System.currentTimeMillis()))
                .append(" mailfwd[").append(ProcessHandle.current().pid()).append("]: ")
                .append(Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36))
                .append(": msgid=").append(word(plan.messageId()
                        .filter(id -> !id.isBlank()).orElse("none")))
                .append(" from=").append(clean(plan.sender()
                        .map(Object::toString).orElse("unknown")))
                .append(" to=").append(clean(to.isEmpty() ? "none" : to));
        recipientOfThisDelivery(request).ifPresent(r -> line.append(" orig_to=<")
                .append(clean(r)).append('>'));
        Optional.ofNullable(request.environment().get("USER"))
                .ifPresent(user -> line.append(" user=").append(clean(user)));
        line.append(" relay=").append(plan.relay())
                .append(" delay=").append(delayMillis / 1000).append('.')
                .append(twoDigits((int) (delayMillis % 1000 / 10)))
                .append(" status=").append(outcome.status().word())
                .append(" (").append(clean(outcome.statusLine())).append(")")
                .append(" spam=").append(plan.spam().isPresent() ? spam(plan.spam().get())
                        : "none")
                .append(" tag=").append(plan.tagging().isPresent() ? tag(plan.tagging().get())
                        : "none")
                .append(" dkim=(").append(clean(plan.signing())).append(")");
        plan.journal().ifPresent(note -> line.append(" journal=(").append(clean(note))
                .append(')'));
        return line.toString();
    }

    /**
     * "yes" or "no", with score/threshold when the filter gave them: "yes/7.3/5.0". When
     * spamc gave no answer, the reason follows in parentheses: the degraded run's warning.
     */
    private static String spam(SpamVerdict verdict) {
        String word = verdict.spam() ? "yes" : "no";
        if (verdict.source().startsWith(Spamc.FALLBACK)) {
            return word + "(" + clean(verdict.source()) + ")";
        }
        if (verdict.score().isEmpty() || verdict.required().isEmpty()) {
            return word;
        }
        return word + "/" + verdict.score().getAsDouble() + "/" + verdict.required().getAsDouble();
    }

    /** subject, header or none; "+N subjects" when more Subject fields were left alone. */
    private static String tag(Tagging tagging) {
        return tagging.display() + (tagging.extraSubjects() > 0
                ? "+" + tagging.extraSubjects() + "subjects" : "");
    }

    /**
     * ISO 8601 UTC with milliseconds, as Instant.toString() prints it but always with the
     * fraction. Built by hand: DateTimeFormatter and String.format pull in the locale data
     * and cost about 8 ms at every start (measured with bench/run.sh), more than reading the
     * rule file.
     */
    static String timestamp(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                0, ZoneOffset.UTC);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        return new StringBuilder(24).append(t.getYear()).append('-')
                .append(twoDigits(t.getMonthValue())).append('-')
                .append(twoDigits(t.getDayOfMonth())).append('T')
                .append(twoDigits(t.getHour())).append(':')
                .append(twoDigits(t.getMinute())).append(':')
                .append(twoDigits(t.getSecond())).append('.')
                .append(millis / 100).append(twoDigits(millis % 100)).append('Z')
                .toString();
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    private static Optional<String> recipientOfThisDelivery(DeliveryRequest request) {
        return request.recipient()
                .or(() -> Optional.ofNullable(request.environment().get("RECIPIENT")));
    }

    private static String clean(String value) {
        return Printable.of(value);
    }

    /**
     * A value that must stay one word: a Message-ID with spaces in it could otherwise write
     * " status=sent" into the line of a message that was deferred.
     */
    private static String word(String value) {
        return clean(value).replace(' ', '_');
    }

    /**
     * Appends the line. A log that cannot be written never fails a delivery: the message
     * matters more than its record.
     */
    public static boolean append(Path file, String line) {
        try {
            Files.write(file, (line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
