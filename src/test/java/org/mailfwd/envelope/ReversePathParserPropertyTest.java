package org.mailfwd.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the parser accepts is one clean path: within the RFC 5321 limits, free of
 * control characters, and parsed again (as a field, or in the raw form an MTA exports) it
 * gives the very same sender. Inputs are drawn from the characters that matter to the
 * grammar, so most are near misses.
 */
class ReversePathParserPropertyTest {

    @Property(tries = 3000)
    void acceptedFieldValueIsOneStableCleanPath(@ForAll("addressLike") String value) {
        EnvelopeSender sender;
        try {
            sender = ReversePathParser.parseSender(value);
        } catch (AddressSyntaxException rejected) {
            return;
        }
        assertClean(sender);
    }

    @Property(tries = 3000)
    void acceptedRawValueIsOneStableCleanPath(@ForAll("addressLike") String value) {
        EnvelopeSender sender;
        try {
            sender = ReversePathParser.parseRawSender(value);
        } catch (AddressSyntaxException rejected) {
            return;
        }
        assertClean(sender);
    }

    @Property(tries = 1000)
    void acceptedRecipientIsNeverEmptyAndReparsesToItself(@ForAll("addressLike") String value)
            throws AddressSyntaxException {
        Recipient recipient;
        try {
            recipient = ReversePathParser.parseRecipient(value);
        } catch (AddressSyntaxException rejected) {
            return;
        }
        assertThat(recipient.address()).isNotEmpty().contains("@");
        assertThat(ReversePathParser.parseRecipient(recipient.address())).isEqualTo(recipient);
    }

    private static void assertClean(EnvelopeSender sender) {
        if (sender.isNull()) {
            assertThat(sender.address()).isEmpty();
            return;
        }
        String address = sender.address();
        assertThat(octets(sender.reversePath())).isLessThanOrEqualTo(256);
        assertThat(octets(address.substring(0, address.lastIndexOf('@'))))
                .isLessThanOrEqualTo(64);
        assertThat(address.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c < 0xa0))
                .as("no control character in %s", address).isTrue();
        try {
            assertThat(ReversePathParser.parseSender(address)).isEqualTo(sender);
            assertThat(ReversePathParser.parseSender(sender.reversePath())).isEqualTo(sender);
            String internal = ReversePathParser.internalForm(sender);
            if (!ambiguousWhenRaw(internal)) {
                assertThat(ReversePathParser.parseRawSender(internal)).isEqualTo(sender);
            }
        } catch (AddressSyntaxException e) {
            throw new AssertionError("accepted " + address + " but not again: " + e, e);
        }
    }

    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, structured()),
                net.jqwik.api.Tuple.of(1, noise()));
    }

    /** Addresses assembled from valid and nearly valid parts of the grammar. */
    private static Arbitrary<String> structured() {
        Arbitrary<String> cfws = Arbitraries.of("", "", " ", "(c)", "\r\n ", " (a (b) \\) c) ",
                "\t");
        Arbitrary<String> atom = Arbitraries.strings().withChars("abcxyz019!#$%&'*+-/=?^_`{|}~é")
                .ofMinLength(0).ofMaxLength(8);
        Arbitrary<String> dotAtom = atom.list().ofMinSize(1).ofMaxSize(4)
                .map(atoms -> String.join(".", atoms));
        Arbitrary<String> quoted = Arbitraries.strings().withChars("ab .@()<>,:;\"\\é")
                .ofMaxLength(10).map(text -> "\"" + text + "\"");
        Arbitrary<String> longLocal = Arbitraries.integers().between(60, 70).map("l"::repeat);
        Arbitrary<String> local = Arbitraries.oneOf(dotAtom, dotAtom, quoted, longLocal);
        Arbitrary<String> label = Arbitraries.strings().withChars("abz09-_é")
                .ofMinLength(0).ofMaxLength(6);
        Arbitrary<String> labels = label.list().ofMinSize(1).ofMaxSize(4)
                .map(parts -> String.join(".", parts));
        Arbitrary<String> domain = Arbitraries.oneOf(labels, labels,
                Arbitraries.of("example.com", "[192.0.2.1]", "[IPv6:2001:db8::1]",
                        "[IPv6:::ffff:192.0.2.1]", "[300.1.1.1]", "[IPv6:1::2::3]", "[x:y]",
                        "[]", "localhost"),
                Arbitraries.integers().between(60, 200).map(n -> "d".repeat(n % 63 + 1)
                        + ".example".repeat(n / 8)));
        Arbitrary<String> brackets = Arbitraries.of("<>", "<>", "", "<", ">", "<<>>");
        Arbitrary<String> route = Arbitraries.of("", "", "@a.example:", "@a.example,@b.example:",
                "@a.example,:");
        return net.jqwik.api.Combinators.combine(cfws, brackets, route, local, cfws, domain,
                cfws).as((c1, br, rt, lp, c2, dm, c3) -> {
                    String open = br.isEmpty() ? "" : br.substring(0, br.length() / 2);
                    String close = br.isEmpty() ? "" : br.substring(br.length() / 2);
                    return c1 + open + (open.isEmpty() ? "" : rt) + lp + c2 + "@" + c2 + dm
                            + close + c3;
                });
    }

    private static Arbitrary<String> noise() {
        Arbitrary<String> piece = Arbitraries.of("a", "-", ".", "@", "<", ">", "\"", "\\", "(",
                ")", " ", ",", ":", "[", "]", "#", "é", "\r\n ", "\n", "\0", "\u2028",
                "example.com", "IPv6:", "::", "192.0.2.1", "MAILER-DAEMON", "#@[]", "<>");
        return piece.list().ofMaxSize(14).map(parts -> String.join("", parts));
    }

    /**
     * The documented losses of the raw form, which raw mode refuses rather than guess at: a
     * local part holding an at sign next to a blank or comma (it reads like two addresses),
     * or angle brackets (nested brackets), and one starting with a quote that is not one
     * quoted string (a From_ line quotes that way).
     */
    private static boolean ambiguousWhenRaw(String internal) {
        return internal.indexOf('@') != internal.lastIndexOf('@')
                        && internal.matches("(?s).*[\\s,;].*")
                || internal.indexOf('<') >= 0 || internal.indexOf('>') >= 0
                || internal.startsWith("\"");
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
