package org.mailfwd.dkim;

import java.io.ByteArrayOutputStream;

/**
 * Carries raw header bytes through jDKIM's String-based header code without loss.
 *
 * <p>jDKIM turns each header field into bytes with {@code String.getBytes()}, that is with
 * the JVM's default charset, which is US-ASCII when an MTA runs us with LANG=C on Java 17.
 * Any 8-bit byte would then be hashed as '?' and the signature would fail everywhere. So the
 * text handed to jDKIM is pure ASCII: every byte that is not printable ASCII, TAB or a CRLF
 * line end is written as a backslash and two hex digits (and so is the backslash itself),
 * which survives every ASCII-compatible charset and jDKIM's relaxed canonicalization (it
 * only touches blanks and CRLF). {@link Decoder} undoes it inside {@link HeaderSignature},
 * just before the bytes are hashed. Nothing else jDKIM hashes contains a backslash.
 */
final class HeaderText {
    static final char ESCAPE = '\\';
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HeaderText() {
    }

    /**
     * The field in {@code raw[from, to)} as escaped text, every line end made CRLF, without
     * the field's final line end.
     */
    static String escape(byte[] raw, int from, int to) {
        int end = to;
        if (end > from && raw[end - 1] == '\n') {
            end--;
            if (end > from && raw[end - 1] == '\r') {
                end--;
            }
        }
        StringBuilder text = new StringBuilder(end - from + 16);
        for (int i = from; i < end; i++) {
            int b = raw[i] & 0xff;
            if (b == '\n') {
                text.append("\r\n");
            } else if (b == '\r' && i + 1 < end && raw[i + 1] == '\n') {
                continue; // the LF that follows writes the CRLF
            } else if (b == '\t' || b >= 0x20 && b < 0x7f && b != ESCAPE) {
                text.append((char) b);
            } else {
                text.append(ESCAPE).append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return text.toString();
    }

    /** Turns escaped ASCII back into the original bytes; state carries across calls. */
    static final class Decoder {
        private int pending = -1;
        private int high = -1;

        byte[] decode(byte[] in, int off, int len) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(len);
            for (int i = off; i < off + len; i++) {
                int b = in[i] & 0xff;
                if (pending < 0) {
                    if (b == ESCAPE) {
                        pending = 0;
                    } else {
                        out.write(b);
                    }
                } else if (high < 0) {
                    high = digit(b);
                } else {
                    out.write(high << 4 | digit(b));
                    pending = -1;
                    high = -1;
                }
            }
            return out.toByteArray();
        }

        private static int digit(int b) {
            int value = Character.digit(b, 16);
            if (value < 0) {
                throw new IllegalStateException("broken header escape in signed data");
            }
            return value;
        }
    }
}
