package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.spam.Messages.message;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verdicts as SpamAssassin 4 and rspamd 3 write them (samples written for these tests in
 * their formats), and the position rule: only the topmost instance, above our own Received.
 */
class VerdictReaderTest {
    /** Our MTA's own Received: the boundary of what came from outside. */
    private static final String OWN_RECEIVED = "Received: from mx.example.com"
            + " (mx.example.com [192.0.2.25])\n\tby mail.example.org (Postfix) with ESMTPS"
            + " id 4Q7x9\n\tfor <alice@example.org>; Tue, 3 Nov 2026 09:14:04 +0100 (CET)\n";
    private static final String OUTSIDE_RECEIVED = "Received: from [198.51.100.7]"
            + " by mx.example.com with SMTP; Tue, 3 Nov 2026 09:14:02 +0100\n";
    private static final String REST = "From: Bob <bob@example.com>\nTo: alice@example.org\n"
            + "Subject: hello\nMessage-ID: <1@example.com>\n\nbody\n";

    private static final String SA_SPAM = "X-Spam-Checker-Version: SpamAssassin 4.0.1"
            + " (2024-03-25) on mail.example.org\nX-Spam-Flag: YES\n"
            + "X-Spam-Level: *******\n"
            + "X-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99,HTML_MESSAGE,\n"
            + "\tRDNS_NONE,URIBL_BLOCKED autolearn=no autolearn_force=no version=4.0.1\n";
    private static final String SA_HAM = "X-Spam-Checker-Version: SpamAssassin 4.0.1"
            + " (2024-03-25) on mail.example.org\nX-Spam-Level: \n"
            + "X-Spam-Status: No, score=-0.1 required=5.0 tests=DKIM_SIGNED,DKIM_VALID,\n"
            + "\tSPF_PASS autolearn=ham autolearn_force=no version=4.0.1\n";
    private static final String FORGED_HAM = "X-Spam-Flag: NO\n"
            + "X-Spam-Status: No, score=-100.0 required=5.0 tests=ALL_TRUSTED\n";
    private static final String RSPAMD_SPAM = "X-Spamd-Result: default: True [16.10 / 15.00];\n"
            + "\tGTUBE(0.00)[];\n\tR_SPF_FAIL(1.00)[-all];\n\tMIME_GOOD(-0.10)[text/plain]\n"
            + "X-Rspamd-Server: mail.example.org\nX-Spam: Yes\n";
    private static final String RSPAMD_HAM = "X-Spamd-Result: default: False [1.20 / 15.00];\n"
            + "\tMIME_GOOD(-0.10)[text/plain];\n\tRCVD_COUNT_TWO(0.00)[2]\n"
            + "X-Rspamd-Server: mail.example.org\n";

