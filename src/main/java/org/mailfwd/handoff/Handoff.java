package org.mailfwd.handoff;

import java.util.List;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.message.ForwardedMessage;

/**
 * Gives the message to the next MTA. It either returns with everything accepted or throws a
 * {@link org.mailfwd.status.MailFailure}; it never retries on its own: the calling MTA owns
 * retries and bounces.
 */
public interface Handoff {
    /** The name that the log line shows as relay=. */
    String relay();

    /** What this hand-off would run, for the dry run. */
    List<String> describe(EnvelopeSender sender, List<Recipient> recipients);

    /**
     * Throws the failure that {@link #handOff} would meet before it starts, such as a
     * sendmail program that is not there, so that a dry run reports what the real run would.
     */
    default void checkReady() {
        // Nothing to check before connecting.
    }

    void handOff(EnvelopeSender sender, List<Recipient> recipients, ForwardedMessage message);

    /**
     * Whether the next MTA may already have the whole message: asked from a shutdown hook
     * when a signal ends a hand-off, so the log can say that the outcome is unknown.
     */
    default boolean mayHaveSent() {
        return false;
    }
}
