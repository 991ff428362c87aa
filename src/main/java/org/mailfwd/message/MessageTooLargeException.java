package org.mailfwd.message;

import java.io.IOException;

/** The message, or a part that must be held whole, is over its configured limit. */
public final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    MessageTooLargeException(long limit) {
        super("message larger than the limit of " + limit + " bytes");
    }

    MessageTooLargeException(String reason) {
        super(reason);
    }
}
