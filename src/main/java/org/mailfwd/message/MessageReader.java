package org.mailfwd.message;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one message from the MTA, keeping every byte.
 *
 * <p>The header section ends at the first empty line, or at the first line that is neither
 * a field (RFC 5322 section 2.2: printable name, colon) nor a continuation line; such a line
 * starts the body, as in Postfix's cleanup. An mbox From_ line is recognised only as the
 * very first line, and only when it is not a field ("From : x" is the obsolete spelling of
 * a From field). Bare CR and 8-bit bytes are data, never line ends.
 *
 * <p>A header longer than {@link MessageLimits#maxHeaderBytes()} is split at a line: the
 * fields before stay fields, the rest (with a field whose continuation did not fit) goes on
 * as body, byte for byte. A From_ line longer than that limit fails the read.
 */
public final class MessageReader {
    private static final byte[] FROM_ = "From ".getBytes(StandardCharsets.US_ASCII);
    /** How far blanks after "From" are followed to look for a colon: one line's worth. */
    private static final int MAX_BLANKS = 998;

    private final MessageLimits limits;

    public MessageReader(MessageLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads {@code in} to its end.
     *
     * @throws MessageTooLargeException over {@link MessageLimits#maxMessageBytes()}
     * @throws IOException when stdin or the spool fails
     */
    public Message read(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        long budget = limits.maxHeaderBytes();
        // Each line is read to at most one byte past what the header may still take, so a
        // line that does not fit is known before it is taken for a field; the first line at
        // least far enough to tell a From_ line.
        byte[] line = readLine(in, Math.max(budget + 1, FROM_.length));
        if (startsWith(line, FROM_) && !hasLineEnd(line)) {
            line = throughBlanks(line, in);
        }
        byte[] fromLine = null;
        if (startsWith(line, FROM_) && fieldName(line) == null) {
            if (line.length > budget) {
                // It cannot be kept whole, nor passed on: the From_ line is never forwarded.
                throw new MessageTooLargeException("From_ line longer than the header limit of "
                        + budget + " bytes");
            }
            fromLine = line;
            line = hasLineEnd(line) ? readLine(in, budget - line.length + 1) : new byte[0];
        }
        String lineEnding = endsWithCrlf(line) ? "\r\n" : "\n";
        List<HeaderField> fields = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        String currentName = null;
        long headerBytes = fromLine == null ? 0 : fromLine.length;
        boolean overflow = false;
        while (line.length > 0) {
            overflow = headerBytes + line.length > budget;
            if (overflow) {
                break;
            }
            boolean continuation = currentName != null && isWsp(line[0]) && !isBlank(line);
            String name = continuation ? null : fieldName(line);
            if (!continuation && name == null) {
                break;
            }
            if (!continuation) {
                addField(fields, currentName, current);
                currentName = name;
            }
            current.write(line);
            headerBytes += line.length;
            line = hasLineEnd(line) ? readLine(in, budget - headerBytes + 1) : new byte[0];
        }
        byte[] bodyStart = line;
        if (overflow && currentName != null && isWsp(line[0])) {
            // The line over the bound may continue the field in progress: that field goes
            // on with the body, unparsed but intact, rather than being kept in part.
            bodyStart = concat(current.toByteArray(), line);
            current.reset();
            headerBytes -= bodyStart.length - line.length;
        }
        addField(fields, currentName, current);
        Body body = Body.read(bodyStart, in, limits, headerBytes);
        return new Message(fromLine, fields, body, lineEnding);
    }

    private static void addField(List<HeaderField> fields, String name, ByteArrayOutputStream raw) {
        if (name != null && raw.size() > 0) {
            fields.add(new HeaderField(name, raw.toByteArray()));
            raw.reset();
        }
    }

    /** The field name if the line starts a field: 1*ftext, optional blanks, colon. */
    private static String fieldName(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] >= 33 && line[i] <= 126 && line[i] != ':') {
            i++;
        }
        int nameEnd = i;
        while (i < line.length && isWsp(line[i])) {
            i++;
        }
        if (nameEnd == 0 || i >= line.length || line[i] != ':') {
            return null;
        }
        return new String(line, 0, nameEnd, StandardCharsets.US_ASCII);
    }

    /**
     * Reads on while a cut first line is "From" and blanks only, up to the first other byte:
     * a colon there makes it an obsolete From field ("From :"), which is not a From_ line.
     */
    private static byte[] throughBlanks(byte[] start, BufferedInputStream in)
            throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(start);
        for (int i = 4; i < start.length; i++) {
            if (!isWsp(start[i])) {
                return start;
            }
        }
        int c;
        while (line.size() < start.length + MAX_BLANKS && (c = in.read()) >= 0) {
            line.write(c);
            if (!isWsp((byte) c)) {
                break;
            }
        }
        return line.toByteArray();
    }

    /** Reads through the next LF, or at most {@code max} bytes; empty at end of input. */
    private static byte[] readLine(BufferedInputStream in, long max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while (line.size() < max && (c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean hasLineEnd(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\n';
    }

    private static boolean endsWithCrlf(byte[] line) {
        return line.length >= 2 && line[line.length - 2] == '\r' && line[line.length - 1] == '\n';
    }

    private static boolean startsWith(byte[] line, byte[] prefix) {
        if (line.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