    static Stream<Arguments> verdicts() {
        VerdictReader sa = VerdictReader.spamAssassin(1);
        VerdictReader rspamd = VerdictReader.rspamd(1);
        VerdictReader score = VerdictReader.header("X-Spam-Score", 5.0, 1);
        return Stream.of(
                row("SpamAssassin spam after delivery, on top", sa,
                        SA_SPAM + OWN_RECEIVED + REST, "spam score=7.3/5.0 (X-Spam-Status)"),
                row("SpamAssassin ham", sa, SA_HAM + OWN_RECEIVED + REST,
                        "ham score=-0.1/5.0 (X-Spam-Status)"),
                row("forged ham below our Received is never read", sa,
                        OWN_RECEIVED + FORGED_HAM + OUTSIDE_RECEIVED + REST, null),
                row("forged ham below our spam verdict", sa,
                        SA_SPAM + OWN_RECEIVED + FORGED_HAM + REST,
                        "spam score=7.3/5.0 (X-Spam-Status)"),
                row("forged spam below our ham verdict", sa,
                        SA_HAM + OWN_RECEIVED + "X-Spam-Flag: YES\n" + REST,
                        "ham score=-0.1/5.0 (X-Spam-Status)"),
                row("only the topmost of two instances above our Received", sa,
                        "X-Spam-Status: Yes, score=9.0 required=5.0\n"
                                + "X-Spam-Status: No, score=1.0 required=5.0\n"
                                + OWN_RECEIVED + REST, "spam score=9.0/5.0 (X-Spam-Status)"),
                row("an unreadable topmost instance hides the lower ones", sa,
                        "X-Spam-Status: maybe\n" + OWN_RECEIVED
                                + "X-Spam-Status: No, score=1.0 required=5.0\n" + REST, null),
                row("X-Spam-Flag alone", sa, "X-Spam-Flag: YES\n" + OWN_RECEIVED + REST,
                        "spam (X-Spam-Flag)"),
                row("X-Spam-Level alone, seven stars", sa,
                        "X-Spam-Level: *******\n" + OWN_RECEIVED + REST,
                        "spam score=7.0/5.0 (X-Spam-Level)"),
                row("X-Spam-Level alone, empty", sa, "X-Spam-Level: \n" + OWN_RECEIVED + REST,
                        "ham score=0.0/5.0 (X-Spam-Level)"),
                row("old SpamAssassin hits=", sa,
                        "X-Spam-Status: Yes, hits=6.5 required=5.0 tests=FOO\n"
                                + OWN_RECEIVED + REST, "spam score=6.5/5.0 (X-Spam-Status)"),
                row("a score without required= is still a score", sa,
                        status("No, score=0.1 tests=NONE"), "ham score=0.1 (X-Spam-Status)"),
                row("Yes decides even when the score is under required", sa,
                        status("Yes, score=0.1 required=5.0"),
                        "spam score=0.1/5.0 (X-Spam-Status)"),
                row("an exponent is no score, never 1.0", sa,
                        status("Yes, score=1e3 required=5.0"), "spam (X-Spam-Status)"),
                row("an exponent without required= is no score either", sa,
                        status("No, score=1e3"), "ham (X-Spam-Status)"),
                row("an overflowing exponent is no score", sa,
                        status("No, score=1e309 required=5.0"), "ham (X-Spam-Status)"),
                row("NaN is no score", sa, status("No, score=NaN required=5.0"),
                        "ham (X-Spam-Status)"),
                row("a 400-digit score is no score, not Infinity", sa,
                        status("Yes, score=" + "9".repeat(400) + " required=5.0"),
                        "spam (X-Spam-Status)"),
                row("an explicit plus sign", sa, status("No, score=+5 required=5.0"),
                        "ham score=5.0/5.0 (X-Spam-Status)"),
                row("a trailing point", sa, status("Yes, score=5. required=5.0"),
                        "spam score=5.0/5.0 (X-Spam-Status)"),
                row("a leading point", sa, status("No, score=.5 required=5.0"),
                        "ham score=0.5/5.0 (X-Spam-Status)"),
                row("two points is no score, never the first part", sa,
                        status("No, score=1.5.3 required=5.0"), "ham (X-Spam-Status)"),
                row("an unreadable required= keeps the score", sa,
                        status("Yes, score=7.3 required=5e0"),
                        "spam score=7.3 (X-Spam-Status)"),
                row("a bad first score= is not replaced by a later hits=", sa,
                        status("No, score=1e3 hits=4.0 required=5.0"), "ham (X-Spam-Status)"),
                row("configured score header with an exponent gives no verdict", score,
                        "X-Spam-Score: 1e3\n" + OWN_RECEIVED + REST, null),
                row("configured score header as score/threshold", score,
                        "X-Spam-Score: 6.2/5.0\n" + OWN_RECEIVED + REST,
                        "spam score=6.2/5.0 (X-Spam-Score)"),
                row("rspamd result with an exponent falls back to X-Spam", rspamd,
                        "X-Spamd-Result: default: True [1e3 / 15.00]\nX-Spam: Yes\n"
                                + OWN_RECEIVED + REST, "spam (X-Spam)"),
                row("no Received at all: nothing is ours", sa, SA_SPAM + REST, null),
                row("rspamd fields below our Received are not ours", rspamd,
                        OWN_RECEIVED + RSPAMD_SPAM + OUTSIDE_RECEIVED + REST, null),
                row("rspamd spam from a milter, above our Received", rspamd,
                        RSPAMD_SPAM + OWN_RECEIVED + REST,
                        "spam score=16.1/15.0 (X-Spamd-Result)"),
                row("rspamd ham", rspamd, RSPAMD_HAM + OWN_RECEIVED + REST,
                        "ham score=1.2/15.0 (X-Spamd-Result)"),
                row("rspamd X-Spam alone", rspamd, "X-Spam: Yes\n" + OWN_RECEIVED + REST,
                        "spam (X-Spam)"),
                row("rspamd ignores SpamAssassin fields", rspamd,
                        SA_SPAM + OWN_RECEIVED + REST, null),
                row("configured score header over the threshold", score,
                        "X-Spam-Score: 6.2 (******)\n" + OWN_RECEIVED + REST,
                        "spam score=6.2/5.0 (X-Spam-Score)"),
                row("configured score header at the threshold", score,
                        "X-Spam-Score: 5\n" + OWN_RECEIVED + REST,
                        "spam score=5.0/5.0 (X-Spam-Score)"),
                row("configured score header under the threshold", score,
                        "X-Spam-Score: -1.5\n" + OWN_RECEIVED + REST,
                        "ham score=-1.5/5.0 (X-Spam-Score)"),
                row("configured score header without a number", score,
                        "X-Spam-Score: high\n" + OWN_RECEIVED + REST, null),
                row("amavis between our two Received fields, own_received 2",
                        VerdictReader.spamAssassin(2), OWN_RECEIVED + SA_SPAM
                                + OWN_RECEIVED.replace("mx.example.com", "localhost") + REST,
                        "spam score=7.3/5.0 (X-Spam-Status)"),
                row("same, own_received 1 does not believe it", sa, OWN_RECEIVED + SA_SPAM
                        + OWN_RECEIVED.replace("mx.example.com", "localhost") + REST, null),
                row("own_received 0 reads the topmost wherever it is",
                        VerdictReader.spamAssassin(0), REST.replace("\n\n", "\n" + SA_SPAM
                                + "\n"), "spam score=7.3/5.0 (X-Spam-Status)"));
    }

    /** Our own X-Spam-Status with this value, above our Received. */
    private static String status(String value) {
        return "X-Spam-Status: " + value + "\n" + OWN_RECEIVED + REST;
    }

    private static Arguments row(String name, VerdictReader reader, String message,
            String expected) {
        return Arguments.of(name, reader, message, Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void readsOnlyOurOwnVerdict(String name, VerdictReader reader, String message,
            Optional<String> expected) {
        assertThat(reader.read(message(message)).map(SpamVerdict::display))
                .isEqualTo(expected);
    }

    @Test
    void crlfMessagesReadTheSame() {
        String crlf = (SA_SPAM + OWN_RECEIVED + REST).replace("\n", "\r\n");
        assertThat(VerdictReader.spamAssassin(1).read(message(crlf)).orElseThrow().spam())
                .isTrue();
    }

    @Test
    void configuredHeaderNeedsAValidNameAndThreshold() {
        assertThatThrownBy(() -> VerdictReader.header("X Spam", 5, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerdictReader.header("X-Score", Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerdictReader.spamAssassin(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
