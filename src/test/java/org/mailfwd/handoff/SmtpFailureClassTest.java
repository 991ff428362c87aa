package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.handoff.SmtpTestSupport.message;
import static org.mailfwd.handoff.SmtpTestSupport.recipient;
import static org.mailfwd.handoff.SmtpTestSupport.sender;
import static org.mailfwd.handoff.SmtpTestSupport.settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.handoff.SmtpSettings.Credentials;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;

/**
 * A refusal at every stage of the dialogue, and the failure class it must give: only a 5xx
 * about the recipient or the message bounces; everything else, including every 5xx that
 * blames our client, waits in the MTA's queue.
 */
class SmtpFailureClassTest {
    private static final String MESSAGE = "From: a@example.org\nSubject: x\n\nbody\n";

    @ParameterizedTest(name = "{0}: {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            greeting | 554 5.7.1 no service here              | temporary | 4.7.1
            greeting | 421 4.3.2 shutting down                | temporary | 4.3.2
            ehlo     | 550 5.7.1 go away                      | temporary | 4.7.1
            starttls | 454 4.7.0 TLS not available now        | temporary | 4.7.0
            auth     | 535 5.7.8 authentication failed        | temporary | 4.7.8
            auth     | 454 4.7.0 temporary auth failure       | temporary | 4.7.8
            mail     | 451 4.3.0 try again later              | temporary | 4.3.0
            mail     | 550 5.7.1 sender refused by policy     | temporary | 4.7.1
            mail     | 501 5.1.7 bad sender address syntax    | temporary | 4.1.7
            mail     | 553 5.1.3 bad address                  | temporary | 4.1.7
            mail     | 555 5.5.4 unsupported parameter        | temporary | 4.1.7
            rcpt     | 550 5.1.1 no such user                 | permanent | 5.1.1
            rcpt     | 554 relay access denied                | permanent | 5.0.0
            rcpt     | 450 4.2.0 greylisted                   | temporary | 4.2.0
            rcpt     | 530 5.7.0 authentication required      | temporary | 4.7.0
            rcpt     | 503 5.5.1 bad sequence of commands     | temporary | 4.5.1
            data     | 554 5.5.1 no valid recipients          | permanent | 5.5.1
            data     | 451 4.3.0 local problem                | temporary | 4.3.0
            end      | 552 5.3.4 message too big              | permanent | 5.3.4
            end      | 550 5.7.1 spam refused                 | permanent | 5.7.1
            end      | 451 4.7.1 try later                    | temporary | 4.7.1
            """)
    void refusalAtEachStageHasTheRightClass(String stage, String reply, String expectedClass,
            String expectedStatus, @TempDir Path dir) throws Exception {
        Path password = dir.resolve("password");
        Files.writeString(password, "pw\n");
        SmtpScriptedServer server = new SmtpScriptedServer().reply(stage, reply);
        if (stage.equals("ehlo")) {
            server.reply("helo", reply);
        }
        if (stage.equals("starttls")) {
            server.extensions("STARTTLS", "8BITMIME");
        }
        if (stage.equals("auth")) {
            server.extensions("AUTH PLAIN LOGIN", "8BITMIME");
        }
        try (server) {
            server.start();
            SmtpSettings settings = switch (stage) {
                case "starttls" -> settings(server.port(), TlsMode.STARTTLS_REQUIRED);
                case "auth" -> settings(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC,
                        new Credentials("user", password));
                default -> settings(server.port(), TlsMode.OFF);
            };
            MailFailure failure = null;
            try {
                new SmtpHandoff(settings).handOff(sender("s@example.org"),
                        List.of(recipient("a@example.net")), message(MESSAGE));
            } catch (MailFailure caught) {
                failure = caught;
            }

            assertThat(failure).as("hand-off result").isNotNull();
            assertThat(failure instanceof PermanentFailure ? "permanent" : "temporary")
                    .as(failure.reason()).isEqualTo(expectedClass);
            assertThat(failure.status()).hasToString(expectedStatus);
            if (failure instanceof PermanentFailure permanent) {
                assertThat(permanent.sysexit()).isEqualTo(76);
                assertThat(failure.reason()).contains(reply);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            501 | 501 5.1.7 syntax error in sender
            553 | 553 5.1.3 sender address rejected: not a valid address
            555 | 555 5.5.2 syntax error
            """)
    void malformedSenderRepliesNameOurFaultNeverTheSenders(String code, String reply)
            throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().reply("mail", reply)
                .start()) {
            MailFailure failure = null;
            try {
                new SmtpHandoff(settings(server.port(), TlsMode.OFF)).handOff(
                        sender("s@example.org"), List.of(recipient("a@example.net")),
                        message(MESSAGE));
            } catch (MailFailure caught) {
                failure = caught;
            }

            assertThat(failure).isNotNull();
            assertThat(failure.status()).hasToString("4.1.7");
            assertThat(failure.reason()).startsWith("our MAIL FROM:<s@example.org> was refused"
                    + " as malformed by 127.0.0.1:").contains("mailfwd fault", reply);
        }
    }
}
