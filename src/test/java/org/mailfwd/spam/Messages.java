package org.mailfwd.spam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** Test messages from text or bytes, and the bytes a forwarded message hands off. */
final class Messages {
    private Messages() {
    }

    /** Reads a message from its text; LF line ends unless the text has CRLF. */
    static Message message(String text) {
        return message(text.getBytes(StandardCharsets.UTF_8));
    }

    static Message message(byte[] bytes) {
        try {
            return new MessageReader(MessageLimits.DEFAULT).read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(ForwardedMessage forwarded) {
        try (InputStream in = forwarded.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(ForwardedMessage forwarded) {
        return new String(bytes(forwarded), StandardCharsets.ISO_8859_1);
    }
}
