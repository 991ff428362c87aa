package org.mailfwd.handoff;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the SMTP hand-off must know about the bytes before it sends them: whether 8-bit bytes
 * occur in the header section or the body, and whether a bare CR occurs anywhere.
 *
 * <p>SMTP carries 8-bit bytes only with 8BITMIME (RFC 6152), and 8-bit header bytes only
 * with SMTPUTF8 (RFC 6531, RFC 6532). A bare CR cannot cross SMTP unchanged: RFC 5321
 * section 2.3.8 forbids it, and the DATA stream would turn it into a line break.
 */
record SmtpMessageScan(boolean eightBitHeader, boolean eightBitBody, boolean bareCr) {

    boolean eightBit() {
        return eightBitHeader || eightBitBody;
    }

    /** Reads the whole message once. The header section ends at the first empty line. */
    static SmtpMessageScan of(InputStream message) throws IOException {
        boolean inHeader = true;
        boolean atLineStart = true;
        boolean eightBitHeader = false;
        boolean eightBitBody = false;
        boolean bareCr = false;
        int previous = -1;
        byte[] buffer = new byte[16384];
        for (int n; (n = message.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                int b = buffer[i] & 0xff;
                if (previous == '\r' && b != '\n') {
                    bareCr = true;
                }
                if (inHeader && atLineStart && b == '\n') {
                    inHeader = false;
                }
                if (b >= 0x80) {
                    eightBitHeader |= inHeader;
                    eightBitBody |= !inHeader;
                }
                if (b != '\r') {
                    atLineStart = b == '\n';
                }
                previous = b;
            }
        }
        return new SmtpMessageScan(eightBitHeader, eightBitBody, bareCr || previous == '\r');
    }
}
