package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.handoff.SmtpTestSupport.message;
import static org.mailfwd.handoff.SmtpTestSupport.recipient;
import static org.mailfwd.handoff.SmtpTestSupport.sender;
import static org.mailfwd.handoff.SmtpTestSupport.settings;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.handoff.SmtpSettings.Credentials;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.status.TemporaryFailure;

/**
 * A real SMTP server (GreenMail) on 127.0.0.1 and a free port, with AUTH.
 *
 * <p>GreenMail 2.1 answers {@code MAIL FROM:<>} with 250 but then refuses every RCPT with
 * "503 MAIL must come before RCPT": it has no null reverse-path. The null sender is
 * therefore proven on the wire against {@link SmtpScriptedServer} (see SmtpHandoffTest).
 */
class SmtpGreenMailTest {
    private static final String MESSAGE = "From: Author <author@example.org>\n"
            + "To: a@example.net\nSubject: round trip\nMessage-ID: <1@example.org>\n\n"
            + "first line\n.dot line\nlast line\n";

    private GreenMail greenMail;

    @BeforeEach
    void startServer() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
                .dynamicPort());
        greenMail.setUser("user@example.net", "user", "right-password");
        greenMail.start();
    }

    @AfterEach
    void stopServer() {
        greenMail.stop();
    }

    @Test
    void messageArrivesForEveryRecipient() throws Exception {
        handoff().handOff(sender("s@example.org"), List.of(recipient("a@example.net"),
                recipient("b@example.com")), message(MESSAGE));

        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        for (MimeMessage message : received) {
            assertThat(message.getHeader("Return-Path")).containsExactly("<s@example.org>");
            // GreenMailUtil.getBody drops the final line end.
            assertThat(body(message)).isEqualTo("first line\r\n.dot line\r\nlast line");
        }
    }

    @Test
    void authWithThePasswordFileDelivers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "right-password\n");
        new SmtpHandoff(settings(greenMail.getSmtp().getPort(), TlsMode.STARTTLS_OPPORTUNISTIC,
                new Credentials("user", file))).handOff(sender("s@example.org"),
                List.of(recipient("a@example.net")), message(MESSAGE));

        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void wrongPasswordDefers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "wrong-password\n");
        SmtpHandoff handoff = new SmtpHandoff(settings(greenMail.getSmtp().getPort(),
                TlsMode.STARTTLS_OPPORTUNISTIC, new Credentials("user", file)));

        assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                List.of(recipient("a@example.net")), message(MESSAGE)))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessageContaining("refused AUTH as user")
                .hasMessageNotContaining("wrong-password");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    private SmtpHandoff handoff() {
        return new SmtpHandoff(settings(greenMail.getSmtp().getPort(), TlsMode.OFF));
    }

    private static String body(MimeMessage message) throws Exception {
        return com.icegreen.greenmail.util.GreenMailUtil.getBody(message);
    }
}
