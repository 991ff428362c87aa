package org.mailfwd.status;

/** Try again later: the MTA keeps the message and retries. Every doubt ends here. */
public final class TemporaryFailure extends MailFailure {
    private static final long serialVersionUID = 1L;

    public TemporaryFailure(EnhancedStatus status, String reason) {
        this(status, reason, null);
    }

    public TemporaryFailure(EnhancedStatus status, String reason, Throwable cause) {
        super(checkClass(status), reason, cause);
    }

    private static EnhancedStatus checkClass(EnhancedStatus status) {
        if (status.statusClass() != 4) {
            throw new IllegalArgumentException("temporary failure needs a 4.x.x status");
        }
        return status;
    }
}
