package org.mailfwd.message;

import java.io.IOException;

/** The message is over the configured size limit; the reader stopped reading. */
public final class MessageTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    MessageTooLargeException(long limit) {
        super("message larger than the limit of " + limit + " bytes");
    }
}
