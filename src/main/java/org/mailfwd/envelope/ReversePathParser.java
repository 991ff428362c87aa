package org.mailfwd.envelope;

import java.util.regex.Pattern;
import org.mailfwd.message.HeaderField;

/**
 * Turns the places an envelope address comes from into exactly one valid path, or refuses.
 *
 * <p>Two spellings exist. A <em>field</em> value (a Return-Path field, an argument, a rule
 * file entry) follows RFC 5322: comments and folding white space are dropped, one pair of
 * angle brackets is removed, a source route is ignored (RFC 5321 section 4.1.1.3 says
 * to), and a quoted local part is unquoted. A <em>raw</em> value (SENDER from qmail, Postfix
 * or Exim, the address on an mbox From_ line) is the bare address without any quoting, as
 * qmail-command(8) documents; a local part that needs quotes, such as one with a space, gets
 * them rather than being refused.
 *
 * <p>Nothing is repaired by guessing: two addresses, control characters, nested brackets,
 * a display name or an over-long address is an {@link AddressSyntaxException}.
 */
public final class ReversePathParser {
    private final String text;
    private int pos;

    private ReversePathParser(String text) {
        this.text = text;
    }

    /** Parses a field value or argument into an envelope sender; may be the null sender. */
    public static EnvelopeSender parseSender(String value) throws AddressSyntaxException {
        String unfolded = unfold(value);
        if (isNullSenderSpelling(withoutBrackets(withoutCfws(unfolded)))) {
            return EnvelopeSender.NULL;
        }
        Mailbox mailbox = new ReversePathParser(unfolded).path(true);
        return mailbox == null ? EnvelopeSender.NULL : EnvelopeSender.of(mailbox);
    }

    /** Parses a raw, unquoted address (SENDER, a From_ line); may be the null sender. */
    public static EnvelopeSender parseRawSender(String value) throws AddressSyntaxException {
        checkNoControls(value);
        String stripped = value.strip();
        boolean bracketed = stripped.startsWith("<");
        // A value in brackets is written as a path, not raw, so a comment after it is one:
        // "<> (bounce)". Bare, "(" is just a character of a local part.
        if (isNullSenderSpelling(withoutBrackets(stripped))
                || bracketed && isNullSenderSpelling(withoutBrackets(withoutCfws(value)))) {
            return EnvelopeSender.NULL;
        }
        // Bare, every character counts: qmail exports " john"@example.com as " john@...".
        // In brackets the value is a path, whose source route is ignored as in a field.
        return EnvelopeSender.of(rawMailbox(bracketed
                ? withoutSourceRoute(withoutBrackets(stripped)) : value));
    }

    private static String withoutSourceRoute(String path) throws AddressSyntaxException {
        ReversePathParser parser = new ReversePathParser(path);
        parser.skipSourceRoute();
        return path.substring(parser.pos);
    }

    /** Parses a forward target: a field value that must name one mailbox, never null. */
    public static Recipient parseRecipient(String value) throws AddressSyntaxException {
        Mailbox mailbox = new ReversePathParser(unfold(value)).path(false);
        return new Recipient(mailbox);
    }

    /**
     * Parses the raw address of a delivery (RECIPIENT, --recipient). Such an address is only
     * compared against Delivered-To fields, never submitted, so it has no length limits.
     */
    public static String normalizeRaw(String value) throws AddressSyntaxException {
        checkNoControls(value);
        return withoutBrackets(value.strip());
    }

