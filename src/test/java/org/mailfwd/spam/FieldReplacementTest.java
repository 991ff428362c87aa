package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.spam.Messages.message;
import static org.mailfwd.spam.Messages.text;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * ForwardedMessage.replace, the edit the Subject tag is made with: one field's bytes change
 * in place, everything else stays, and only a valid field of the same name is accepted.
 * (These tests live with their only user, the spam package, which owns them.)
 */
class FieldReplacementTest {
    private static final String HEADER = "From: bob@example.com\r\nSubject: Hi\r\n"
            + "To: alice@example.org\r\n\r\nbody\r\n";

    @Test
    void replacesOneFieldInPlace() {
        Message message = message(HEADER);
        ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");

        forwarded.replace(subject(message), ascii("Subject: [x] Hi\r\n"));

        assertThat(text(forwarded)).isEqualTo(HEADER.replace("Subject: Hi", "Subject: [x] Hi"));
        assertThat(forwarded.replaced()).extracting(HeaderField::value)
                .containsExactly("[x] Hi");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "other name|To: Hi\\r\\n",
        "LF in a CRLF message|Subject: Hi\\n",
        "no line ending|Subject: Hi",
        "bare LF inside|Subject: a\\nb\\r\\n",
        "bare CR inside|Subject: a\\rb\\r\\n",
        "fold without blank|Subject: a\\r\\nb\\r\\n",
        "blank-only continuation|Subject: a\\r\\n \\r\\n",
        "no colon|Subject Hi\\r\\n"})
    void refusesAnInvalidReplacement(String name, String raw) {
        Message message = message(HEADER);
        ForwardedMessage forwarded = new ForwardedMessage(message);
        byte[] bytes = ascii(raw.replace("\\r", "\r").replace("\\n", "\n"));

        assertThatThrownBy(() -> forwarded.replace(subject(message), bytes))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(text(forwarded)).isEqualTo(HEADER);
    }

    @Test
    void refusesALineOver998Octets() {
        Message message = message(HEADER);
        byte[] tooLong = ascii("Subject: " + "y".repeat(990) + "\r\n");

        assertThatThrownBy(() -> new ForwardedMessage(message).replace(subject(message), tooLong))
                .hasMessageContaining("998");
    }

    @Test
    void refusesAFieldOfAnotherMessageAndASecondReplacement() {
        Message message = message(HEADER);
        ForwardedMessage forwarded = new ForwardedMessage(message);
        forwarded.replace(subject(message), ascii("Subject: a\r\n"));

        assertThatThrownBy(() -> forwarded.replace(subject(message), ascii("Subject: b\r\n")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forwarded.replace(subject(message(HEADER)),
                ascii("Subject: c\r\n"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static HeaderField subject(Message message) {
        return message.topmost("Subject").orElseThrow();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
