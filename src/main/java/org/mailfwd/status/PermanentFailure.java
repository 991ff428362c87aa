package org.mailfwd.status;

/**
 * The message must be bounced to its sender. Raised only where that is certainly right:
 * a loop, a message over the size limit, a rule that says bounce.
 */
public final class PermanentFailure extends MailFailure {
    private static final long serialVersionUID = 1L;

    private final int sysexit;

    /**
     * @param sysexit the sysexits(3) code that Postfix, Exim and sendmail bounce on: 65
     *     (data error) for the message itself, 77 (no permission) for a rule's refusal, 76
     *     (protocol) for a relay's rejection
     */
    public PermanentFailure(EnhancedStatus status, int sysexit, String reason) {
        super(checkClass(status), reason, null);
        this.sysexit = sysexit;
    }

    private static EnhancedStatus checkClass(EnhancedStatus status) {
        if (status.statusClass() != 5) {
            throw new IllegalArgumentException("permanent failure needs a 5.x.x status");
        }
        return status;
    }

    public int sysexit() {
        return sysexit;
    }
}
