package org.mailfwd.status;

/** The outcome of one run, in Postfix's words. */
public enum DeliveryStatus {
    /** Handed off, or deliberately discarded by a rule. */
    SENT,
    /** Temporary failure: the MTA keeps the message and retries. */
    DEFERRED,
    /** Permanent failure: the MTA returns the message to its sender. */
    BOUNCED;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
