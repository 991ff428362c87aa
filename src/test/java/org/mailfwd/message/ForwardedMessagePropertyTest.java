package org.mailfwd.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Byte-exactness as properties: for any input, mail-like or not, the forwarded bytes are the
 * input less a leading From_ line, and removing Return-Path takes out exactly the bytes of
 * Return-Path fields. Small limits are drawn too, so the spool and header-overflow paths run.
 */
class ForwardedMessagePropertyTest {
    /** A first line that is a field named From (obsolete blanks before the colon). */
    private static final Pattern FROM_FIELD = Pattern.compile("^From[ \t]*:");

    @Property(tries = 1000)
    void noEditsReproducesTheInputLessALeadingFromLine(
            @ForAll("mailLike") byte[] input, @ForAll("limits") MessageLimits limits)
            throws IOException {
        int fromLine = fromLineLength(input);
        if (fromLine > limits.maxHeaderBytes()) {
            assertThatThrownBy(() -> read(input, limits))
                    .isInstanceOf(MessageTooLargeException.class);
            return;
        }
        try (Message message = read(input, limits)) {
            assertThat(forward(new ForwardedMessage(message)))
                    .isEqualTo(Arrays.copyOfRange(input, fromLine, input.length));
            assertThat(message.size()).isEqualTo(input.length);
        }
    }

    @Property(tries = 1000)
    void removingReturnPathChangesNothingButReturnPathFields(
            @ForAll("mailLike") byte[] input, @ForAll("limits") MessageLimits limits)
            throws IOException {
        if (fromLineLength(input) > limits.maxHeaderBytes()) {
            return;
        }
        try (Message message = read(input, limits)) {
            byte[] unedited = forward(new ForwardedMessage(message));
            ForwardedMessage edited = new ForwardedMessage(message).removeAll("Return-Path");
            byte[] output = forward(edited);

            // Putting each removed field back where the output skips it gives the input.
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            int at = 0;
            for (HeaderField removed : edited.removed()) {
                assertThat(lowerAscii(removed.raw())).matches("(?s)return-path[ \t]*:.*");
                int next = find(unedited, removed.raw(), rebuilt.size());
                assertThat(next).as("removed field found in place").isGreaterThanOrEqualTo(0);
                int keep = next - rebuilt.size();
                rebuilt.write(output, at, keep);
                at += keep;
                rebuilt.write(removed.raw());
            }
            rebuilt.write(output, at, output.length - at);
            assertThat(rebuilt.toByteArray()).isEqualTo(unedited);
            assertThat(new ForwardedMessage(message).removeAll("Return-Path").added())
                    .isEmpty();
        }
    }

    @Provide
    Arbitrary<MessageLimits> limits() {
        return Arbitraries.oneOf(
                Arbitraries.just(MessageLimits.DEFAULT),
                Combinators.combine(Arbitraries.integers().between(1, 300),
                        Arbitraries.integers().between(1, 300))
                        .as((header, memory) -> new MessageLimits(header, memory, 0)));
    }

    @Provide
    Arbitrary<byte[]> mailLike() {
        Arbitrary<String> ending = Arbitraries.of("\n", "\r\n", "\n", "\r\n", "\r", "");
        Arbitrary<String> text = Arbitraries.strings()
                .withChars("ab <>@.:;\t()\"\\é\0\r").withCharRange('c', 'e')
                .ofMaxLength(24);
        Arbitrary<String> name = Arbitraries.of("Return-Path", "return-path", "RETURN-PATH",
                "Return-Path ", "Received", "Subject", "From", "From ", "DKIM-Signature",
                "X-Return-Path", "Return-Paths");
        Arbitrary<byte[]> line = Arbitraries.oneOf(
                Combinators.combine(name, text, ending).as((n, t, e) -> n + ":" + t + e)
                        .map(ForwardedMessagePropertyTest::utf8),
                Combinators.combine(Arbitraries.of(" ", "\t"), text, ending)
                        .as((w, t, e) -> w + t + e).map(ForwardedMessagePropertyTest::utf8),
                Combinators.combine(text, ending).as((t, e) -> "From " + t + e)
                        .map(ForwardedMessagePropertyTest::utf8),
                ending.map(ForwardedMessagePropertyTest::utf8),
                Combinators.combine(text, ending).as((t, e) -> t + e)
                        .map(ForwardedMessagePropertyTest::utf8),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40));
        Arbitrary<byte[]> anyLines = line.list().ofMaxSize(20)
                .map(ForwardedMessagePropertyTest::concat);
        // Mostly a header of fields and continuations, then anything: that is where the
        // Return-Path fields are, and where a reader can go wrong.
        Arbitrary<byte[]> headerLine = Arbitraries.oneOf(
                Combinators.combine(name, text, ending).as((n, t, e) -> n + ":" + t + e),
                Combinators.combine(Arbitraries.of(" ", "\t"), text, ending)
                        .as((w, t, e) -> w + t + e))
                .map(ForwardedMessagePropertyTest::utf8);
        Arbitrary<byte[]> fromLine = Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Combinators.combine(text, ending).as((t, e) -> utf8("From " + t + e)));
        Arbitrary<byte[]> headerFirst = Combinators.combine(fromLine,
                headerLine.list().ofMaxSize(12).map(ForwardedMessagePropertyTest::concat),
                anyLines).as((f, h, rest) -> concat(List.of(f, h, rest)));
        return Arbitraries.frequencyOf(Tuple.of(3, headerFirst), Tuple.of(1, anyLines));
    }

    /** How many bytes a leading From_ line takes, line end included; 0 without one. */
    private static int fromLineLength(byte[] input) {
        String start = new String(input, 0, Math.min(input.length, 5),
                StandardCharsets.ISO_8859_1);
        if (!start.equals("From ")) {
            return 0;
        }
        int lf = 0;
        while (lf < input.length && input[lf] != '\n') {
            lf++;
        }
        String first = new String(input, 0, lf, StandardCharsets.ISO_8859_1);
        if (FROM_FIELD.matcher(first).find()) {
            return 0;
        }
        return Math.min(lf + 1, input.length);
    }

    private static Message read(byte[] input, MessageLimits limits) throws IOException {
        return new MessageReader(limits).read(new ByteArrayInputStream(input));
    }

    private static byte[] forward(ForwardedMessage forwarded) throws IOException {
        try (InputStream in = forwarded.openStream()) {
            return in.readAllBytes();
        }
    }

    /** The first place at or after {@code from} where a line starts with {@code needle}. */
    private static int find(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            boolean lineStart = i == 0 || haystack[i - 1] == '\n';
            if (lineStart
                    && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static String lowerAscii(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
