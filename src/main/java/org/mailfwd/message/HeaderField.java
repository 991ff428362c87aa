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
        String value = text.substring(text.indexOf(':') + 1);
        value = value.replaceAll("\r?\n$", "").replaceAll("\r?\n(?=[ \t])", "");
        return value.stripLeading();
    }

    /** The value with folding kept, for fields whose exact spelling matters to a parser. */
    public String rawValue() {
        String text = new String(raw, StandardCharsets.UTF_8);
        return text.substring(text.indexOf(':') + 1).replaceAll("\r?\n$", "");
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
