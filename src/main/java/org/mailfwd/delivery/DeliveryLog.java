package org.mailfwd.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.mailfwd.envelope.Recipient;
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
        double delay = (System.nanoTime() - startNanos) / 1e9;
        String to = plan.recipients().stream().map(Recipient::forwardPath)
                .collect(Collectors.joining(","));
        StringBuilder line = new StringBuilder(256)
                .append(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .append(" mailfwd[").append(ProcessHandle.current().pid()).append("]: ")
                .append(Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36))
                .append(": msgid=").append(clean(plan.messageId().orElse("none")))
                .append(" from=").append(clean(plan.sender()
                        .map(Object::toString).orElse("unknown")))
                .append(" to=").append(clean(to.isEmpty() ? "none" : to));
        recipientOfThisDelivery(request).ifPresent(r -> line.append(" orig_to=<")
                .append(clean(r)).append('>'));
        Optional.ofNullable(request.environment().get("USER"))
                .ifPresent(user -> line.append(" user=").append(clean(user)));
        return line.append(" relay=").append(plan.relay())
                .append(String.format(" delay=%.2f", delay))
                .append(" status=").append(outcome.status().word())
                .append(" (").append(clean(outcome.statusLine())).append(")")
                .toString();
    }

    private static Optional<String> recipientOfThisDelivery(DeliveryRequest request) {
        return request.recipient()
                .or(() -> Optional.ofNullable(request.environment().get("RECIPIENT")));
    }

    private static String clean(String value) {
        return Printable.of(value);
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
