package org.mailfwd.cli;

/** The command line cannot be understood; the message says what was wrong. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
