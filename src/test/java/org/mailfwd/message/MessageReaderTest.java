package org.mailfwd.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading keeps every byte: what is handed off is the input, less a leading From_ line. */
class MessageReaderTest {

    static Stream<Arguments> unchangedMessages() {
        return Stream.of(
                arguments("LF", bytes("Subject: hi\nFrom: a@example.com\n\nbody\n")),
                arguments("CRLF", bytes("Subject: hi\r\nFrom: a@example.com\r\n\r\nbody\r\n")),
                arguments("mixed line ends", bytes("A: 1\r\nB: 2\n\r\nbody\nmore\r\n")),
                arguments("folded fields", bytes("Subject: a\r\n\tb\r\n  c\r\nX: y\r\n\r\nz")),
                arguments("8-bit bytes in header and body", concat(bytes("Subject: "),
                        new byte[] {(byte) 0xe9, (byte) 0xff, (byte) 0x80},
                        bytes("\n\n"), new byte[] {(byte) 0xc3, (byte) 0x28, 0x0a})),
                arguments("bare CR is data, not a line end", bytes("A: 1\r2\rB: x\n\nb\rc\n")),
                arguments("NUL in the body", bytes("A: 1\n\nbo\0dy\0\n")),
                arguments("NUL in a field", bytes("A: 1\0\n\nbody\n")),
                arguments("no trailing newline", bytes("A: 1\n\nbody")),
                arguments("no blank line before the body", bytes("A: 1\nbody text\nmore\n")),
                arguments("empty input", new byte[0]),
                arguments("header only", bytes("A: 1\nB: 2\n")),
                arguments("header only without line end", bytes("A: 1")),
                arguments("blank line only", bytes("\r\n")),
                arguments("body only", bytes("\nbody\n")),
                arguments("first line is a continuation", bytes(" x\nA: 1\n\nb\n")),
                arguments("blank-only line inside the header", bytes("A: 1\n \nB: 2\n\nb\n")),
                arguments("blank before the colon", bytes("Subject : x\n\nb\n")),
                arguments("obsolete From : field is not a From_ line",
                        bytes("From : a@example.com\nB: 2\n\nb\n")),
                arguments("From_ line later is body", bytes("A: 1\nFrom a@example.com x\n\nb\n")),
                arguments("escaped >From first line", bytes(">From a@example.com\nA: 1\n\nb\n")),
                arguments("From without a blank", bytes("Fromage: brie\n\nb\n")),
                arguments("long line", bytes("A: " + "x".repeat(5000) + "\n\nb\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unchangedMessages")
    void noEditsHandsOffTheInputByteForByte(String name, byte[] input) throws IOException {
        try (Message message = read(input, MessageLimits.DEFAULT)) {
            assertThat(forward(new ForwardedMessage(message))).as(name).isEqualTo(input);
            assertThat(message.size()).isEqualTo(input.length);
            assertThat(message.fromLine()).isEmpty();
        }
    }

    static Stream<Arguments> fromLineMessages() {
        return Stream.of(
                arguments("LF", "From a@example.com  Thu Dec  4 16:57:48 2026\n",
                        "A: 1\n\nb\n"),
                arguments("CRLF", "From a@example.com  Thu Dec  4 16:57:48 2026\r\n",
                        "A: 1\r\n\r\nb\r\n"),
                arguments("From_ line only, no line end", "From a@example.com", ""),
                arguments("From_ line then body", "From a@example.com\n", "\nbody\n"),
                arguments("From_ line then a From_-like line", "From a@example.com\n",
                        "From b@example.com\n\nb\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromLineMessages")
    void leadingFromLineIsDropped(String name, String fromLine, String rest)
            throws IOException {
        try (Message message = read(bytes(fromLine + rest), MessageLimits.DEFAULT)) {
            assertThat(new String(forward(new ForwardedMessage(message)),
                    StandardCharsets.UTF_8)).as(name).isEqualTo(rest);
            assertThat(message.fromLine()).hasValue(fromLine.strip());
            assertThat(message.size()).isEqualTo(bytes(fromLine + rest).length);
        }
    }

    @Test
    void fieldsKeepTheirOrderNamesAndRawBytes() throws IOException {
        byte[] input = bytes("Received: by a\r\n\tfor b\r\nSubject : hi\r\nX-Empty:\r\n\r\n");
        try (Message message = read(input, MessageLimits.DEFAULT)) {
            assertThat(message.fields()).extracting(HeaderField::name)
                    .containsExactly("Received", "Subject", "X-Empty");
            assertThat(message.fields().get(0).raw())
                    .isEqualTo(bytes("Received: by a\r\n\tfor b\r\n"));
            assertThat(message.fields().get(0).value()).isEqualTo("by a\tfor b");
            assertThat(message.fields().get(0).rawValue()).isEqualTo(" by a\r\n\tfor b");
            assertThat(message.lineEnding()).isEqualTo("\r\n");
        }
    }

    @Test
    void headerOverTheMemoryLimitGoesOnIntactAsBody() throws IOException {
        byte[] input = bytes("A: 1\nB: 22222222\n folded\nReturn-Path: <x@example.com>\n\nb\n");
        MessageLimits small = new MessageLimits(12, 1024, 0);
        try (Message message = read(input, small)) {
            assertThat(message.fields()).extracting(HeaderField::name).containsExactly("A");
            ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");
            assertThat(forward(forwarded)).isEqualTo(input);
            assertThat(forwarded.removed()).isEmpty();
        }
    }

    @Test
    void firstLineLongerThanTheHeaderLimitIsNeverHalfAField() throws IOException {
        byte[] input = bytes("Return-Path: <aaaaaaaaaaaaaaaa@example.com>\nSubject: x\n\nb\n");
        try (Message message = read(input, new MessageLimits(20, 1024, 0))) {
            ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");

            assertThat(message.fields()).isEmpty();
            assertThat(forward(forwarded)).isEqualTo(input);
        }
    }

    @Test
    void lineThatReachesTheHeaderLimitExactlyIsKept() throws IOException {
        byte[] input = bytes("A: 1234567\nB: 2\n\nb\n");
        try (Message message = read(input, new MessageLimits(11, 1024, 0))) {
            assertThat(message.fields()).extracting(HeaderField::name).containsExactly("A");
            assertThat(forward(new ForwardedMessage(message))).isEqualTo(input);
        }
    }

    @Test
    void fromLineLongerThanTheHeaderLimitFailsRatherThanLeakingIntoTheHeader() {
        byte[] input = bytes("From " + "a".repeat(40) + "@example.com\nA: 1\n\nb\n");

        assertThatThrownBy(() -> read(input, new MessageLimits(32, 1024, 0)))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("From_ line");
    }

    @Test
    void longBodyIsSpooledToAFileWhoseNameIsGoneAtOnceAndStillRoundTripsTwice()
            throws IOException {
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i % 251);
        }
        byte[] input = concat(bytes("From a@example.com\nA: 1\r\n\r\n"), body);
        Message message = read(input, new MessageLimits(1024, 16, 0));
        Path spool;
        try {
            spool = message.body().spool().orElseThrow();
            assertThat(spool).as("a killed process leaves no file behind").doesNotExist();
            byte[] want = Arrays.copyOfRange(input, "From a@example.com\n".length(),
                    input.length);
            assertThat(forward(new ForwardedMessage(message))).isEqualTo(want);
            assertThat(forward(new ForwardedMessage(message))).as("second read").isEqualTo(want);
            assertThat(message.size()).isEqualTo(input.length);
            try (InputStream first = message.body().openStream();
                    InputStream second = message.body().openStream()) {
                assertThat(first.readNBytes(10)).as("two streams at once, each from its start")
                        .isEqualTo(second.readNBytes(10));
            }
        } finally {
            message.close();
        }
        assertThat(Files.exists(spool)).as("spool file after close").isFalse();
    }

    @Test
    void bodyThatFitsInMemoryHasNoSpool() throws IOException {
        try (Message message = read(bytes("A: 1\n\n" + "b".repeat(14)),
                new MessageLimits(1024, 16, 0))) {
            assertThat(message.body().spool()).isEmpty();
            assertThat(message.body().size()).isEqualTo(15);
        }
    }

    @Test
    void bodyOfExactlyTheMemoryBoundHasNoSpool() throws IOException {
        try (Message message = read(bytes("A: 1\n\n" + "b".repeat(15)),
                new MessageLimits(1024, 16, 0))) {
            assertThat(message.body().spool()).isEmpty();
        }
    }

    @Test
    void messageOfExactlyTheSizeLimitIsRead() throws IOException {
        byte[] input = bytes("A: 1\n\n" + "b".repeat(94));
        try (Message message = read(input, new MessageLimits(1024, 16, 100))) {
            assertThat(forward(new ForwardedMessage(message))).isEqualTo(input);
        }
    }

    static Stream<Arguments> tooLarge() {
        return Stream.of(
                arguments("body in memory", new MessageLimits(1024, 1024, 100),
                        bytes("A: 1\n\n" + "b".repeat(95))),
                arguments("body spooled", new MessageLimits(1024, 16, 100),
                        bytes("A: 1\n\n" + "b".repeat(95))),
                arguments("far over, spooled", new MessageLimits(1024, 16, 100),
                        bytes("A: 1\n\n" + "b".repeat(300_000))),
                arguments("From_ line counts", new MessageLimits(1024, 1024, 100),
                        bytes("From a@example.com\nA: 1\n\n" + "b".repeat(80))),
                arguments("header alone", new MessageLimits(1024, 16, 10),
                        bytes("Subject: 12345\n\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooLarge")
    void messageOverTheSizeLimitIsRefused(String name, MessageLimits limits, byte[] input) {
        assertThatThrownBy(() -> read(input, limits)).as(name)
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining(Long.toString(limits.maxMessageBytes()));
    }

    @Test
    void negativeLimitIsRefused() {
        assertThatThrownBy(() -> new MessageLimits(-1, 16, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageLimits(16, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageLimits(16, 16, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroHeaderLimitPassesEverythingOnAsBody() throws IOException {
        byte[] input = bytes("Return-Path: <a@example.com>\nA: 1\n\nb\n");
        try (Message message = read(input, new MessageLimits(0, 16, 0))) {
            assertThat(message.fields()).isEmpty();
            assertThat(forward(new ForwardedMessage(message).removeAll("Return-Path")))
                    .isEqualTo(input);
        }
    }

    static Message read(byte[] input, MessageLimits limits) throws IOException {
        return new MessageReader(limits).read(new ByteArrayInputStream(input));
    }

    static byte[] forward(ForwardedMessage forwarded) throws IOException {
        try (InputStream in = forwarded.openStream()) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
