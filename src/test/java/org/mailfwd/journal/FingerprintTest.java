package org.mailfwd.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

class FingerprintTest {
    private static final String MESSAGE =
            "Received: from a by b; Fri, 4 Dec 2026 10:00:00 +0000\n"
            + "Message-ID: <1@example.com>\nSubject: hi\n\nbody\n";

    private static String print(String text) throws Exception {
        try (Message message = new MessageReader(MessageLimits.DEFAULT)
                .read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            return Fingerprint.of(message);
        }
    }

    static Stream<Arguments> perAttempt() {
        return Stream.of(
                Arguments.of("an mbox From_ line with this attempt's date",
                        "From bob@example.com Fri Dec  4 11:00:00 2026\n"),
                Arguments.of("Exim's Delivery-date and Envelope-to",
                        "Delivery-date: Fri, 04 Dec 2026 11:00:00 +0000\n"
                        + "Envelope-to: a@example.org\n"),
                Arguments.of("Postfix local(8)'s trace fields", "Delivered-To: a@example.org\n"
                        + "X-Original-To: a@example.org\nReturn-Path: <bob@example.com>\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perAttempt")
    void linesTheMtaWritesPerAttemptDoNotChangeThePrint(String name, String prefix)
            throws Exception {
        assertThat(print(prefix + MESSAGE)).isEqualTo(print(MESSAGE));
    }

    @Test
    void aDifferentBodyIsADifferentMessage() throws Exception {
        assertThat(print(MESSAGE.replace("body", "bodz"))).isNotEqualTo(print(MESSAGE));
    }

    @Test
    void traceFieldsBelowTheFirstOtherFieldBelongToTheMessage() throws Exception {
        String lower = MESSAGE.replace("Subject: hi\n", "Subject: hi\nDelivered-To: x@y\n");
        assertThat(print(lower)).isNotEqualTo(print(MESSAGE));
    }

    @Test
    void aDifferentMessageIdIsADifferentMessage() throws Exception {
        assertThat(print(MESSAGE.replace("<1@", "<2@"))).isNotEqualTo(print(MESSAGE));
    }
}
