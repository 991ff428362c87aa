package org.mailfwd.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The message as it will be handed off: the input byte for byte, except for the header
 * edits asked for here. Only two edits exist: remove every field of a name, and add a new
 * field on top. A new field is checked before it is accepted, so nothing invalid is ever
 * written; the From_ line is never part of the output.
 */
public final class ForwardedMessage {
    /** RFC 5322 section 2.1.1: a line is at most 998 characters plus CRLF. */
    private static final int MAX_LINE = 998;

    private final Message message;
    private final List<HeaderField> added = new ArrayList<>();
    private final List<HeaderField> removed = new ArrayList<>();
    private final List<String> removedNames = new ArrayList<>();

    public ForwardedMessage(Message message) {
        this.message = message;
    }

    /** Removes every field with this name; they are listed in {@link #removed()}. */
    public ForwardedMessage removeAll(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!removedNames.contains(lower)) {
            removedNames.add(lower);
            removed.addAll(message.fields(name));
        }
        return this;
    }

    /**
     * Adds a field above the others (the newest on top, as a trace field goes).
     *
     * @throws IllegalArgumentException if name or value would make an invalid field
     */
    public ForwardedMessage prepend(String name, String value) {
        checkName(name);
        checkValue(name, value);
        added.add(0, HeaderField.of(name, value, message.lineEnding()));
        return this;
    }

    /**
     * Parses one complete field line, as qmail passes DTLINE, and adds it on top.
     *
     * @throws IllegalArgumentException if the line is not one valid field of that name
     */
    public ForwardedMessage prependLine(String expectedName, String line) {
        String text = line.endsWith("\r\n") ? line.substring(0, line.length() - 2)
                : line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).equalsIgnoreCase(expectedName)) {
            throw new IllegalArgumentException("not a " + expectedName + " field");
        }
        // Only blanks are trimmed: String.strip() would also drop control characters such
        // as U+001F, which must make the line invalid instead.
        return prepend(text.substring(0, colon), trimBlanks(text.substring(colon + 1)));
    }

    private static String trimBlanks(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    /**
     * Adds an already folded field above the others, such as a DKIM-Signature whose exact
     * spelling is signed. {@code value} is everything after the colon, its lines joined by
     * CRLF; each fold is written with the message's own line ending.
     *
     * @throws IllegalArgumentException if a line is too long, a continuation line is blank,
     *     or the value holds a control character other than a fold
     */
    public ForwardedMessage prependFolded(String name, String value) {
        checkName(name);
        String[] lines = value.split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 ? name + ":" + lines[0] : lines[i];
            if (i > 0 && (line.isBlank() || line.charAt(0) != ' ' && line.charAt(0) != '\t')) {
                throw new IllegalArgumentException("bad folding in " + name + " field");
            }
            checkValue(name, line);
        }
        String raw = name + ":" + String.join(message.lineEnding(), lines)
                + message.lineEnding();
        added.add(0, new HeaderField(name, raw.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':')) {
            throw new IllegalArgumentException("invalid field name");
        }
    }

    private static void checkValue(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("empty " + name + " field");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f && c < 0xa0) {
                throw new IllegalArgumentException("control character in " + name + " field");
            }
            // An unpaired surrogate has no UTF-8 form; it would be written as '?'.
            boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("unpaired surrogate in " + name + " field");
            }
        }
        int length = (name + ": " + value).getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_LINE) {
            throw new IllegalArgumentException(name + " field longer than 998 octets");
        }
    }

    public List<HeaderField> added() {
        return List.copyOf(added);
    }

    public List<HeaderField> removed() {
        return List.copyOf(removed);
    }

    /** The bytes to hand off, from the first added field to the last body byte. */
    public InputStream openStream() throws IOException {
        return new SequenceInputStream(
                new ByteArrayInputStream(headerBytes()), message.body().openStream());
    }

    /** The header section as it will be handed off. */
    public byte[] headerBytes() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        for (HeaderField field : added) {
            field.writeTo(header);
        }
        for (HeaderField field : message.fields()) {
            if (!removedNames.contains(field.name().toLowerCase(Locale.ROOT))) {
                field.writeTo(header);
            }
        }
        return header.toByteArray();
    }

    public Message message() {
        return message;
    }
}