    /**
     * The address in the unquoted internal form an MTA keeps and exports in SENDER, e.g.
     * {@code john doe@example.com} for {@code "john doe"@example.com}.
     */
    public static String internalForm(EnvelopeSender sender) {
        if (sender.isNull()) {
            return "";
        }
        String address = sender.address();
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        if (local.startsWith("\"")) {
            local = local.substring(1, local.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return local + address.substring(at);
    }

    // Spellings of the null sender: <> and empty; qmail's #@[] for a double bounce;
    // MAILER-DAEMON where Postfix writes it (From_ line, pipe(8) ${sender}).
    private static boolean isNullSenderSpelling(String address) {
        return address.isEmpty() || address.equals("#@[]")
                || address.equalsIgnoreCase("MAILER-DAEMON");
    }

    /**
     * The value with comments and white space outside quoted strings and literals removed;
     * only used to recognise a null-sender spelling, so a malformed value may come out
     * mangled: the parser proper refuses it afterwards.
     */
    private static String withoutCfws(String value) {
        StringBuilder kept = new StringBuilder(value.length());
        int depth = 0;
        char closing = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (depth > 0 || closing != 0) && i + 1 < value.length()) {
                if (depth == 0) {
                    kept.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (depth > 0) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (closing != 0) {
                kept.append(c);
                closing = c == closing ? 0 : closing;
            } else if (c == '(') {
                depth = 1;
            } else if (c == '"' || c == '[') {
                kept.append(c);
                closing = c == '"' ? '"' : ']';
            } else if (c != ' ' && c != '\t') {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static String withoutBrackets(String s) {
        if (s.length() >= 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>') {
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static void checkNoControls(String value) throws AddressSyntaxException {
        AddressSyntax.checkCharacters(value);
    }

    /**
     * What could stand between two addresses in a raw value. In a holder class so that it is
     * compiled only for the rare raw address with two at signs, not at every start.
     */
    private static final class Separator {
        static final Pattern PATTERN = Pattern.compile("[\\s,;]");
    }

    private static Mailbox rawMailbox(String address) throws AddressSyntaxException {
        boolean quoted = address.startsWith("\"");
        // An at sign may be part of a raw local part (a@b@example.com is "a@b"@example.com,
        // split at the last one as qmail does), but beside a blank or a comma it may just
        // as well begin a second address, and which one it is cannot be known.
        if (!quoted && address.indexOf('@') != address.lastIndexOf('@')
                && Separator.PATTERN.matcher(address).find()) {
            throw new AddressSyntaxException("more than one address");
        }
        if (address.indexOf('<') >= 0 || address.indexOf('>') >= 0) {
            throw new AddressSyntaxException("nested or stray angle brackets");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            throw new AddressSyntaxException("missing domain in \"" + address + "\"");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (quoted) {
            // A From_ line quotes as RFC 5321 does (Postfix writes "john doe"@example.com);
            // then the whole local part must be that one quoted string.
            ReversePathParser parser = new ReversePathParser(local);
            local = parser.quotedStringValue();
            if (!parser.atEnd()) {
                throw parser.unexpected();
            }
        }
        return AddressSyntax.mailbox(local, domain);
    }

    /** Unfolds (RFC 5322 section 2.2.3) and refuses any other CR, LF or control character. */
    private static String unfold(String value) throws AddressSyntaxException {
        String unfolded = HeaderField.unfold(value);
        checkNoControls(unfolded);
        return unfolded;
    }

    // path = [CFWS] ( "<" [CFWS] [route] addr-spec [CFWS] ">" | addr-spec ) [CFWS]
    // Returns null for "<>" when allowed.
    private Mailbox path(boolean nullAllowed) throws AddressSyntaxException {
        skipCfws();
        if (atEnd()) {
            throw new AddressSyntaxException("empty address");
        }
        Mailbox mailbox;
        if (peek() == '<') {
            pos++;
            skipCfws();
            if (!atEnd() && peek() == '>') {
                if (!nullAllowed) {
                    throw new AddressSyntaxException("the null address <> is not a recipient");
                }
                pos++;
                expectEnd();
                return null;
            }
            skipSourceRoute();
            mailbox = addrSpec();
            skipCfws();
            expect('>');
        } else {
            mailbox = addrSpec();
        }
        expectEnd();
        return mailbox;
    }

    private void skipSourceRoute() throws AddressSyntaxException {
        if (atEnd() || peek() != '@') {
            return;
        }
        while (true) {
            pos++;
            AddressSyntax.checkDomain(domain());
            skipCfws();
            if (atEnd() || peek() != ',') {
                break;
            }
            pos++;
            skipCfws();
            if (atEnd() || peek() != '@') {
                throw new AddressSyntaxException("invalid source route: \",\" without \"@\"");
            }
        }
        expect(':');
        skipCfws();
    }

    private Mailbox addrSpec() throws AddressSyntaxException {
        String local = localPart();
        skipCfws();
        if (atEnd() || peek() == '>') {
            throw new AddressSyntaxException("missing domain in \"" + text.strip() + "\"");
        }
        expect('@');
        skipCfws();
        return AddressSyntax.mailbox(local, domain());
    }

    private String localPart() throws AddressSyntaxException {
        if (!atEnd() && peek() == '"') {
            return quotedStringValue();
        }
        StringBuilder local = new StringBuilder();
        local.append(atom());
        skipCfws();
        while (!atEnd() && peek() == '.') {
            pos++;
            skipCfws();
            local.append('.').append(atom());
            skipCfws();
        }
        return local.toString();
    }

    private String atom() throws AddressSyntaxException {
        int start = pos;
        while (!atEnd() && AddressSyntax.isAtext(peek())) {
            pos++;
        }
        if (pos == start) {
            throw unexpected();
        }
        return text.substring(start, pos);
    }

    /** quoted-string (RFC 5322 section 3.2.4); returns the value without quotes. */
    private String quotedStringValue() throws AddressSyntaxException {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (!atEnd() && peek() != '"') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (atEnd()) {
                    break;
                }
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        if (atEnd()) {
            throw new AddressSyntaxException("unterminated quoted string");
        }
        pos++;
        return value.toString();
    }

    private String domain() throws AddressSyntaxException {
        int start = pos;
        if (!atEnd() && peek() == '[') {
            int close = text.indexOf(']', pos);
            if (close < 0) {
                throw new AddressSyntaxException("unterminated address literal");
            }
            pos = close + 1;
            return text.substring(start, pos);
        }
        while (!atEnd() && (AddressSyntax.isAtext(peek()) || peek() == '.')) {
            pos++;
        }
        if (pos == start) {
            throw new AddressSyntaxException("missing domain");
        }
        return text.substring(start, pos);
    }

    /** Skips white space and comments, which may nest (RFC 5322 section 3.2.2). */
    private void skipCfws() throws AddressSyntaxException {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() throws AddressSyntaxException {
        int depth = 0;
        do {
            if (atEnd()) {
                throw new AddressSyntaxException("unterminated comment");
            }
            char c = text.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        } while (depth > 0);
    }

    private void expect(char wanted) throws AddressSyntaxException {
        if (atEnd() || peek() != wanted) {
            throw unexpected();
        }
        pos++;
    }

    private void expectEnd() throws AddressSyntaxException {
        skipCfws();
        if (!atEnd()) {
            throw unexpected();
        }
    }

    private AddressSyntaxException unexpected() {
        if (atEnd()) {
            return new AddressSyntaxException("address ends too early: \"" + text.strip() + "\"");
        }
        char c = peek();
        String rest = text.substring(pos);
        if (c == ',' || c == ';' || rest.contains("@") && text.indexOf('@') < pos) {
            return new AddressSyntaxException("more than one address");
        }
        if (c == '<') {
            return new AddressSyntaxException(text.indexOf('<') < pos
                    ? "nested angle brackets" : "display name or text before <");
        }
        if (c == '>') {
            return new AddressSyntaxException("stray angle bracket");
        }
        return new AddressSyntaxException(
                "unexpected \"" + c + "\" at position " + (pos + 1));
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }
}
