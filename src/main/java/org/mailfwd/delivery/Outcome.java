package org.mailfwd.delivery;

import org.mailfwd.status.DeliveryStatus;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;

/**
 * How one run ended.
 *
 * @param sysexit the sysexits code for a bounce under Postfix, Exim or sendmail; 0 otherwise
 */
public record Outcome(DeliveryStatus status, EnhancedStatus code, String reason, int sysexit) {

    public static Outcome sent(String reason) {
        return new Outcome(DeliveryStatus.SENT, EnhancedStatus.DELIVERED, reason, 0);
    }

    public static Outcome of(MailFailure failure) {
        if (failure instanceof PermanentFailure permanent) {
            return new Outcome(DeliveryStatus.BOUNCED, failure.status(), failure.reason(),
                    permanent.sysexit());
        }
        return new Outcome(DeliveryStatus.DEFERRED, failure.status(), failure.reason(), 0);
    }

    /** The status line: the enhanced code, then the reason (RFC 3463 first, as Postfix reads). */
    public String statusLine() {
        return code + " " + reason;
    }
}
