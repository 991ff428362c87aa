package org.mailfwd.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One header field exactly as it arrived: its name and its raw bytes, continuation lines and
 * line endings included. Forwarding writes {@link #raw()} back unchanged, which is what keeps
 * existing DKIM signatures valid.
 */
public final class HeaderField {
    private final String name;
    private final byte[] raw;

    HeaderField(String name, byte[] raw) {
        this.name = name;
        this.raw = raw;
    }

    /** Makes a new single-line field; the caller has checked name and value. */
    static HeaderField of(String name, String value, String lineEnding) {
        byte[] raw = (name + ": " + value + lineEnding).getBytes(StandardCharsets.UTF_8);
        return new HeaderField(name, raw);
    }

    public String name() {
        return name;
    }

    public boolean hasName(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The raw bytes, line endings included. */
    public byte[] raw() {
        return raw.clone();
    }

    int length() {
        return raw.length;
    }

    void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(raw);
    }

    /** The value after the colon, unfolded, without the line ending and leading blanks. */
    public String value() {
        String text = new String(raw, StandardCharsets.UTF_8);
        return unfold(withoutLineEnd(text.substring(text.indexOf(':') + 1))).stripLeading();
    }

    /** The value with folding kept, for fields whose exact spelling matters to a parser. */
    public String rawValue() {
        String text = new String(raw, StandardCharsets.UTF_8);
        return withoutLineEnd(text.substring(text.indexOf(':') + 1));
    }

    // The two helpers below loop by hand where a regular expression would do: compiling one
    // costs the interpreter about a millisecond at every start, and every message starts us.

    /** The text without one final CRLF or LF. */
    static String withoutLineEnd(String text) {
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
            if (end > 0 && text.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return text.substring(0, end);
    }

    /** RFC 5322 section 2.2.3: removes each CRLF (or bare LF) that a space or tab follows. */
    public static String unfold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 2 < n && text.charAt(i + 1) == '\n' && isWsp(text.charAt(i + 2))) {
                i++;
            } else if (c != '\n' || i + 1 >= n || !isWsp(text.charAt(i + 1))) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The text without the blanks (SP, TAB) at its ends. String.strip() would also drop
     * control characters such as U+001F, which must make a field invalid instead.
     */
    public static String trimBlanks(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWsp(text.charAt(start))) {
            start++;
        }
        while (end > start && isWsp(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** The field as one printable line, for the dry run. */
    public String display() {
        return name + ": " + value();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeaderField that && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return display();
    }
}
