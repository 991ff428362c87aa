package org.mailfwd.envelope;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Character classes, checks and rendering of RFC 5321 section 4.1.2 addresses, with the
 * RFC 6531 extension that lets UTF-8 stand wherever ASCII letters may.
 */
final class AddressSyntax {
    /** RFC 5321 section 4.5.3.1.1: a local part has at most 64 octets. */
    static final int MAX_LOCAL_PART = 64;
    /** RFC 5321 section 4.5.3.1.2: a domain has at most 255 octets. */
    static final int MAX_DOMAIN = 255;
    /** RFC 5321 section 4.5.3.1.3: a path, brackets included, has at most 256 octets. */
    static final int MAX_PATH = 256;
    /** RFC 1035 section 2.3.4: a label has at most 63 octets. */
    private static final int MAX_LABEL = 63;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    /**
     * The patterns of address literals, in a holder class so that they are compiled only for
     * a domain in brackets, not at every start (about 1 ms each in a fresh JVM).
     */
    private static final class Literals {
        static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
                + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
        /** General-address-literal: a Standardized-tag (Ldh-str) and dcontent. */
        static final Pattern GENERAL_LITERAL = Pattern.compile(
                "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?:[\\x21-\\x5a\\x5e-\\x7e]+");
    }

    private AddressSyntax() {
    }

    static boolean isAtext(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || ATEXT_SPECIALS.indexOf(c) >= 0 || c >= 0x80;
    }

    /** A control character: C0, DEL, or C1. Such a value is never an address. */
    static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c < 0xa0;
    }

    /**
     * Refuses a value holding a character no address may carry, tab aside (it is folding
     * white space in a field): the controls, and the invisible or undecodable characters of
     * Unicode that would let an address look like another in a log line or a bounce (format
     * characters such as U+202E, line and paragraph separators, non-ASCII spaces, lone
     * surrogates, U+FFFD from an undecodable byte, noncharacters).
     */
    static void checkCharacters(String value) throws AddressSyntaxException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t') {
                continue;
            }
            if (isControl(c)) {
                throw new AddressSyntaxException("control character " + controlName(c)
                        + " in address");
            }
            if (c < 0x80) {
                continue;
            }
            int code = value.codePointAt(i);
            if (Character.isSupplementaryCodePoint(code)) {
                i++;
            }
            if (isForbiddenUnicode(code)) {
                throw new AddressSyntaxException(String.format(
                        "%s character U+%04X in address",
                        code == 0xfffd ? "undecodable" : "invisible or unassigned", code));
            }
        }
    }

    private static boolean isForbiddenUnicode(int code) {
        switch (Character.getType(code)) {
            case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.SURROGATE, Character.UNASSIGNED,
                    Character.PRIVATE_USE:
                return true;
            default:
                return code == 0xfffd || (code & 0xfffe) == 0xfffe;
        }
    }

    private static String controlName(char c) {
        return c == '\r' ? "CR" : c == '\n' ? "LF" : c == 0 ? "NUL"
                : String.format("0x%02X", (int) c);
    }

    static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    /** Quotes a local part value only when it is not a dot-atom (RFC 5321 section 4.1.2). */
    static String renderLocalPart(String value) {
        if (isDotAtom(value)) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    /** Checks a local part value (unquoted); throws with the reason when it is not valid. */
    static void checkLocalPart(String value) throws AddressSyntaxException {
        if (value.isEmpty()) {
            throw new AddressSyntaxException("empty local part");
        }
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i)) || value.charAt(i) == '\ufffd') {
                throw new AddressSyntaxException("control or undecodable character in local part");
            }
        }
        if (octets(renderLocalPart(value)) > MAX_LOCAL_PART) {
            throw new AddressSyntaxException("local part longer than 64 octets");
        }
    }

    /** Checks a domain: dot-separated LDH labels (RFC 5321 section 4.1.2) or a literal. */
    static void checkDomain(String domain) throws AddressSyntaxException {
        if (domain.isEmpty()) {
            throw new AddressSyntaxException("missing domain");
        }
        if (octets(domain) > MAX_DOMAIN) {
            throw new AddressSyntaxException("domain longer than 255 octets");
        }
        if (domain.startsWith("[")) {
            checkAddressLiteral(domain);
            return;
        }
        for (String label : domain.split("\\.", -1)) {
            checkLabel(label, domain);
        }
    }

    private static void checkLabel(String label, String domain) throws AddressSyntaxException {
        if (label.isEmpty() || octets(label) > MAX_LABEL
                || label.startsWith("-") || label.endsWith("-")) {
            throw new AddressSyntaxException("invalid domain \"" + domain + "\"");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean letDig = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9' || c >= 0xa0 && c != '\ufffd';
            if (!letDig && c != '-') {
                throw new AddressSyntaxException("invalid domain \"" + domain + "\"");
            }
        }
    }

    /** RFC 5321 section 4.1.3: [IPv4], [IPv6:...] or [tag:text]. */
    private static void checkAddressLiteral(String literal) throws AddressSyntaxException {
        String inner = literal.length() >= 2 && literal.endsWith("]")
                ? literal.substring(1, literal.length() - 1) : "";
        boolean ok;
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            ok = isIpv6(inner.substring(5));
        } else if (inner.indexOf(':') >= 0) {
            ok = Literals.GENERAL_LITERAL.matcher(inner).matches();
        } else {
            ok = isIpv4(inner);
        }
        if (!ok) {
            throw new AddressSyntaxException("invalid address literal " + literal);
        }
    }

    /** IPv4-address-literal: four Snum, each 0 to 255, written without leading zeros. */
    private static boolean isIpv4(String text) {
        return Literals.IPV4.matcher(text).matches();
    }

    /**
     * IPv6-addr of RFC 5321 section 4.1.3: eight groups of one to four hex digits, or at
     * most six around one "::"; an IPv4 address at the end stands for the last two groups.
     */
    private static boolean isIpv6(String text) {
        String hex = text;
        int lastColon = text.lastIndexOf(':');
        if (lastColon >= 0 && text.indexOf('.', lastColon) >= 0) {
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            hex = text.substring(0, lastColon + 1) + "0:0";
        }
        int compressed = hex.indexOf("::");
        if (compressed < 0) {
            return groups(hex) == 8;
        }
        if (hex.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        int before = compressed == 0 ? 0 : groups(hex.substring(0, compressed));
        int after = compressed + 2 == hex.length() ? 0 : groups(hex.substring(compressed + 2));
        return before >= 0 && after >= 0 && before + after <= 6;
    }

    /** How many groups "h:h:...:h" has, or -1 when the text is not such a list. */
    private static int groups(String text) {
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (!Literals.HEX_GROUP.matcher(group).matches()) {
                return -1;
            }
        }
        return groups.length;
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Builds the mailbox after every check, including the 256-octet path limit. */
    static Mailbox mailbox(String localPart, String domain) throws AddressSyntaxException {
        checkLocalPart(localPart);
        checkDomain(domain);
        Mailbox mailbox = new Mailbox(localPart, domain);
        if (octets(mailbox.toString()) + 2 > MAX_PATH) {
            throw new AddressSyntaxException("path longer than 256 octets");
        }
        return mailbox;
    }
}
