package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.spam.Messages.message;
import static org.mailfwd.spam.Messages.text;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.spam.SubjectTag.Policy;
import org.mailfwd.spam.Tagging.Edit;

/** Each tagging case of issue 4, as header text in and header text out. */
class SubjectTagTest {
    private static final String TOP = "Received: by mx.example.org; Tue, 3 Nov 2026 09:14:04"
            + " +0100\nFrom: Bob <bob@example.com>\n";
    private static final String BODY = "Date: Tue, 3 Nov 2026 09:14:01 +0100\n\nbody\n";
    private static final String SIGNED_SUBJECT = "DKIM-Signature: v=1; a=rsa-sha256;"
            + " c=relaxed/relaxed; d=example.com;\n s=sel1; h=From : To :\n SuBjEcT : Date;"
            + " bh=AAAA; b=BBBB\n";

    static Stream<Arguments> subjects() {
        String longText = "x".repeat(985);
        return Stream.of(
                row("plain subject", "Subject: Hello\n", "Subject: [SPAM] Hello\n"),
                row("CRLF line ends", "Subject: Hello\r\n", "Subject: [SPAM] Hello\r\n"),
                row("encoded word stays encoded, prefix outside it",
                        "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_dem_B=C3=BCro?=\n",
                        "Subject: [SPAM] =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_dem_B=C3=BCro?=\n"),
                row("folded encoded words keep their folds",
                        "Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                                + " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n",
                        "Subject: [SPAM] =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                                + " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n"),
                row("text starting on the next line", "Subject:\n\tHello\n",
                        "Subject:[SPAM]\n\tHello\n"),
                row("no blank after the colon", "Subject:Hello\n", "Subject:[SPAM] Hello\n"),
                row("empty subject", "Subject: \n", "Subject: [SPAM]\n"),
                row("blanks before the colon", "Subject : Hello\n",
                        "Subject : [SPAM] Hello\n"),
                row("raw UTF-8 subject stays as it is", "Subject: Grüße\n",
                        "Subject: [SPAM] Grüße\n"),
                row("already tagged: not tagged twice", "Subject: [SPAM] Hello\n",
                        "Subject: [SPAM] Hello\n"),
                row("already tagged in other case", "Subject: [spam] Hello\n",
                        "Subject: [spam] Hello\n"),
                row("a line that would pass 998 octets is folded after the prefix",
                        "Subject: " + longText + "\n",
                        "Subject: [SPAM]\n " + longText + "\n"),
                row("two Subject fields: the first is tagged, the second kept",
                        "Subject: one\nTo: a@example.org\nSubject: two\n",
                        "Subject: [SPAM] one\nTo: a@example.org\nSubject: two\n"));
    }

    private static Arguments row(String name, String subject, String expected) {
        return Arguments.of(name, subject, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void tagsTheFirstSubjectInPlace(String name, String subject, String expected) {
        ForwardedMessage forwarded = new ForwardedMessage(message(TOP + subject + BODY));

        new SubjectTag(Policy.SUBJECT, "[SPAM] ").apply(forwarded);

        String out = text(forwarded);
        assertThat(out).isEqualTo(TOP + latin1(expected) + BODY);
        assertThat(out.lines()).allSatisfy(line -> assertThat(line.length())
                .isLessThanOrEqualTo(998));
    }

    @Test
    void messageWithoutSubjectGetsOne() {
        ForwardedMessage forwarded = new ForwardedMessage(message(TOP + BODY));

        Tagging tagging = SubjectTag.defaults().apply(forwarded);

        assertThat(tagging.edit()).isEqualTo(Edit.SUBJECT_ADDED);
        assertThat(text(forwarded)).isEqualTo("Subject: [SPAM]\n" + TOP + BODY);
    }

    @Test
    void secondSubjectIsReportedForTheLog() {
        Tagging tagging = SubjectTag.defaults()
                .preview(message(TOP + "Subject: one\nSubject: two\nSubject: three\n" + BODY));

        assertThat(tagging.edit()).isEqualTo(Edit.SUBJECT_TAGGED);
        assertThat(tagging.extraSubjects()).isEqualTo(2);
    }

    @Test
    void taggingAgainChangesNothing() {
        ForwardedMessage once = new ForwardedMessage(message(TOP + "Subject: Hi\n" + BODY));
        SubjectTag.defaults().apply(once);
        ForwardedMessage twice = new ForwardedMessage(message(Messages.bytes(once)));

        Tagging again = SubjectTag.defaults().apply(twice);

        assertThat(again.edit()).isEqualTo(Edit.ALREADY_TAGGED);
        assertThat(Messages.bytes(twice)).isEqualTo(Messages.bytes(once));
    }

    @Test
    void signedSubjectGetsTheHeaderInsteadByDefault() {
        Message message = message(SIGNED_SUBJECT + TOP + "Subject: Hello\n" + BODY);
        ForwardedMessage forwarded = new ForwardedMessage(message);

        Tagging tagging = SubjectTag.defaults().apply(forwarded);

        assertThat(tagging.edit()).isEqualTo(Edit.HEADER_ADDED);
        assertThat(tagging.broken()).isEmpty();
        assertThat(tagging.subjectSigners()).extracting(DkimSignature::display)
                .containsExactly("d=example.com s=sel1");
        assertThat(text(forwarded)).isEqualTo("X-Spam-Flag: YES\n" + SIGNED_SUBJECT + TOP
                + "Subject: Hello\n" + BODY);
    }

    @Test
    void subjectPolicyTagsASignedSubjectAndNamesTheSignatureItBreaks() {
        Message message = message(SIGNED_SUBJECT + TOP + "Subject: Hello\n" + BODY);

        Tagging tagging = new SubjectTag(Policy.SUBJECT, "[SPAM]").preview(message);

        assertThat(tagging.edit()).isEqualTo(Edit.SUBJECT_TAGGED);
        assertThat(tagging.broken()).extracting(DkimSignature::display)
                .containsExactly("d=example.com s=sel1");
    }

    @Test
    void signatureOverTheLowerOfTwoSubjectsDoesNotCoverTheFirst() {
        // h= takes fields from the bottom: one "subject" signs only the last Subject field.
        Message message = message(SIGNED_SUBJECT + TOP + "Subject: one\nSubject: two\n" + BODY);

        Tagging tagging = SubjectTag.defaults().preview(message);

        assertThat(tagging.edit()).isEqualTo(Edit.SUBJECT_TAGGED);
        assertThat(tagging.broken()).isEmpty();
    }

    @Test
    void oversignedSubjectBreaksWhenOneIsAdded() {
        String oversigned = SIGNED_SUBJECT.replace("Date;", "Date : subject;");
        Message message = message(oversigned + TOP + "Subject: Hello\n" + BODY);
        Message without = message(oversigned + TOP + BODY);

        assertThat(new SubjectTag(Policy.SUBJECT, "[SPAM] ").preview(message).broken())
                .hasSize(1);
        assertThat(new SubjectTag(Policy.SUBJECT, "[SPAM] ").preview(without).broken())
                .hasSize(1);
        assertThat(SubjectTag.defaults().preview(without).edit()).isEqualTo(Edit.HEADER_ADDED);
    }

    @Test
    void oversignedSpamFlagIsReportedBroken() {
        String signature = "DKIM-Signature: v=1; d=example.net; s=fwd; h=from:x-spam-flag;"
                + " bh=A; b=B\n";
        Tagging tagging = new SubjectTag(Policy.HEADER, "[SPAM] ")
                .preview(message(signature + TOP + "Subject: Hello\n" + BODY));

        assertThat(tagging.edit()).isEqualTo(Edit.HEADER_ADDED);
        assertThat(tagging.broken()).extracting(DkimSignature::display)
                .containsExactly("d=example.net s=fwd");
    }

    @Test
    void headerPolicyDoesNotFlagTwice() {
        Message message = message("X-Spam-Flag: YES\n" + TOP + "Subject: Hello\n" + BODY);
        ForwardedMessage forwarded = new ForwardedMessage(message);

        Tagging tagging = new SubjectTag(Policy.HEADER, "[SPAM] ").apply(forwarded);

        assertThat(tagging.edit()).isEqualTo(Edit.ALREADY_TAGGED);
        assertThat(forwarded.added()).isEmpty();
    }

    @Test
    void spamAssassinsOwnFlagDoesNotStopTheSubjectTag() {
        Message message = message("X-Spam-Flag: YES\n" + TOP + "Subject: Hello\n" + BODY);

        assertThat(SubjectTag.defaults().preview(message).edit())
                .isEqualTo(Edit.SUBJECT_TAGGED);
    }

    @Test
    void subjectWithABareCrGetsTheHeaderAndSaysWhy() {
        ForwardedMessage forwarded = new ForwardedMessage(
                message(TOP + "Subject: a\rb\n" + BODY));

        Tagging tagging = new SubjectTag(Policy.SUBJECT, "[SPAM] ").apply(forwarded);

        assertThat(tagging.edit()).isEqualTo(Edit.HEADER_ADDED);
        assertThat(tagging.note()).hasValueSatisfying(n -> assertThat(n).contains("bare CR"));
        assertThat(text(forwarded)).isEqualTo("X-Spam-Flag: YES\n" + TOP + "Subject: a\rb\n"
                + BODY);
    }

    @ParameterizedTest(name = "prefix \"{0}\"")
    @ValueSource(strings = {"", "   ", "[SPAM]\r\n", "=?UTF-8?Q?x?=", "[СПАМ]", "tab\there"})
    void unwritablePrefixIsRefused(String prefix) {
        assertThatThrownBy(() -> new SubjectTag(Policy.SUBJECT, prefix))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policiesHaveTheirConfigurationSpelling() {
        assertThat(Stream.of(Policy.values()).map(Policy::spelling).toList())
                .isEqualTo(List.of("subject", "header", "subject-unless-signed"));
        assertThat(Policy.parse("subject-unless-signed"))
                .isEqualTo(Policy.SUBJECT_UNLESS_SIGNED);
        assertThatThrownBy(() -> Policy.parse("Subject"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The expected text as the ISO-8859-1 view of its UTF-8 bytes, as text() gives. */
    private static String latin1(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
