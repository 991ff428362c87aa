package org.mailfwd.status;

/**
 * A delivery that did not happen, with its enhanced status and a short reason written as
 * Postfix writes them: lowercase, naming the object, the operation and the cause.
 */
public abstract sealed class MailFailure extends RuntimeException
        permits TemporaryFailure, PermanentFailure {
    private static final long serialVersionUID = 1L;

    private final transient EnhancedStatus status;

    MailFailure(EnhancedStatus status, String reason, Throwable cause) {
        super(reason, cause);
        this.status = status;
    }

    public EnhancedStatus status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
