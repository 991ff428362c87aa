package org.mailfwd.handoff;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.handoff.SmtpSettings.Credentials;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** Builders shared by the SMTP hand-off tests. Everything points at 127.0.0.1 only. */
final class SmtpTestSupport {
    private SmtpTestSupport() {
    }

    static SmtpSettings settings(int port, TlsMode tls) {
        return new SmtpSettings("127.0.0.1", port, tls, Optional.empty(),
                Optional.of("client.test"), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static SmtpSettings settings(int port, TlsMode tls, Credentials credentials) {
        return new SmtpSettings("127.0.0.1", port, tls, Optional.of(credentials),
                Optional.of("client.test"), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static ForwardedMessage message(String text) throws IOException {
        return message(text.getBytes(StandardCharsets.UTF_8));
    }

    static ForwardedMessage message(byte[] bytes) throws IOException {
        return new ForwardedMessage(new MessageReader(MessageLimits.DEFAULT)
                .read(new ByteArrayInputStream(bytes)));
    }

    static EnvelopeSender sender(String text) {
        try {
            return ReversePathParser.parseSender(text);
        } catch (AddressSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Recipient recipient(String text) {
        try {
            return ReversePathParser.parseRecipient(text);
        } catch (AddressSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes the sendmail hand-off would be fed. */
    static byte[] sendmailBytes(ForwardedMessage message) throws IOException {
        try (InputStream in = message.openStream()) {
            return in.readAllBytes();
        }
    }

    /**
     * What SMTP must carry for those bytes, written independently of Angus: every line end
     * CRLF, a dot doubled at the start of a line (RFC 5321 section 4.5.2), a CRLF added if
     * the last line had none.
     */
    static byte[] onTheWire(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n') {
                out.write('\r');
            }
            if (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                continue;
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
