package org.mailfwd.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.mailfwd.message.MessageReaderTest.bytes;
import static org.mailfwd.message.MessageReaderTest.forward;
import static org.mailfwd.message.MessageReaderTest.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two header edits, and that nothing but them ever changes a byte. */
class ForwardedMessageTest {

    static Stream<Arguments> returnPaths() {
        return Stream.of(
                arguments("one on top",
                        "Return-Path: <a@example.com>\nSubject: x\n\nb\n",
                        "Subject: x\n\nb\n"),
                arguments("two, topmost and lower",
                        "Return-Path: <a@example.com>\nReceived: by mx\n"
                                + "Return-Path: <old@example.com>\nSubject: x\n\nb\n",
                        "Received: by mx\nSubject: x\n\nb\n"),
                arguments("folded, CRLF",
                        "Received: by mx\r\nReturn-Path:\r\n <a@example.com>\r\n\t(c)\r\n"
                                + "Subject: x\r\n\r\nb\r\n",
                        "Received: by mx\r\nSubject: x\r\n\r\nb\r\n"),
                arguments("any case",
                        "return-path: <a@example.com>\nRETURN-PATH: <b@example.com>\n"
                                + "ReTuRn-PaTh: <c@example.com>\nA: 1\n\nb\n",
                        "A: 1\n\nb\n"),
                arguments("blank before the colon",
                        "Return-Path : <a@example.com>\nA: 1\n\nb\n", "A: 1\n\nb\n"),
                arguments("last field without line end", "A: 1\nReturn-Path: <>", "A: 1\n"),
                arguments("with a From_ line",
                        "From a@example.com  Thu Dec  4 16:57:48 2026\n"
                                + "Return-Path: <a@example.com>\nA: 1\n\nb\n",
                        "A: 1\n\nb\n"),
                arguments("in the body it stays",
                        "A: 1\n\nReturn-Path: <a@example.com>\n",
                        "A: 1\n\nReturn-Path: <a@example.com>\n"),
                arguments("similar names stay",
                        "Return-Paths: x\nX-Return-Path: y\nReturn-Path: <>\n\nb\n",
                        "Return-Paths: x\nX-Return-Path: y\n\nb\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("returnPaths")
    void everyReturnPathFieldIsRemovedAndNothingElse(String name, String input, String want)
            throws IOException {
        try (Message message = read(bytes(input), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");

            assertThat(text(forward(forwarded))).as(name).isEqualTo(want);
            assertThat(forwarded.removed()).allSatisfy(
                    field -> assertThat(field.hasName("Return-Path")).isTrue());
        }
    }

    @Test
    void removedFieldsAreListedOnceEachInOrder() throws IOException {
        String input = "Return-Path: <a@example.com>\nA: 1\nReturn-Path: <b@example.com>\n\n";
        try (Message message = read(bytes(input), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message)
                    .removeAll("Return-Path").removeAll("return-path");

            assertThat(forwarded.removed()).extracting(HeaderField::value)
                    .containsExactly("<a@example.com>", "<b@example.com>");
        }
    }

    static Stream<Arguments> lineEndings() {
        return Stream.of(
                arguments("LF", "A: 1\n\nb\n", "X-New: v\nA: 1\n\nb\n"),
                arguments("CRLF", "A: 1\r\n\r\nb\r\n", "X-New: v\r\nA: 1\r\n\r\nb\r\n"),
                arguments("CRLF after an LF From_ line", "From a@example.com\nA: 1\r\n\r\n",
                        "X-New: v\r\nA: 1\r\n\r\n"),
                arguments("empty message", "", "X-New: v\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lineEndings")
    void newFieldUsesTheMessagesOwnLineEnding(String name, String input, String want)
            throws IOException {
        try (Message message = read(bytes(input), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message).prepend("X-New", "v");

            assertThat(text(forward(forwarded))).as(name).isEqualTo(want);
            assertThat(forwarded.added()).extracting(HeaderField::display)
                    .containsExactly("X-New: v");
        }
    }

    @Test
    void newestFieldGoesOnTop() throws IOException {
        try (Message message = read(bytes("A: 1\n\n"), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message)
                    .prepend("X-First", "1").prepend("X-Second", "2");

            assertThat(text(forward(forwarded))).isEqualTo("X-Second: 2\nX-First: 1\nA: 1\n\n");
        }
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                arguments("empty name", "", "v"),
                arguments("blank in name", "X New", "v"),
                arguments("colon in name", "X:New", "v"),
                arguments("non-ASCII name", "X-Néw", "v"),
                arguments("control in name", "X-\u0001", "v"),
                arguments("CR in value", "X-New", "a\rb"),
                arguments("LF in value", "X-New", "a\nb"),
                arguments("CRLF fold in value", "X-New", "a\r\n b"),
                arguments("NUL in value", "X-New", "a\0b"),
                arguments("DEL in value", "X-New", "a\u007fb"),
                arguments("C1 control in value", "X-New", "a\u0085b"),
                arguments("empty value", "X-New", ""),
                arguments("blank value", "X-New", " \t"),
                arguments("line of 999 octets", "X-New", "v".repeat(999 - "X-New: ".length())),
                arguments("999 octets of UTF-8", "X-New",
                        "é".repeat(496) + "v".repeat(999 - "X-New: ".length() - 992)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void invalidNewFieldIsRefusedAndTheMessageUnchanged(String name, String field,
            String value) throws IOException {
        byte[] input = bytes("A: 1\n\nb\n");
        try (Message message = read(input, MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message);

            assertThatThrownBy(() -> forwarded.prepend(field, value)).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(forwarded.added()).isEmpty();
            assertThat(forward(forwarded)).isEqualTo(input);
        }
    }

    @Test
    void lineOfExactly998OctetsIsAccepted() throws IOException {
        try (Message message = read(bytes("A: 1\n\n"), MessageLimits.DEFAULT)) {
            String value = "v".repeat(998 - "X-New: ".length());
            ForwardedMessage forwarded = new ForwardedMessage(message).prepend("X-New", value);

            assertThat(forwarded.headerBytes()).startsWith(bytes("X-New: " + value + "\n"));
        }
    }

    static Stream<Arguments> dtlines() {
        return Stream.of(
                arguments("qmail DTLINE", "Delivered-To: user@example.com\n",
                        "Delivered-To: user@example.com"),
                arguments("without line end", "Delivered-To: user@example.com",
                        "Delivered-To: user@example.com"),
                arguments("CRLF", "Delivered-To: user@example.com\r\n",
                        "Delivered-To: user@example.com"),
                arguments("name in other case", "delivered-to: user@example.com\n",
                        "delivered-to: user@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtlines")
    void completeFieldLineIsAddedOnTop(String name, String line, String want)
            throws IOException {
        try (Message message = read(bytes("A: 1\r\n\r\n"), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message)
                    .prependLine("Delivered-To", line);

            assertThat(text(forward(forwarded))).as(name).isEqualTo(want + "\r\nA: 1\r\n\r\n");
        }
    }

    static Stream<Arguments> invalidDtlines() {
        return Stream.of(
                arguments("other field", "X-Other: a\n"),
                arguments("no colon", "Delivered-To user@example.com\n"),
                arguments("empty value", "Delivered-To:\n"),
                arguments("two lines", "Delivered-To: a@example.com\nX: y\n"),
                arguments("trailing unit separator", "Delivered-To: a@example.com\u001f\n"),
                arguments("bare CR inside", "Delivered-To: a@exa\rmple.com\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDtlines")
    void invalidFieldLineIsRefused(String name, String line) throws IOException {
        try (Message message = read(bytes("A: 1\n\n"), MessageLimits.DEFAULT)) {
            ForwardedMessage forwarded = new ForwardedMessage(message);

            assertThatThrownBy(() -> forwarded.prependLine("Delivered-To", line)).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(forwarded.added()).isEmpty();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
