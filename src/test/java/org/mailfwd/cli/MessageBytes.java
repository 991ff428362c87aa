package org.mailfwd.cli;

import java.nio.charset.StandardCharsets;

/**
 * Builds the bytes a test expects sendmail to receive from the bytes it fed mailfwd. Works
 * on ISO-8859-1 text, which maps every byte to one char and back, so 8-bit data and line
 * endings survive exactly.
 */
public final class MessageBytes {
    private MessageBytes() {
    }

    /**
     * The input with each given line removed once, its line ending included.
     *
     * @throws AssertionError if a line is not in the input: the test data is not what the test
     *     thinks it is
     */
    public static byte[] withoutLines(byte[] input, String... lines) {
        String text = latin1(input);
        for (String line : lines) {
            int at = findLine(text, line);
            int end = at + line.length();
            end += text.startsWith("\r\n", end) ? 2 : text.startsWith("\n", end) ? 1 : 0;
            text = text.substring(0, at) + text.substring(end);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The text put in front of the input. */
    public static byte[] prepended(String text, byte[] input) {
        return (text + latin1(input)).getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static int findLine(String text, String line) {
        for (int at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
            boolean startsLine = at == 0 || text.charAt(at - 1) == '\n';
            int end = at + line.length();
            boolean endsLine = end == text.length() || text.charAt(end) == '\n'
                    || text.startsWith("\r\n", end);
            if (startsLine && endsLine) {
                return at;
            }
        }
        throw new AssertionError("test message has no line \"" + line + "\"");
    }
}
