package org.mailfwd.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reverse-path rules of issue 2 point 3, one table row per rule. "Field" values come
 * from a Return-Path field, --sender or the rule file; "raw" values from SENDER or a From_
 * line.
 */
class ReversePathParserTest {

    static Stream<Arguments> validFieldValues() {
        return Stream.of(
                arguments("bare addr-spec", "user@example.com", "user@example.com"),
                arguments("one pair of brackets removed", "<user@example.com>",
                        "user@example.com"),
                arguments("blanks around the brackets", " \t<user@example.com>  ",
                        "user@example.com"),
                arguments("blanks inside the brackets", "< user@example.com >",
                        "user@example.com"),
                arguments("comment before", "(bounce) <user@example.com>", "user@example.com"),
                arguments("comment after", "<user@example.com> (via relay)",
                        "user@example.com"),
                arguments("nested comment", "<user@example.com> (a (nested (deep)) note)",
                        "user@example.com"),
                arguments("escaped parenthesis in comment", "<user@example.com> (a \\) b)",
                        "user@example.com"),
                arguments("comments inside the brackets", "<(x)user@example.com(y)>",
                        "user@example.com"),
                arguments("comments around the at sign", "user (x) @ (y) example.com",
                        "user@example.com"),
                arguments("folded with CRLF and space", "\r\n <user@example.com>",
                        "user@example.com"),
                arguments("folded with CRLF and tab", "<user@example.com>\r\n\t(note)",
                        "user@example.com"),
                arguments("folded with LF only", "\n <user@example.com>", "user@example.com"),
                arguments("folded inside a comment", "<user@example.com> (a\r\n b)",
                        "user@example.com"),
                arguments("source route of two hops ignored",
                        "<@a.example,@b.example:user@c.example>", "user@c.example"),
                arguments("source route of one hop ignored", "<@a.example:user@c.example>",
                        "user@c.example"),
                arguments("source route with blanks", "<@a.example, @b.example : user@c.example>",
                        "user@c.example"),
                arguments("needless quotes dropped", "\"john\"@example.com", "john@example.com"),
                arguments("quoted dot-atom unquoted", "<\"john.doe\"@example.com>",
                        "john.doe@example.com"),
                arguments("quoted-pair of a plain letter unquoted", "\"j\\ohn\"@example.com",
                        "john@example.com"),
                arguments("space needs the quotes", "\"john doe\"@example.com",
                        "\"john doe\"@example.com"),
                arguments("leading dot needs the quotes", "\".john\"@example.com",
                        "\".john\"@example.com"),
                arguments("double dot needs the quotes", "\"a..b\"@example.com",
                        "\"a..b\"@example.com"),
                arguments("escaped quote stays escaped", "\"a\\\"b\"@example.com",
                        "\"a\\\"b\"@example.com"),
                arguments("escaped backslash stays escaped", "\"a\\\\b\"@example.com",
                        "\"a\\\\b\"@example.com"),
                arguments("at sign in quotes", "\"a@b\"@example.com", "\"a@b\"@example.com"),
                arguments("leading dash is an ordinary address", "-f@example.com",
                        "-f@example.com"),
                arguments("leading dash in brackets", "<-oQ/tmp@example.com>",
                        "-oQ/tmp@example.com"),
                arguments("every atext special", "a!#$%&'*+-/=?^_`{|}~z@example.com",
                        "a!#$%&'*+-/=?^_`{|}~z@example.com"),
                arguments("case kept", "John.Doe@Example.COM", "John.Doe@Example.COM"),
                arguments("UTF-8 local part and domain", "jösé@exämple.de", "jösé@exämple.de"),
                arguments("single-label domain", "root@localhost", "root@localhost"),
                arguments("all-digit label", "user@123.example", "user@123.example"),
                arguments("IPv4 literal", "user@[192.0.2.1]", "user@[192.0.2.1]"),
                arguments("IPv6 literal, compressed", "user@[IPv6:2001:db8::1]",
                        "user@[IPv6:2001:db8::1]"),
                arguments("IPv6 literal, full", "user@[IPv6:2001:db8:0:0:0:0:0:1]",
                        "user@[IPv6:2001:db8:0:0:0:0:0:1]"),
                arguments("IPv6 literal, all zero", "user@[IPv6:::]", "user@[IPv6:::]"),
                arguments("IPv6 literal with IPv4 tail", "user@[IPv6:::ffff:192.0.2.1]",
                        "user@[IPv6:::ffff:192.0.2.1]"),
                arguments("local part of exactly 64 octets", "a".repeat(64) + "@example.com",
                        "a".repeat(64) + "@example.com"),
                arguments("64 octets of UTF-8 in 32 characters", "é".repeat(32) + "@example.com",
                        "é".repeat(32) + "@example.com"),
                arguments("quoted local part of 64 octets with its quotes",
                        "\"a b" + "c".repeat(59) + "\"@example.com",
                        "\"a b" + "c".repeat(59) + "\"@example.com"),
                arguments("label of exactly 63 octets", "u@" + "l".repeat(63) + ".example",
                        "u@" + "l".repeat(63) + ".example"),
                arguments("path of exactly 256 octets", pathOfOctets(256).replaceAll("[<>]", ""),
                        pathOfOctets(256).replaceAll("[<>]", "")),
                arguments("path of exactly 256 octets with a UTF-8 label",
                        "a".repeat(64) + "@" + "ä".repeat(31) + "." + domainOfOctets(126),
                        "a".repeat(64) + "@" + "ä".repeat(31) + "." + domainOfOctets(126)),
                arguments("label of 63 octets in 32 characters",
                        "u@" + "ä".repeat(31) + "b.example", "u@" + "ä".repeat(31) + "b.example"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFieldValues")
    void fieldValueGivesOneCleanAddress(String name, String value, String want)
            throws AddressSyntaxException {
        EnvelopeSender got = ReversePathParser.parseSender(value);

        assertThat(got.address()).as("got/want for %s", name).isEqualTo(want);
        assertThat(got.reversePath()).isEqualTo("<" + want + ">");
    }

    static Stream<Arguments> nullSenderSpellings() {
        return Stream.of(
                arguments("empty brackets", "<>"),
                arguments("empty", ""),
                arguments("white space only", " \t "),
                arguments("a blank between the brackets", "< >"),
                arguments("brackets and a comment", "<> (bounce)"),
                arguments("qmail double bounce", "#@[]"),
                arguments("qmail double bounce in brackets", "<#@[]>"),
                arguments("MAILER-DAEMON", "MAILER-DAEMON"),
                arguments("mailer-daemon in lower case", "mailer-daemon"),
                arguments("Mailer-Daemon in mixed case", "Mailer-Daemon"),
                arguments("MAILER-DAEMON in brackets", "<MAILER-DAEMON>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullSenderSpellings")
    void nullSenderSpellingIsNullInFieldMode(String name, String value)
            throws AddressSyntaxException {
        EnvelopeSender got = ReversePathParser.parseSender(value);

        assertThat(got.isNull()).as(name).isTrue();
        assertThat(got).isSameAs(EnvelopeSender.NULL);
        assertThat(got.address()).isEmpty();
        assertThat(got.reversePath()).isEqualTo("<>");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullSenderSpellings")
    void nullSenderSpellingIsNullInRawMode(String name, String value)
            throws AddressSyntaxException {
        EnvelopeSender got = ReversePathParser.parseRawSender(value);

        assertThat(got.isNull()).as(name).isTrue();
        assertThat(got.reversePath()).isEqualTo("<>");
    }

    static Stream<Arguments> fieldRejections() {
        return Stream.of(
                arguments("two addresses with a comma", "a@b.example, c@d.example",
                        "more than one address"),
                arguments("two bracketed addresses", "<a@b.example> <c@d.example>",
                        "more than one address"),
                arguments("two bare addresses", "a@b.example c@d.example",
                        "more than one address"),
                arguments("a group", "undisclosed:;", "unexpected \":\""),
                arguments("CR", "a@b.example\r", "CR"),
                arguments("bare CR inside", "a\r@b.example", "CR"),
                arguments("LF not followed by a blank", "a@b.example\n", "LF"),
                arguments("CRLF not followed by a blank", "<a@b.example>\r\n", "CR"),
                arguments("NUL", "a\0b@example.com", "NUL"),
                arguments("NUL in quotes", "\"a\0b\"@example.com", "NUL"),
                arguments("SOH", "a\u0001b@example.com", "0x01"),
                arguments("ESC", "a\u001bb@example.com", "0x1B"),
                arguments("DEL", "a\u007fb@example.com", "0x7F"),
                arguments("C1 NEL", "a\u0085b@example.com", "0x85"),
                arguments("C1 CSI", "a@exam\u009bple.com", "0x9B"),
                arguments("line separator", "a\u2028b@example.com", "U+2028"),
                arguments("right-to-left override", "a\u202eb@example.com", "U+202E"),
                arguments("no-break space", "a\u00a0b@example.com", "U+00A0"),
                arguments("byte order mark", "\ufeffa@example.com", "U+FEFF"),
                arguments("lone surrogate", "a\ud800@example.com", "U+D800"),
                arguments("undecodable byte", "a\ufffd@example.com", "U+FFFD"),
                arguments("nested brackets", "<<a@b.example>>", "nested angle brackets"),
                arguments("stray closing bracket", "a@b.example>", "stray angle bracket"),
                arguments("unclosed bracket", "<a@b.example", "ends too early"),
                arguments("display name", "Bob <bob@example.com>", "display name"),
                arguments("quoted display name", "\"Bob\" <bob@example.com>", "display name"),
                arguments("unterminated quote", "\"john@example.com", "unterminated quoted"),
                arguments("unterminated comment", "<a@example.com> (oops",
                        "unterminated comment"),
                arguments("no at sign", "user", "missing domain"),
                arguments("no at sign in brackets", "<user>", "missing domain"),
                arguments("nothing after the at sign", "user@", "missing domain"),
                arguments("empty local part", "@example.com", "unexpected"),
                arguments("empty quoted local part", "\"\"@example.com", "empty local part"),
                arguments("leading dot in local part", ".a@example.com", "unexpected"),
                arguments("trailing dot in local part", "a.@example.com", "unexpected"),
                arguments("double dot in local part", "a..b@example.com", "unexpected"),
                arguments("label with leading hyphen", "a@-b.example", "invalid domain"),
                arguments("label with trailing hyphen", "a@b-.example", "invalid domain"),
                arguments("empty label", "a@b..example", "invalid domain"),
                arguments("trailing dot", "a@b.example.", "invalid domain"),
                arguments("leading dot in domain", "a@.example", "invalid domain"),
                arguments("underscore in label", "a@b_c.example", "invalid domain"),
                arguments("label of 64 octets", "a@" + "l".repeat(64) + ".example",
                        "invalid domain"),
                arguments("IPv4 octet over 255", "a@[300.1.1.1]", "address literal"),
                arguments("IPv4 of three parts", "a@[192.0.2]", "address literal"),
                arguments("IPv4 of five parts", "a@[192.0.2.1.5]", "address literal"),
                arguments("IPv6 with two ::", "a@[IPv6:2001::db8::1]", "address literal"),
                arguments("IPv6 group of five digits", "a@[IPv6:12345::1]", "address literal"),
                arguments("IPv6 of three groups", "a@[IPv6:1:2:3]", "address literal"),
                arguments("IPv6 of nine groups", "a@[IPv6:1:2:3:4:5:6:7:8:9]",
                        "address literal"),
                arguments("IPv6 empty", "a@[IPv6:]", "address literal"),
                arguments("IPv6 colons only", "a@[IPv6::::::::::]", "address literal"),
                arguments("empty literal", "a@[]", "address literal"),
                arguments("unterminated literal", "a@[192.0.2.1", "address literal"),
                arguments("literal tag with leading hyphen", "a@[-x:y]", "address literal"),
                arguments("trailing comma in source route", "<@a.example,:u@c.example>",
                        "source route"),
                arguments("source route without brackets", "@a.example:u@c.example",
                        "unexpected"),
                arguments("local part of 65 octets", "a".repeat(65) + "@example.com",
                        "local part longer than 64 octets"),
                arguments("local part of 65 octets in 64 characters",
                        "a".repeat(63) + "é@example.com", "local part longer than 64 octets"),
                arguments("quoted local part of 65 octets with its quotes",
                        "\"a b" + "c".repeat(60) + "\"@example.com",
                        "local part longer than 64 octets"),
                arguments("domain of 256 octets", "a@" + domainOfOctets(256),
                        "domain longer than 255 octets"),
                arguments("domain of 255 octets makes the path too long",
                        "a@" + domainOfOctets(255), "path longer than 256 octets"),
                arguments("path of 257 octets", pathOfOctets(257),
                        "path longer than 256 octets"),
                arguments("path of 257 octets with a UTF-8 label",
                        "a".repeat(64) + "@" + "ä".repeat(31) + "b." + domainOfOctets(126),
                        "path longer than 256 octets"),
                arguments("label of 64 octets in 32 characters", "u@" + "ä".repeat(32) + ".example",
                        "invalid domain"));
    }

    @Test
    void foldedNullSenderIsNullInFieldMode() throws AddressSyntaxException {
        assertThat(ReversePathParser.parseSender("<\r\n >").isNull()).isTrue();
        assertThat(ReversePathParser.parseSender("\r\n\t<> (bounce\r\n of a bounce)").isNull())
                .isTrue();
    }

    @Test
    void commentAloneIsAnEmptyValueSoTheNullSender() throws AddressSyntaxException {
        assertThat(ReversePathParser.parseSender("(nothing here)").isNull()).isTrue();
    }

    @Test
    void bareValueWithParenthesesIsNotACommentInRawMode() {
        assertThatThrownBy(() -> ReversePathParser.parseRawSender("(nothing here)"))
                .isInstanceOf(AddressSyntaxException.class);
        assertThatThrownBy(() -> ReversePathParser.parseRawSender("MAILER-DAEMON (x)"))
                .isInstanceOf(AddressSyntaxException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldRejections")
    void fieldValueThatIsNotOneReversePathIsRejected(String name, String value, String reason) {
        AddressSyntaxException got = assertThrows(AddressSyntaxException.class,
                () -> ReversePathParser.parseSender(value), name);

        assertThat(got.getMessage()).as("reason for %s", name).contains(reason);
    }

    static Stream<Arguments> validRawValues() {
        return Stream.of(
                arguments("plain address", "user@example.com", "user@example.com"),
                arguments("space in local part gets quotes", "john doe@example.com",
                        "\"john doe\"@example.com"),
                arguments("quote in local part is escaped", "a\"b@example.com",
                        "\"a\\\"b\"@example.com"),
                arguments("backslash in local part is escaped", "a\\b@example.com",
                        "\"a\\\\b\"@example.com"),
                arguments("parenthesis is data, not a comment", "john(x)@example.com",
                        "\"john(x)\"@example.com"),
                arguments("quoted local part of a From_ line", "\"john doe\"@example.com",
                        "\"john doe\"@example.com"),
                arguments("needless quotes of a From_ line", "\"john\"@example.com",
                        "john@example.com"),
                arguments("leading dash is an ordinary address", "-f@example.com",
                        "-f@example.com"),
                arguments("brackets removed", "<user@example.com>", "user@example.com"),
                arguments("leading blank belongs to the local part", " user@example.com",
                        "\" user\"@example.com"),
                arguments("blanks inside brackets", "< user@example.com >", "user@example.com"),
                arguments("source route in brackets ignored", "<@a.example:bob@example.com>",
                        "bob@example.com"),
                arguments("source route of two hops in brackets ignored",
                        "<@a.example,@b.example:bob@example.com>", "bob@example.com"),
                arguments("at sign in the local part, split at the last", "a@b@example.com",
                        "\"a@b\"@example.com"),
                arguments("comma is data with one at sign", "a, b@example.com",
                        "\"a, b\"@example.com"),
                arguments("IPv4 literal", "user@[192.0.2.1]", "user@[192.0.2.1]"),
                arguments("UTF-8", "jösé@exämple.de", "jösé@exämple.de"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRawValues")
    void rawValueGivesOneCleanAddress(String name, String value, String want)
            throws AddressSyntaxException {
        assertThat(ReversePathParser.parseRawSender(value).address()).as(name).isEqualTo(want);
    }

    static Stream<Arguments> rawRejections() {
        return Stream.of(
                arguments("two addresses with a comma", "a@b.example, c@d.example",
                        "more than one address"),
                arguments("two addresses with a space", "a@b.example c@d.example",
                        "more than one address"),
                arguments("two addresses with a semicolon", "a@b.example;c@d.example",
                        "more than one address"),
                arguments("two bracketed addresses", "<a@b.example> <c@d.example>",
                        "more than one address"),
                arguments("CR", "a@b.example\r", "CR"),
                arguments("LF", "a@b.example\n", "LF"),
                arguments("folding is not unfolded in raw mode", "a@b.example\r\n c",
                        "CR"),
                arguments("NUL", "a\0@b.example", "NUL"),
                arguments("DEL", "a\u007f@b.example", "0x7F"),
                arguments("C1", "a\u0090@b.example", "0x90"),
                arguments("tab inside", "a\t@b.example", "control"),
                arguments("trailing blank after the domain", "a@b.example ", "invalid domain"),
                arguments("line separator at the end", "a@b.example\u2028", "U+2028"),
                arguments("nested brackets", "<<a@b.example>>", "angle brackets"),
                arguments("bad source route in brackets", "<@a.example,:u@c.example>",
                        "source route"),
                arguments("display name", "Bob <bob@example.com>", "angle brackets"),
                arguments("no domain", "user", "missing domain"),
                arguments("empty domain", "user@", "missing domain"),
                arguments("empty local part", "@example.com", "empty local part"),
                arguments("text after a quoted local part", "\"a\"b\"@example.com",
                        "unexpected"),
                arguments("unterminated quote", "\"a@example.com", "unterminated quoted"),
                arguments("trailing dot", "a@b.example.", "invalid domain"),
                arguments("underscore", "a@b_c.example", "invalid domain"),
                arguments("bad literal", "a@[300.1.1.1]", "address literal"),
                arguments("local part of 65 octets", "a".repeat(65) + "@example.com",
                        "longer than 64"),
                arguments("quoted by us to 65 octets", "a b" + "c".repeat(60) + "@example.com",
                        "longer than 64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawRejections")
    void rawValueThatIsNotOneAddressIsRejected(String name, String value, String reason) {
        AddressSyntaxException got = assertThrows(AddressSyntaxException.class,
                () -> ReversePathParser.parseRawSender(value), name);

        assertThat(got.getMessage()).as("reason for %s", name).contains(reason);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"<>", "", "  ", "< >", "<> (bounce)", "#@[]", "<#@[]>",
        "MAILER-DAEMON", "mailer-daemon"})
    void recipientIsNeverTheNullAddress(String value) {
        assertThatThrownBy(() -> ReversePathParser.parseRecipient(value))
                .isInstanceOf(AddressSyntaxException.class);
    }

    static Stream<Arguments> validRecipients() {
        return Stream.of(
                arguments("bare", "alice@example.net", "alice@example.net"),
                arguments("bracketed with comment", "<alice@example.net> (home)",
                        "alice@example.net"),
                arguments("leading dash", "-oQ@example.net", "-oQ@example.net"),
                arguments("quoted space", "\"a b\"@example.net", "\"a b\"@example.net"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRecipients")
    void recipientIsOneMailbox(String name, String value, String want)
            throws AddressSyntaxException {
        Recipient got = ReversePathParser.parseRecipient(value);

        assertThat(got.address()).as(name).isEqualTo(want);
        assertThat(got.forwardPath()).isEqualTo("<" + want + ">");
    }

    @Test
    void recipientsDifferingOnlyInDomainCaseAreEqual() throws AddressSyntaxException {
        assertThat(ReversePathParser.parseRecipient("Bob@EXAMPLE.net"))
                .isEqualTo(ReversePathParser.parseRecipient("Bob@example.NET"))
                .isNotEqualTo(ReversePathParser.parseRecipient("bob@example.net"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"a@b.example, c@d.example", "a\r@b.example", "<<a@b.example>>"})
    void recipientRejectsWhatSendersReject(String value) {
        assertThatThrownBy(() -> ReversePathParser.parseRecipient(value))
                .isInstanceOf(AddressSyntaxException.class);
    }

    static Stream<Arguments> internalForms() {
        return Stream.of(
                arguments("dot-atom", "<john@example.com>", "john@example.com"),
                arguments("quoted space", "<\"john doe\"@example.com>", "john doe@example.com"),
                arguments("escaped quote", "<\"a\\\"b\"@example.com>", "a\"b@example.com"),
                arguments("null", "<>", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("internalForms")
    void internalFormIsTheUnquotedAddressAnMtaExports(String name, String value, String want)
            throws AddressSyntaxException {
        assertThat(ReversePathParser.internalForm(ReversePathParser.parseSender(value)))
                .isEqualTo(want);
    }

    @Test
    void internalFormParsedAsRawGivesTheSameSender() throws AddressSyntaxException {
        EnvelopeSender sender = ReversePathParser.parseSender("\"a \\\"b\\\\\"@example.com");

        assertThat(ReversePathParser.parseRawSender(ReversePathParser.internalForm(sender)))
                .isEqualTo(sender);
    }

    @Test
    void rawRecipientOfThisDeliveryLosesOnlyBracketsAndBlanks() throws AddressSyntaxException {
        assertThat(ReversePathParser.normalizeRaw(" <user+ext@example.com> "))
                .isEqualTo("user+ext@example.com");
        assertThatThrownBy(() -> ReversePathParser.normalizeRaw("user@example.com\n"))
                .isInstanceOf(AddressSyntaxException.class);
    }

    /** A bracketed path of exactly {@code octets} octets: {@code <local@domain>}. */
    static String pathOfOctets(int octets) {
        String local = "a".repeat(64);
        return "<" + local + "@" + domainOfOctets(octets - local.length() - 3) + ">";
    }

    /** A valid-looking domain of exactly {@code octets} octets, labels of at most 63. */
    static String domainOfOctets(int octets) {
        StringBuilder domain = new StringBuilder();
        while (octets - domain.length() > 63) {
            domain.append("d".repeat(62)).append('.');
        }
        domain.append("e".repeat(octets - domain.length()));
        return domain.toString();
    }
}
