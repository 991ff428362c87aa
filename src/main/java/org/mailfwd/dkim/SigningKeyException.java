package org.mailfwd.dkim;

/**
 * A key file that cannot be used: missing, unreadable, readable by others, or not a key of
 * the configured algorithm. The message is one lowercase phrase naming the file.
 */
public final class SigningKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigningKeyException(String message) {
        super(message);
    }

    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
