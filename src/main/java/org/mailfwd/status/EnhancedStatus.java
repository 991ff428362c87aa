package org.mailfwd.status;

/**
 * An RFC 3463 enhanced status code such as 4.3.0. The class digit says whether the outcome
 * is success (2), temporary (4) or permanent (5); the code leads every stderr line, so that
 * Postfix and qmail carry it into their bounce and defer notices unchanged.
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {
    public static final EnhancedStatus DELIVERED = new EnhancedStatus(2, 0, 0);
    /** Other or undefined mail system status: our own trouble, configuration or a bug. */
    public static final EnhancedStatus SYSTEM_TEMPORARY = new EnhancedStatus(4, 3, 0);
    /** System not accepting network messages / configuration error. */
    public static final EnhancedStatus CONFIGURATION = new EnhancedStatus(4, 3, 5);
    /** Bad sender's system address syntax: no usable envelope sender. */
    public static final EnhancedStatus BAD_SENDER = new EnhancedStatus(4, 1, 7);
    /** Routing loop detected. */
    public static final EnhancedStatus LOOP = new EnhancedStatus(5, 4, 6);
    /** Message length exceeds administrative limit. */
    public static final EnhancedStatus TOO_BIG = new EnhancedStatus(5, 3, 4);

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("status class must be 2, 4 or 5");
        }
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
