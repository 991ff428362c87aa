package org.mailfwd.envelope;

/** An address that is not exactly one valid RFC 5321 path; the message says why. */
public final class AddressSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    AddressSyntaxException(String reason) {
        super(reason, null, false, false);
    }
}
