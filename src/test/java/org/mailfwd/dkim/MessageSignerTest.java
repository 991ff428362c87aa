package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageSignerTest {
    static final String PLAIN = "From: Alice <alice@example.org>\n"
            + "To: bob@example.net\n"
            + "Subject: Lunch   on\n\tTuesday\n"
            + "Date: Tue, 1 Dec 2026 10:00:00 +0000\n"
            + "Message-ID: <1@example.org>\n"
            + "MIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=utf-8\n"
            + "\n"
            + "Hello Bob,  \n\n  see you then.\n\n\n";

    @TempDir
    Path dir;

    static Stream<Arguments> messages() {
        String latin1 = "From: =?x?= Ren\u00e9 <rene@example.org>\nSubject: Caf\u00e9 \u00fcber\n"
                + "To: x@example.net\n\nbody\n";
        String utf8 = "From: J\u00fcrgen <j@example.org>\nSubject: \u65e5\u672c \u00e9\n"
                + "To: x@example.net\n\nbody\n";
        return Stream.of(
                Arguments.of("plain LF message", PLAIN.getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("plain CRLF message", PLAIN.replace("\n", "\r\n")
                        .getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("empty body", "From: a@example.org\nSubject: x\n\n"
                        .getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("no body at all", "From: a@example.org\nSubject: x\n"
                        .getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("body of blank lines", "From: a@example.org\n\n  \n\t\n\n"
                        .getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("raw Latin-1 header bytes", latin1
                        .getBytes(StandardCharsets.ISO_8859_1)),
                Arguments.of("raw UTF-8 header bytes", utf8.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("backslashes and control bytes", ("From: \"a\\\\b\" <a@example.org>\n"
                        + "Subject: \u0001bell\u0007 \\x41\n\nx\n")
                        .getBytes(StandardCharsets.ISO_8859_1)),
                Arguments.of("lone CR, blanks at line ends",
                        "From: a@example.org\nSubject: x\n\nx \ry  \t\n\n  mid  dle \n"
                                .getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("two From lines oversigned once more", PLAIN
                        .replace("To:", "Cc: c@example.net\nTo:")
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    /** Every algorithm with every canonicalization, all on one message in one pass. */
    private List<SignatureSpec> everySpec() {
        List<SignatureSpec> specs = new java.util.ArrayList<>();
        for (DkimAlgorithm algorithm : DkimAlgorithm.values()) {
            for (String c : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple",
                    "simple/relaxed")) {
                specs.add(Signed.spec(dir, algorithm, c));
            }
        }
        return specs;
    }

    /** Every message, signed once with openssl doing the crypto and once with the JDK. */
    static Stream<Arguments> messagesForEachCrypto() {
        return Stream.of("openssl", "JDK").flatMap(crypto -> messages().map(row -> Arguments.of(
                crypto + ": " + row.get()[0], crypto, row.get()[1])));
    }

    static Optional<Crypto> crypto(String name) {
        if (name.equals("JDK")) {
            return Optional.empty();
        }
        ExternalVerifiers.requireTool("openssl", OpensslCrypto.DEFAULT.toString(), "version");
        return Optional.of(new OpensslCrypto(OpensslCrypto.DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesForEachCrypto")
    void everySignatureVerifiesWithDkimpyAndRsaAlsoWithMailDkim(String name, String crypto,
            byte[] message) {
        byte[] signed = Signed.sign(message, everySpec(), crypto(crypto));
        assertThat(ExternalVerifiers.dkimpy(signed, Signed.keys())).containsExactly(
                "pass d=example.org s=rsa2026", "pass d=example.org s=rsa2026",
                "pass d=example.org s=rsa2026", "pass d=example.org s=rsa2026",
                "pass d=example.org s=ed2026", "pass d=example.org s=ed2026",
                "pass d=example.org s=ed2026", "pass d=example.org s=ed2026");
        // Mail::DKIM 1.20230212 has no Ed25519; it calls those signatures invalid.
        assertThat(ExternalVerifiers.mailDkim(signed, Signed.keys())).containsExactly(
                "pass d=example.org s=rsa2026", "pass d=example.org s=rsa2026",
                "pass d=example.org s=rsa2026", "pass d=example.org s=rsa2026",
                "invalid d=example.org s=ed2026", "invalid d=example.org s=ed2026",
                "invalid d=example.org s=ed2026", "invalid d=example.org s=ed2026");
    }

    /**
     * A body whose last line has no line end: the MTA ends it on the way (Postfix writes
     * every record with CRLF), so the signature is made for the body as it will arrive,
     * blanks before that line end dropped (relaxed), and verifies there.
     */
    @Test
    void lastLineWithoutLineEndVerifiesAsTheMessageArrives() {
        byte[] signed = Signed.sign("From: a@example.org\nSubject: x\n\nfirst\nlast  "
                .getBytes(StandardCharsets.US_ASCII), everySpec());
        byte[] arrived = (new String(signed, StandardCharsets.US_ASCII) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(ExternalVerifiers.dkimpy(arrived, Signed.keys())).containsOnly(
                "pass d=example.org s=rsa2026", "pass d=example.org s=ed2026");
        assertThat(ExternalVerifiers.mailDkim(arrived, Signed.keys()))
                .filteredOn(result -> result.endsWith("rsa2026"))
                .containsOnly("pass d=example.org s=rsa2026").hasSize(4);
    }

    @Test
    void dualSignatureMakesBothVerifyInOnePass() {
        byte[] signed = Signed.sign(PLAIN.getBytes(StandardCharsets.US_ASCII), List.of(
                Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed"),
                Signed.spec(dir, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed")));
        assertThat(ExternalVerifiers.dkimpy(signed, Signed.keys())).containsExactly(
                "pass d=example.org s=rsa2026", "pass d=example.org s=ed2026");
        assertThat(ExternalVerifiers.mailDkim(signed, Signed.keys()))
                .contains("pass d=example.org s=rsa2026");
    }

    @Test
    void oneChangedBodyByteMakesEveryVerifierFail() {
        byte[] signed = Signed.sign(PLAIN.getBytes(StandardCharsets.US_ASCII), List.of(
                Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed"),
                Signed.spec(dir, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed")));
        String text = new String(signed, StandardCharsets.US_ASCII);
        byte[] tampered = text.replace("see you then", "see you than")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(ExternalVerifiers.dkimpy(tampered, Signed.keys())).containsExactly(
                "fail d=example.org s=rsa2026", "fail d=example.org s=ed2026");
        assertThat(ExternalVerifiers.mailDkim(tampered, Signed.keys()))
                .startsWith("fail d=example.org s=rsa2026");
    }

    @Test
    void signatureLinesAreFoldedAndShort() {
        byte[] signed = Signed.sign(PLAIN.getBytes(StandardCharsets.US_ASCII), List.of(
                Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed")));
        String header = new String(signed, StandardCharsets.US_ASCII).split("\nFrom:")[0];
        assertThat(header.lines()).allSatisfy(line -> assertThat(line.length())
                .isLessThanOrEqualTo(SignatureFolder.WIDTH));
        assertThat(header.replace("\n\t", " ")).contains("h=from:from:subject:date:message-id:to:"
                + "mime-version:content-type;");
    }
}
