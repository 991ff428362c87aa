package org.mailfwd.envelope;

import java.util.Locale;
import java.util.Objects;

/**
 * An envelope recipient (RFC 5321 forward-path). Only {@link ReversePathParser} makes them,
 * so a recipient is always one valid mailbox; it can never be empty or start with a dash.
 */
public final class Recipient {
    private final Mailbox mailbox;

    Recipient(Mailbox mailbox) {
        this.mailbox = Objects.requireNonNull(mailbox);
    }

    /** The address without brackets, as a sendmail argument. */
    public String address() {
        return mailbox.toString();
    }

    public String domain() {
        return mailbox.domain();
    }

    /** The forward-path as SMTP writes it. */
    public String forwardPath() {
        return "<" + address() + ">";
    }

    /**
     * Two recipients are the same when their local parts match exactly and their domains
     * match ignoring case (RFC 5321 section 2.4: only the domain is case-insensitive).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Recipient that
                && mailbox.localPart().equals(that.mailbox.localPart())
                && mailbox.domain().equalsIgnoreCase(that.mailbox.domain());
    }

    @Override
    public int hashCode() {
        return Objects.hash(mailbox.localPart(), mailbox.domain().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return forwardPath();
    }
}
