package org.mailfwd.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** The order of the envelope sources of issue 2 point 3, on messages read from bytes. */
class EnvelopeResolverTest {
    private static final String POSTFIX_FROM_LINE_DATE = "  Thu Dec  4 16:57:48 2026";

    /**
     * One row: the --sender argument (null when absent), SENDER (null when unset), the
     * message, and the sender and source that must win ("" for the null sender).
     */
    static Stream<Arguments> decidingSource() {
        return Stream.of(
                arguments("--sender beats everything", "arg@example.com", "env@example.com",
                        "From line@example.com" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nbody\n",
                        "arg@example.com", "--sender"),
                arguments("SENDER beats the From_ line and Return-Path", null,
                        "env@example.com",
                        "From line@example.com" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nbody\n",
                        "env@example.com", "SENDER"),
                arguments("empty SENDER is the null sender, not a missing one", null, "",
                        "Return-Path: <rp@example.com>\n\nbody\n", "", "SENDER"),
                arguments("From_ line beats Return-Path", null, null,
                        "From line@example.com" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nbody\n",
                        "line@example.com", "From_ line"),
                arguments("a From_ line that is not the first line is body", null, null,
                        "Return-Path: <rp@example.com>\n"
                                + "From line@example.com" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "\nbody\n",
                        "rp@example.com", "Return-Path"),
                arguments("the topmost Return-Path, not a lower one", null, null,
                        "Return-Path: <top@example.com>\nReceived: by mx\n"
                                + "Return-Path: <old@example.com>\n\nbody\n",
                        "top@example.com", "Return-Path"),
                arguments("Return-Path in any case", null, null,
                        "Received: by mx\nRETURN-PATH: <rp@example.com>\n\nbody\n",
                        "rp@example.com", "Return-Path"),
                arguments("folded Return-Path", null, null,
                        "Return-Path:\r\n <rp@example.com>\r\n (via relay)\r\n\r\nbody\r\n",
                        "rp@example.com", "Return-Path"),
                arguments("null Return-Path stays null", null, null,
                        "Return-Path: <>\nFrom: Mail Delivery <postmaster@example.com>\n\nb\n",
                        "", "Return-Path"),
                arguments("--sender <> is the null sender", "<>", "env@example.com",
                        "Return-Path: <rp@example.com>\n\nbody\n", "", "--sender"),
                arguments("qmail double bounce in SENDER", null, "#@[]",
                        "Return-Path: <rp@example.com>\n\nbody\n", "", "SENDER"),
                arguments("qmail SENDER with a space", null, "john doe@example.com",
                        "Subject: x\n\nbody\n", "\"john doe\"@example.com", "SENDER"),
                arguments("Postfix From_ line", null, null,
                        "From sender@example.com" + POSTFIX_FROM_LINE_DATE + "\nSubject: x\n\nb\n",
                        "sender@example.com", "From_ line"),
                arguments("Postfix From_ line of a bounce", null, null,
                        "From MAILER-DAEMON" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nb\n",
                        "", "From_ line"),
                arguments("From_ line with a quoted local part", null, null,
                        "From \"john doe\"@example.com" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Subject: x\n\nb\n",
                        "\"john doe\"@example.com", "From_ line"),
                arguments("From_ line with a zone and one blank", null, null,
                        "From user@example.com Thu Dec 4 16:57:48 UTC 2026\r\nSubject: x\r\n\r\n",
                        "user@example.com", "From_ line"),
                arguments("From_ line without a date", null, null,
                        "From user@example.com\nSubject: x\n\nb\n", "user@example.com",
                        "From_ line"),
                arguments("Postfix: SENDER with _ for a space; the Return-Path is right",
                        null, "john_doe@example.com",
                        "Return-Path: <\"john doe\"@example.com>\n\nb\n",
                        "\"john doe\"@example.com", "Return-Path"),
                arguments("Postfix: _ for each byte of UTF-8", null, "jos__@example.com",
                        "Return-Path: <josé@example.com>\n\nb\n", "josé@example.com",
                        "Return-Path"),
                arguments("Postfix: a real underscore stays SENDER", null,
                        "john_doe@example.com", "Return-Path: <john_doe@example.com>\n\nb\n",
                        "john_doe@example.com", "SENDER"),
                arguments("Postfix: other differences keep SENDER", null,
                        "john_doe@example.com",
                        "Return-Path: <\"john dog\"@example.com>\n\nb\n",
                        "john_doe@example.com", "SENDER"),
                arguments("Postfix: _ where the Return-Path has a safe character", null,
                        "john_doe@example.com", "Return-Path: <john.doe@example.com>\n\nb\n",
                        "john_doe@example.com", "SENDER"),
                arguments("Postfix: only the topmost Return-Path is compared", null,
                        "john_doe@example.com",
                        "Return-Path: <other@example.com>\n"
                                + "Return-Path: <\"john doe\"@example.com>\n\nb\n",
                        "john_doe@example.com", "SENDER"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decidingSource")
    void firstPresentSourceDecides(String name, String argument, String senderVariable,
            String message, String wantSender, String wantSource) throws IOException {
        SenderResolution got = resolve(argument, senderVariable, message);

        assertThat(got.failure()).as("failure for %s", name).isEmpty();
        assertThat(got.sender()).as("sender for %s", name).isPresent();
        assertThat(got.sender().get().address()).as("got/want for %s", name)
                .isEqualTo(wantSender);
        assertThat(got.source()).as("source for %s", name).isEqualTo(wantSource);
    }

    /** One row: argument, SENDER, message, the failing source, words of the reason. */
    static Stream<Arguments> unusableSource() {
        return Stream.of(
                arguments("bad --sender is not skipped for SENDER", "a@b.example, c@d.example",
                        "env@example.com", "Return-Path: <rp@example.com>\n\nb\n",
                        "--sender", "more than one address"),
                arguments("bad SENDER is not skipped for the Return-Path", null,
                        "a@b.example c@d.example", "Return-Path: <rp@example.com>\n\nb\n",
                        "SENDER", "more than one address"),
                arguments("SENDER with CR is not skipped", null, "rp@example.com\r",
                        "Return-Path: <rp@example.com>\n\nb\n", "SENDER", "CR"),
                arguments("bad From_ line is not skipped", null, null,
                        "From <<a@b.example>>" + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nb\n",
                        "From_ line", "angle brackets"),
                arguments("From_ line without an address is not the null sender", null, null,
                        "From " + POSTFIX_FROM_LINE_DATE + "\n"
                                + "Return-Path: <rp@example.com>\n\nb\n",
                        "From_ line", "no address"),
                arguments("bad topmost Return-Path is not skipped for a lower one", null, null,
                        "Return-Path: Bob <bob@example.com>\n"
                                + "Return-Path: <old@example.com>\n\nb\n",
                        "Return-Path", "display name"),
                arguments("Sender:, From: and Reply-To: never count", null, null,
                        "Sender: list@example.com\nFrom: a@example.com\n"
                                + "Reply-To: b@example.com\n\nb\n",
                        "none", "no envelope sender"),
                arguments("no source at all", null, null, "Subject: x\n\nb\n", "none",
                        "no envelope sender"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableSource")
    void unusableDecidingSourceMeansNoSender(String name, String argument,
            String senderVariable, String message, String wantSource, String reason)
            throws IOException {
        SenderResolution got = resolve(argument, senderVariable, message);

        assertThat(got.sender()).as(name).isEmpty();
        assertThat(got.source()).as(name).isEqualTo(wantSource);
        assertThat(got.failure()).as(name).hasValueSatisfying(
                failure -> assertThat(failure).contains(reason));
    }

    @Test
    void lowerReturnPathIsListedAsRejected() throws IOException {
        SenderResolution got = resolve(null, null, "Return-Path: <top@example.com>\n"
                + "Return-Path: <old@example.com>\n\nb\n");

        assertThat(got.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.source()).isEqualTo("Return-Path");
            assertThat(rejected.value()).isEqualTo("<old@example.com>");
            assertThat(rejected.reason()).contains("lower Return-Path");
        });
    }

    @Test
    void unusableSourceIsListedWithItsReason() throws IOException {
        SenderResolution got = resolve(null, "a@b.example, c@d.example", "Subject: x\n\nb\n");

        assertThat(got.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.source()).isEqualTo("SENDER");
            assertThat(rejected.reason()).contains("more than one address");
        });
    }

    @Test
    void postfixReplacementNamesTheSenderItOverrode() throws IOException {
        SenderResolution got = resolve(null, "john_doe@example.com",
                "Return-Path: <\"john doe\"@example.com>\n\nb\n");

        assertThat(got.rejected()).singleElement()
                .satisfies(rejected -> assertThat(rejected.reason()).contains("Postfix"));
    }

    static Stream<Arguments> fromLines() {
        return Stream.of(
                arguments("Postfix", "From sender@example.com  Thu Dec  4 16:57:48 2026",
                        "sender@example.com"),
                arguments("two-digit day", "From a@example.com Thu Dec 14 16:57:48 2026",
                        "a@example.com"),
                arguments("no seconds", "From a@example.com Thu Dec 14 16:57 2026",
                        "a@example.com"),
                arguments("numeric zone", "From a@example.com Thu Dec 14 16:57:48 +0100 2026",
                        "a@example.com"),
                arguments("UUCP remote from", "From a@example.com Thu Dec 14 16:57:48 2026 "
                        + "remote from gw", "a@example.com"),
                arguments("quoted local part with a blank",
                        "From \"john doe\"@example.com  Thu Dec  4 16:57:48 2026",
                        "\"john doe\"@example.com"),
                arguments("no date", "From a@example.com", "a@example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromLines")
    void fromLineAddressIsTheTextBeforeTheDate(String name, String line, String want) {
        assertThat(EnvelopeResolver.fromLineAddress(line)).as(name).isEqualTo(want);
    }

    private static SenderResolution resolve(String argument, String senderVariable,
            String message) throws IOException {
        Map<String, String> environment = new HashMap<>();
        if (senderVariable != null) {
            environment.put("SENDER", senderVariable);
        }
        try (Message read = new MessageReader(MessageLimits.DEFAULT).read(
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)))) {
            return EnvelopeResolver.resolve(Optional.ofNullable(argument), environment, read);
        }
    }
}
