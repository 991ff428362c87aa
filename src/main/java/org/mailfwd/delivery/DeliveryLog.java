package org.mailfwd.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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
        StringBuilder to = new StringBuilder();
        for (Recipient recipient : plan.recipients()) {
            to.append(to.isEmpty() ? "" : ",").append(recipient.forwardPath());
        }
        StringBuilder line = new StringBuilder(256)
                .append(timestamp(System.currentTimeMillis()))
                .append(" mailfwd[").append(ProcessHandle.current().pid()).append("]: ")
                .append(Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36))
                .append(": msgid=").append(word(plan.messageId()
                        .filter(id -> !id.isBlank()).orElse("none")))
                .append(" from=").append(clean(plan.sender()
                        .map(Object::toString).orElse("unknown")))
                .append(" to=").append(clean(to.isEmpty() ? "none" : to.toString()));
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
     * rule file; java.time's LocalDateTime still cost about 0.5 ms (class-init timelines).
     * The date is the proleptic Gregorian calendar's, from the day number by the usual
     * era arithmetic (eras of 400 years, March-based years so that leap days come last).
     */
    static String timestamp(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        long shifted = days + 719_468; // days since 0000-03-01
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096)
                / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153; // 0 = March
        int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
        int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return new StringBuilder(24).append(year).append('-')
                .append(twoDigits(month)).append('-')
                .append(twoDigits(day)).append('T')
                .append(twoDigits(secondOfDay / 3600)).append(':')
                .append(twoDigits(secondOfDay / 60 % 60)).append(':')
                .append(twoDigits(secondOfDay % 60)).append('.')
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
