package org.mailfwd.envelope;

import java.util.Objects;

/**
 * The envelope sender of a submission: one RFC 5321 reverse-path, or the null reverse-path
 * that bounces and auto-replies carry (RFC 5321 section 4.5.5).
 *
 * <p>Instances only come from {@link ReversePathParser}, so a non-null sender is always a
 * single, valid mailbox with its local part quoted exactly where RFC 5321 needs it.
 */
public final class EnvelopeSender {
    /** The null reverse-path, {@code <>}. It stays null: we never invent a sender for it. */
    public static final EnvelopeSender NULL = new EnvelopeSender(null);

    private final Mailbox mailbox;

    private EnvelopeSender(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    static EnvelopeSender of(Mailbox mailbox) {
        return new EnvelopeSender(Objects.requireNonNull(mailbox));
    }

    public boolean isNull() {
        return mailbox == null;
    }

    /** The address without brackets, as sendmail's -f wants it; "" for the null sender. */
    public String address() {
        return isNull() ? "" : mailbox.toString();
    }

    /** The domain, or "" for the null sender. */
    public String domain() {
        return isNull() ? "" : mailbox.domain();
    }

    /** The reverse-path as SMTP writes it: {@code <address>}, or {@code <>}. */
    public String reversePath() {
        return "<" + address() + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EnvelopeSender that && Objects.equals(mailbox, that.mailbox);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(mailbox);
    }

    @Override
    public String toString() {
        return reversePath();
    }
}
