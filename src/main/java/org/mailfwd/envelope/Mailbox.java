package org.mailfwd.envelope;

/**
 * A valid RFC 5321 mailbox: a local part and a domain. The local part is kept unquoted
 * (its value); {@link #toString()} quotes it only when it is not a dot-atom.
 */
record Mailbox(String localPart, String domain) {

    @Override
    public String toString() {
        return AddressSyntax.renderLocalPart(localPart) + "@" + domain;
    }
}
