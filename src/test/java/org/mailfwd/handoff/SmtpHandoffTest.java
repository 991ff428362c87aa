package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.handoff.SmtpTestSupport.message;
import static org.mailfwd.handoff.SmtpTestSupport.onTheWire;
import static org.mailfwd.handoff.SmtpTestSupport.recipient;
import static org.mailfwd.handoff.SmtpTestSupport.sendmailBytes;
import static org.mailfwd.handoff.SmtpTestSupport.sender;
import static org.mailfwd.handoff.SmtpTestSupport.settings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.handoff.SmtpSettings.Credentials;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;
import org.mailfwd.status.TemporaryFailure;

/** The SMTP envelope, the DATA bytes and the extensions, against the scripted server. */
class SmtpHandoffTest {
    private static final String SIMPLE = "From: Someone <someone@example.org>\n"
            + "To: user@example.net\nSubject: hello\n\nbody\n";

    @Test
    void nullSenderGoesOutAsEmptyReversePath_smtp() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            handOff(server, EnvelopeSender.NULL, List.of(recipient("a@example.net")), SIMPLE);

            server.awaitEnd();
            assertThat(server.commands()).contains("MAIL FROM:<>")
                    .noneMatch(line -> line.contains("someone@example.org"));
        }
    }

    @Test
    void quotedLocalPartGoesOutQuoted() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            handOff(server, sender("<\"john doe\"@example.org>"),
                    List.of(recipient("<\"x y\"@example.net>")), SIMPLE);

            server.awaitEnd();
            assertThat(server.commands()).contains("MAIL FROM:<\"john doe\"@example.org>",
                    "RCPT TO:<\"x y\"@example.net>");
        }
    }

    @Test
    void oneRecipientCommandPerRecipientInOrder() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            handOff(server, sender("s@example.org"), List.of(recipient("a@example.net"),
                    recipient("b@example.com")), SIMPLE);

            server.awaitEnd();
            assertThat(server.commands()).containsSubsequence("EHLO client.test",
                    "MAIL FROM:<s@example.org>", "RCPT TO:<a@example.net>",
                    "RCPT TO:<b@example.com>", "DATA", "QUIT");
        }
    }

    @Test
    void dataIsTheSendmailBytesWithCrlfLineEndsAndDotStuffing() throws Exception {
        String text = "Received: from a\n\tby b; Thu, 1 Jan 2026 00:00:00 +0000\n"
                + "From: a@example.org\nSubject:   spaced  \n\n.\n..two\n.leading dot\n"
                + "middle . dot\n\n\ntrailing space \nno final newline";
        ForwardedMessage message = message(text).prepend("X-Added", "by a rule");
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.OFF))
                    .handOff(sender("s@example.org"), List.of(recipient("a@example.net")),
                            message);

            server.awaitEnd();
            assertThat(server.data()).isEqualTo(onTheWire(sendmailBytes(message)));
            assertThat(new String(server.data(), StandardCharsets.US_ASCII))
                    .startsWith("X-Added: by a rule\r\nReceived: from a\r\n\tby b;")
                    .contains("\r\n\r\n..\r\n...two\r\n..leading dot\r\n");
        }
    }

    @Test
    void crlfInputIsNotDoubled() throws Exception {
        byte[] bytes = "From: a@example.org\r\nSubject: x\r\n\r\nline\r\n.\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.OFF)).handOff(
                    sender("s@example.org"), List.of(recipient("a@example.net")),
                    message(bytes));

            server.awaitEnd();
            assertThat(new String(server.data(), StandardCharsets.US_ASCII))
                    .isEqualTo("From: a@example.org\r\nSubject: x\r\n\r\nline\r\n..\r\n");
        }
    }

    /**
     * What a shutdown hook is told: the relay may have the message only once the end of
     * data was sent; a refusal before DATA, or nothing done yet, means it has not.
     */
    @Test
    void mayHaveSentOnlyFromTheEndOfData() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(), TlsMode.OFF));
            assertThat(handoff.mayHaveSent()).isFalse();
            handoff.handOff(sender("s@example.org"), List.of(recipient("a@example.net")),
                    message(SIMPLE.getBytes(StandardCharsets.US_ASCII)));
            server.awaitEnd();
            assertThat(handoff.mayHaveSent()).isTrue();
        }
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .replyToRecipient("<a@example.net>", "550 5.1.1 no such user").start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(), TlsMode.OFF));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> handoff.handOff(
                    sender("s@example.org"), List.of(recipient("a@example.net")),
                    message(SIMPLE.getBytes(StandardCharsets.US_ASCII))))
                    .isInstanceOf(PermanentFailure.class);
            assertThat(handoff.mayHaveSent()).isFalse();
        }
    }

    @Test
    void partlyRefusedRecipientsSendNothingAndSayWhich() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .replyToRecipient("<b@example.net>", "550 5.1.1 <b@example.net> no such user")
                .replyToRecipient("<c@example.net>", "450 4.2.0 greylisted").start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net"), recipient("b@example.net"),
                            recipient("c@example.net")), SIMPLE);

            server.awaitEnd();
            assertThat(failure).isInstanceOf(PermanentFailure.class);
            assertThat(((PermanentFailure) failure).sysexit()).isEqualTo(76);
            assertThat(failure.status()).hasToString("5.1.1");
            assertThat(failure.reason()).contains("<b@example.net> 550 5.1.1",
                    "<c@example.net> 450 4.2.0 greylisted", "accepted <a@example.net>");
            assertThat(server.commands()).contains("RSET").doesNotContain("DATA");
        }
    }

    @Test
    void onlyTemporaryRefusalsDefer() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .replyToRecipient("<b@example.net>", "452 4.2.2 mailbox full").start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net"), recipient("b@example.net")), SIMPLE);

            assertThat(failure).isInstanceOf(TemporaryFailure.class);
            assertThat(failure.status()).hasToString("4.2.2");
        }
    }

    @Test
    void connectionDroppedMidDataDefers() throws Exception {
        String big = SIMPLE + "x".repeat(200_000) + "\n";
        try (SmtpScriptedServer server = new SmtpScriptedServer().dropAfterDataBytes(1000)
                .start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net")), big);

            assertThat(failure).isInstanceOf(TemporaryFailure.class);
            assertThat(failure.status().toString()).startsWith("4.4.");
        }
    }

    @Test
    void eightBitBodyIsSentWith8bitmime() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            String text = "From: a@example.org\nSubject: x\n\nna\u00efve caf\u00e9\n";
            handOff(server, sender("s@example.org"), List.of(recipient("a@example.net")), text);

            server.awaitEnd();
            assertThat(server.commands()).contains("MAIL FROM:<s@example.org> BODY=8BITMIME");
            assertThat(server.data()).isEqualTo(onTheWire(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void eightBitBodyWithout8bitmimeDefersUnchanged() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().extensions("PIPELINING")
                .start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net")),
                    "From: a@example.org\n\ncaf\u00e9\n");

            server.awaitEnd();
            assertThat(failure).isInstanceOf(TemporaryFailure.class);
            assertThat(failure.status()).hasToString("4.6.3");
            assertThat(failure.reason()).contains("does not offer 8BITMIME");
            assertThat(server.commands()).noneMatch(line -> line.startsWith("MAIL"));
        }
    }

    @Test
    void utf8HeaderIsSentWithSmtputf8() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            handOff(server, sender("s@example.org"), List.of(recipient("a@example.net")),
                    "From: J\u00fcrgen <j@example.org>\nSubject: Gr\u00fc\u00dfe\n\nhi\n");

            server.awaitEnd();
            assertThat(server.commands())
                    .contains("MAIL FROM:<s@example.org> BODY=8BITMIME SMTPUTF8");
        }
    }

    @Test
    void utf8HeaderWithoutSmtputf8Defers() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().extensions("8BITMIME")
                .start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net")), "Subject: Gr\u00fc\u00dfe\n\nhi\n");

            assertThat(failure.status()).hasToString("4.6.9");
            assertThat(failure.reason()).contains("does not offer SMTPUTF8");
        }
    }

    @Test
    void angusWritesNothingToTheLogOnItsOwn() throws Exception {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (SmtpScriptedServer server = new SmtpScriptedServer().extensions("8BITMIME")
                .start()) {
            // A UTF-8 header against a relay without SMTPUTF8 is the case where Angus logs
            // at INFO; on stderr that line would precede our one status line.
            failure(server, sender("s@example.org"), List.of(recipient("a@example.net")),
                    "Subject: Gr\u00fc\u00dfe\n\nhi\n");
        } finally {
            root.removeHandler(capture);
        }

        assertThat(records).extracting(LogRecord::getMessage).isEmpty();
    }

    @Test
    void nonAsciiRecipientNeedsSmtputf8() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            handOff(server, sender("s@example.org"),
                    List.of(recipient("<j\u00f6rg@example.net>")), SIMPLE);

            server.awaitEnd();
            assertThat(server.commands()).contains("MAIL FROM:<s@example.org> SMTPUTF8",
                    "RCPT TO:<j\u00f6rg@example.net>");
        }
        try (SmtpScriptedServer server = new SmtpScriptedServer().extensions("8BITMIME")
                .start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("<j\u00f6rg@example.net>")), SIMPLE);

            assertThat(failure.status()).hasToString("4.6.7");
        }
    }

    @Test
    void bareCarriageReturnDefersWithoutConnecting() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            MailFailure failure = failure(server, sender("s@example.org"),
                    List.of(recipient("a@example.net")), "Subject: x\n\nbare\rcr\n");

            assertThat(failure).isInstanceOf(TemporaryFailure.class);
            assertThat(failure.reason()).contains("bare CR");
            assertThat(server.commands()).isEmpty();
        }
    }

    @Test
    void passwordComesFromTheFileAndNeverShowsInAFailure(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "s3cret-pw\n");
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .extensions("AUTH PLAIN LOGIN", "8BITMIME")
                .reply("auth", "535 5.7.8 authentication failed").start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(),
                    TlsMode.STARTTLS_OPPORTUNISTIC, new Credentials("user", file)));

            assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(SIMPLE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .hasMessageContaining("refused AUTH as user")
                    .hasMessageNotContaining("s3cret-pw")
                    .satisfies(e -> assertThat(((MailFailure) e).status()).hasToString("4.7.8"));
            server.awaitEnd();
            String plain = "\0user\0s3cret-pw";
            String expected = "AUTH PLAIN " + java.util.Base64.getEncoder()
                    .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            assertThat(server.commands()).contains(expected);
        }
    }

    @Test
    void configuredCredentialsWithoutAuthOfferedDefer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "pw");
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(),
                    TlsMode.STARTTLS_OPPORTUNISTIC, new Credentials("user", file)));

            assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(SIMPLE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .hasMessageContaining("does not offer AUTH");
            server.awaitEnd();
            assertThat(server.commands()).noneMatch(line -> line.startsWith("MAIL"));
        }
    }

    @Test
    void missingPasswordFileDefersNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("absent");
        SmtpHandoff handoff = new SmtpHandoff(settings(1, TlsMode.IMPLICIT,
                new Credentials("user", file)));

        assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                List.of(recipient("a@example.net")), message(SIMPLE)))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessage("smtp password_file " + file + ": no such file");
    }

    @Test
    void refusedConnectionDefers() throws Exception {
        int port;
        try (SmtpScriptedServer closed = new SmtpScriptedServer()) {
            port = closed.port();
        }
        SmtpHandoff handoff = new SmtpHandoff(settings(port, TlsMode.OFF));

        assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                List.of(recipient("a@example.net")), message(SIMPLE)))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessageStartingWith("connect to 127.0.0.1:" + port)
                .satisfies(e -> assertThat(((MailFailure) e).status()).hasToString("4.4.1"));
    }

    @Test
    void silentServerTimesOutAndDefers() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().silent().start()) {
            SmtpSettings quick = new SmtpSettings("127.0.0.1", server.port(), TlsMode.OFF,
                    Optional.empty(), Optional.of("client.test"), Duration.ofSeconds(5),
                    Duration.ofSeconds(1));

            assertThatThrownBy(() -> new SmtpHandoff(quick).handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(SIMPLE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .hasMessageContaining("timeout")
                    .satisfies(e -> assertThat(((MailFailure) e).status()).hasToString("4.4.2"));
        }
    }

    @Test
    void describeShowsTheEnvelopeAndConnectsNowhere() {
        SmtpHandoff handoff = new SmtpHandoff(settings(2525, TlsMode.STARTTLS_REQUIRED));

        assertThat(handoff.relay()).isEqualTo("smtp:127.0.0.1:2525");
        assertThat(handoff.describe(EnvelopeSender.NULL, List.of(recipient("a@example.net"),
                recipient("<\"x y\"@example.net>")))).containsExactly(
                "connect 127.0.0.1:2525 tls=starttls-required", "MAIL FROM:<>",
                "RCPT TO:<a@example.net>", "RCPT TO:<\"x y\"@example.net>");
    }

    private static void handOff(SmtpScriptedServer server, EnvelopeSender sender,
            List<Recipient> recipients, String text) throws Exception {
        new SmtpHandoff(settings(server.port(), TlsMode.OFF))
                .handOff(sender, recipients, message(text));
    }

    private static MailFailure failure(SmtpScriptedServer server, EnvelopeSender sender,
            List<Recipient> recipients, String text) throws Exception {
        try {
            handOff(server, sender, recipients, text);
        } catch (MailFailure failure) {
            return failure;
        }
        throw new AssertionError("the hand-off succeeded");
    }
}
