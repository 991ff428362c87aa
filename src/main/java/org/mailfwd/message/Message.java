package org.mailfwd.message;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A message as read from the MTA: the optional mbox From_ line, the header fields in order,
 * and the body. Nothing here is decoded or rebuilt; every byte can be written back.
 */
public final class Message implements AutoCloseable {
    private final Optional<String> fromLine;
    private final byte[] fromLineBytes;
    private final List<HeaderField> fields;
    private final Body body;
    private final String lineEnding;

    Message(byte[] fromLineBytes, List<HeaderField> fields, Body body, String lineEnding) {
        this.fromLineBytes = fromLineBytes;
        this.fromLine = fromLineBytes == null ? Optional.empty()
                : Optional.of(HeaderField.withoutLineEnd(
                        new String(fromLineBytes, java.nio.charset.StandardCharsets.UTF_8)));
        this.fields = List.copyOf(fields);
        this.body = body;
        this.lineEnding = lineEnding;
    }

    /** The mbox "From sender date" line that some MTAs put first, without its line end. */
    public Optional<String> fromLine() {
        return fromLine;
    }

    public List<HeaderField> fields() {
        return fields;
    }

    /** Fields with this name, topmost first (RFC 5322 names are case-insensitive). */
    public List<HeaderField> fields(String name) {
        return fields.stream().filter(f -> f.hasName(name)).toList();
    }

    public Optional<HeaderField> topmost(String name) {
        return fields.stream().filter(f -> f.hasName(name)).findFirst();
    }

    public Body body() {
        return body;
    }

    /** CRLF or LF, as the message's own first line has it; new fields use the same. */
    public String lineEnding() {
        return lineEnding;
    }

    /** Bytes as received, From_ line included. */
    public long size() {
        long size = body.size() + (fromLineBytes == null ? 0 : fromLineBytes.length);
        for (HeaderField field : fields) {
            size += field.length();
        }
        return size;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
