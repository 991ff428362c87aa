package org.mailfwd.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The message as it will be handed off: the input byte for byte, except for the header
 * edits asked for here. Three edits exist: remove every field of a name, add a new field on
 * top, and replace the bytes of one existing field in place. New bytes are checked before
 * they are accepted, so nothing invalid is ever written; the From_ line is never part of
 * the output.
 */
public final class ForwardedMessage {
    /** RFC 5322 section 2.1.1: a line is at most 998 characters plus CRLF. */
    private static final int MAX_LINE = 998;

    private final Message message;
    private final List<HeaderField> added = new ArrayList<>();
    private final List<HeaderField> removed = new ArrayList<>();
    private final List<String> removedNames = new ArrayList<>();
    /** Keyed by identity: two fields with equal bytes are still two fields. */
    private final Map<HeaderField, HeaderField> replaced = new IdentityHashMap<>();

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
     * Writes {@code raw} in place of one field of the message, keeping its position and every
     * other byte. The new bytes must be one complete field of the same name: every line ends
     * with the field's own line ending (no bare CR or LF anywhere), continuation lines start
     * with a blank and are not blank only, and no line is longer than 998 octets unless the
     * old field already had a line that long.
     *
     * @throws IllegalArgumentException if the field is not one of this message's, was removed
     *     or replaced already, or the new bytes are not a valid field of that name
     */
    public ForwardedMessage replace(HeaderField field, byte[] raw) {
        boolean own = message.fields().stream().anyMatch(f -> f == field);
        if (!own || replaced.containsKey(field)
                || removedNames.contains(field.name().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("not a field of this message that can be replaced");
        }
        checkReplacement(field, raw);
        replaced.put(field, new HeaderField(field.name(), raw.clone()));
        return this;
    }

    /** The fields given to {@link #replace}, with their new bytes, top to bottom. */
    public List<HeaderField> replaced() {
        return message.fields().stream().filter(replaced::containsKey).map(replaced::get)
                .toList();
    }

    private static void checkReplacement(HeaderField field, byte[] raw) {
        byte[] old = field.raw();
        String ending = lineEnding(old);
        int maxLine = Math.max(MAX_LINE, longestLine(old));
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (!text.endsWith(ending)) {
            throw new IllegalArgumentException(field.name() + " field must end with its own"
                    + " line ending");
        }
        String[] lines = text.substring(0, text.length() - ending.length()).split(ending, -1);
        int colon = lines[0].indexOf(':');
        // The name may be followed by blanks before the colon (RFC 5322 section 4.5.8).
        if (colon < 0 || !HeaderField.trimBlanks(lines[0].substring(0, colon)).equals(field.name())) {
            throw new IllegalArgumentException("replacement is not a " + field.name() + " field");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("bare CR or LF in " + field.name() + " field");
            }
            if (i > 0 && (line.isBlank() || line.charAt(0) != ' ' && line.charAt(0) != '\t')) {
                throw new IllegalArgumentException("bad folding in " + field.name() + " field");
            }
            if (line.length() > maxLine) {
                throw new IllegalArgumentException(field.name() + " line longer than "
                        + maxLine + " octets");
            }
        }
    }

    /** CRLF or LF as the field's first line ends; a field cut off at the end has none. */
    private static String lineEnding(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int lf = text.indexOf('\n');
        if (lf < 0) {
            throw new IllegalArgumentException("field without a line ending cannot be replaced");
        }
        return lf > 0 && text.charAt(lf - 1) == '\r' ? "\r\n" : "\n";
    }

    private static int longestLine(byte[] raw) {
        int longest = 0;
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                int end = i > start && raw[i - 1] == '\r' ? i - 1 : i;
                longest = Math.max(longest, end - start);
                start = i + 1;
            }
        }
        return Math.max(longest, raw.length - start);
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
        return prepend(text.substring(0, colon), HeaderField.trimBlanks(text.substring(colon + 1)));
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

    /** The header section as it will be handed off, field by field. */
    public List<HeaderField> fields() {
        List<HeaderField> fields = new ArrayList<>(added);
        for (HeaderField field : message.fields()) {
            if (!removedNames.contains(field.name().toLowerCase(Locale.ROOT))) {
                fields.add(replaced.getOrDefault(field, field));
            }
        }
        return fields;
    }

    /** The header section as it will be handed off. */
    public byte[] headerBytes() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        for (HeaderField field : fields()) {
            field.writeTo(header);
        }
        return header.toByteArray();
    }

    public Message message() {
        return message;
    }
}
