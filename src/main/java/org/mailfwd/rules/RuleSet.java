package org.mailfwd.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;

/**
 * A checked rule file: every address parsed, every value of the right type.
 *
 * @param forward where every message goes (the {@code forward:} shorthand)
 * @param sendmail the sendmail program, when the file names one
 * @param log the log file, when the file names one
 * @param fallbackSender the envelope sender to use when no source gives a valid one;
 *     without it such a message is deferred
 * @param maxReceived more Received fields than this is a loop (Postfix's hopcount_limit)
 * @param sendmailTimeout how long sendmail may take, well under the MTA's own limit
 */
public record RuleSet(
        List<Recipient> forward,
        Optional<Path> sendmail,
        Optional<Path> log,
        Optional<EnvelopeSender> fallbackSender,
        int maxReceived,
        Duration sendmailTimeout) {

    /** Postfix's hopcount_limit default. */
    public static final int DEFAULT_MAX_RECEIVED = 50;
    /** Postfix gives a pipe command 1000 s; we finish well before it gives up on us. */
    public static final Duration DEFAULT_SENDMAIL_TIMEOUT = Duration.ofSeconds(300);

    public RuleSet {
        forward = List.copyOf(forward);
    }
}
