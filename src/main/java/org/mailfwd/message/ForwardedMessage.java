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
        removedNames.add(name.toLowerCase(Locale.ROOT));
        removed.addAll(message.fields(name));
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
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).equalsIgnoreCase(expectedName)) {
            throw new IllegalArgumentException("not a " + expectedName + " field");
        }
        return prepend(text.substring(0, colon), text.substring(colon + 1).strip());
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
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("control character in " + name + " field");
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
