package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.spam.Messages.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;
import org.mailfwd.spam.SubjectTag.Policy;

/**
 * Tagging as a property: whatever the header, the output is the input with exactly one edit,
 * either the prefix inserted into the first Subject field right after its colon and blanks
 * (possibly with a fold after it), or one new field on top; no other byte changes, and no
 * line written is longer than 998 octets or ends in a bare CR or LF.
 */
class SubjectTagPropertyTest {

    /** One generated message: its fields as lines, the line ending, the body. */
    record Case(List<List<String>> fields, String ending, String body) {
        byte[] bytes() {
            StringBuilder text = new StringBuilder();
            for (List<String> field : fields) {
                text.append(String.join(ending, field)).append(ending);
            }
            return text.append(body).toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 1000)
    void taggingChangesOnlyTheSubjectOrAddsOneField(@ForAll("cases") Case generated,
            @ForAll("policies") Policy policy, @ForAll("prefixes") String prefix) {
        byte[] input = generated.bytes();
        Message message = message(input);
        ForwardedMessage forwarded = new ForwardedMessage(message);

        Tagging tagging = new SubjectTag(policy, prefix).apply(forwarded);

        Statistics.collect(tagging.edit());
        byte[] output = Messages.bytes(forwarded);
        String core = prefix.strip();
        switch (tagging.edit()) {
            case ALREADY_TAGGED -> assertThat(output).isEqualTo(input);
            case HEADER_ADDED -> assertThat(output).isEqualTo(
                    concat(ascii("X-Spam-Flag: YES" + message.lineEnding()), input));
            case SUBJECT_ADDED -> {
                assertThat(message.fields("Subject")).isEmpty();
                assertThat(output).isEqualTo(
                        concat(ascii("Subject: " + core + message.lineEnding()), input));
            }
            case SUBJECT_TAGGED -> checkSubjectEdit(message, input, output, core);
        }
    }

    /** Same bytes before and after the first Subject field; inside it, one insertion. */
    private static void checkSubjectEdit(Message message, byte[] input, byte[] output,
            String core) {
        int start = 0;
        HeaderField subject = null;
        for (HeaderField field : message.fields()) {
            if (field.hasName("Subject")) {
                subject = field;
                break;
            }
            start += field.raw().length;
        }
        byte[] old = subject.raw();
        int grown = output.length - input.length;
        byte[] edited = Arrays.copyOfRange(output, start, start + old.length + grown);
        assertThat(Arrays.copyOfRange(output, 0, start))
                .isEqualTo(Arrays.copyOfRange(input, 0, start));
        assertThat(Arrays.copyOfRange(output, start + old.length + grown, output.length))
                .isEqualTo(Arrays.copyOfRange(input, start + old.length, input.length));

        String oldText = latin1(old);
        String ending = oldText.contains("\r\n") && oldText.indexOf("\r\n")
                < oldText.indexOf('\n') ? "\r\n" : "\n";
        int at = oldText.indexOf(':') + 1;
        while (oldText.charAt(at) == ' ' || oldText.charAt(at) == '\t') {
            at++;
        }
        String before = oldText.substring(0, at);
        String after = oldText.substring(at);
        assertThat(latin1(edited)).isIn(before + core + " " + after,
                before + core + after, before + core + ending + " " + after);

        String[] lines = latin1(edited).split(ending, -1);
        assertThat(lines[lines.length - 1]).isEmpty();
        int oldLongest = Arrays.stream(oldText.split(ending)).mapToInt(String::length).max()
                .orElse(0);
        for (String line : Arrays.copyOf(lines, lines.length - 1)) {
            assertThat(line).doesNotContain("\r", "\n");
            assertThat(line.length()).isLessThanOrEqualTo(Math.max(998, oldLongest));
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<String>> field = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, subjects()),
                net.jqwik.api.Tuple.of(3, others()),
                net.jqwik.api.Tuple.of(1, signatures()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of("X-Spam-Flag: YES"))));
        return Combinators.combine(field.list().ofMaxSize(7), Arbitraries.of("\n", "\r\n"),
                Arbitraries.of("", "BODY", "body\n")).as((fields, ending, body) ->
                new Case(fields, ending, body.equals("BODY") ? ending + "body" + ending : body));
    }

    private static Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcXYZ09 []=?_:;\t").ofMaxLength(12);
    }

    private static Arbitrary<List<String>> subjects() {
        Arbitrary<String> word = words();
        return Arbitraries.oneOf(
                word.map(w -> List.of("Subject: " + w)),
                word.map(w -> List.of("Subject:" + w)),
                word.map(w -> List.of("Subject: =?UTF-8?Q?" + w.replace(' ', '_') + "?=")),
                Combinators.combine(word, word).as((a, b) ->
                        List.of("Subject: =?UTF-8?B?R3LDvMOfZQ==?=" + a, "\t=?UTF-8?Q?x?= " + b)),
                word.map(w -> List.of("Subject:", " " + w + "x")),
                word.map(w -> List.of("Subject: Grüße " + w)),
                word.map(w -> List.of("Subject: [SPAM] " + w)),
                Arbitraries.just(List.of("Subject: a\rb")),
                Arbitraries.integers().between(950, 1010).map(n -> List.of("Subject: "
                        + "y".repeat(n))));
    }

    private static Arbitrary<List<String>> others() {
        return Combinators.combine(Arbitraries.of("To", "Date", "X-Other", "Received"), words())
                .as((name, value) -> List.of(name + ": " + value));
    }

    private static Arbitrary<List<String>> signatures() {
        return Arbitraries.of("from", "subject", "SUBJECT", "x-spam-flag", "date").list()
                .ofMinSize(1).ofMaxSize(4).map(h -> List.of(
                        "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;",
                        " h=" + String.join(" : ", h) + "; bh=AAAA; b=BBBB"));
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Arbitraries.of(Policy.class);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("[SPAM] ", "[SPAM]", "***SPAM***  ", "SPAM:");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
