package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.handoff.SmtpTestSupport.message;
import static org.mailfwd.handoff.SmtpTestSupport.recipient;
import static org.mailfwd.handoff.SmtpTestSupport.sender;
import static org.mailfwd.handoff.SmtpTestSupport.settings;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.TemporaryFailure;

/**
 * TLS against a certificate made in the test: trusted only when the test says so, never by
 * the JDK's own trust store, so that "required" really refuses an unknown server.
 */
class SmtpTlsTest {
    private static final String MESSAGE = "From: a@example.org\nSubject: x\n\nbody\n";

    @Test
    void requiredStarttlsWithUntrustedCertificateDefers() throws Exception {
        SmtpTestCertificate certificate = SmtpTestCertificate.get();
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .tls(certificate.serverContext(), false).start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(),
                    TlsMode.STARTTLS_REQUIRED));

            assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(MESSAGE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .hasMessageStartingWith("TLS with 127.0.0.1:" + server.port() + " failed")
                    .satisfies(e -> assertThat(((MailFailure) e).status()).hasToString("4.7.5"));
            server.awaitEnd();
            assertThat(server.commands()).noneMatch(line -> line.startsWith("MAIL"));
        }
    }

    @Test
    void requiredStarttlsNotOfferedDefers() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(),
                    TlsMode.STARTTLS_REQUIRED));

            assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(MESSAGE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .hasMessageContaining("does not offer STARTTLS");
        }
    }

    @Test
    void opportunisticStarttlsSendsInClearWhenNotOffered() throws Exception {
        try (SmtpScriptedServer server = new SmtpScriptedServer().start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.STARTTLS_OPPORTUNISTIC)).handOff(
                    sender("s@example.org"), List.of(recipient("a@example.net")),
                    message(MESSAGE));

            server.awaitEnd();
            assertThat(server.commands()).doesNotContain("STARTTLS").contains("DATA");
        }
    }

    @Test
    void trustedStarttlsDeliversAfterTheUpgrade() throws Exception {
        SmtpTestCertificate certificate = SmtpTestCertificate.get();
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .tls(certificate.serverContext(), false).start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.STARTTLS_REQUIRED),
                    Optional.of(certificate.trustingClient())).handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(MESSAGE));

            server.awaitEnd();
            assertThat(server.commands()).containsSubsequence("EHLO client.test", "STARTTLS",
                    "EHLO client.test", "MAIL FROM:<s@example.org>", "DATA");
        }
    }

    @Test
    void implicitTlsDeliversWhenTrusted() throws Exception {
        SmtpTestCertificate certificate = SmtpTestCertificate.get();
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .tls(certificate.serverContext(), true).start()) {
            new SmtpHandoff(settings(server.port(), TlsMode.IMPLICIT),
                    Optional.of(certificate.trustingClient())).handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(MESSAGE));

            server.awaitEnd();
            assertThat(server.commands()).contains("MAIL FROM:<s@example.org>", "DATA");
        }
    }

    @Test
    void implicitTlsWithUntrustedCertificateDefers() throws Exception {
        SmtpTestCertificate certificate = SmtpTestCertificate.get();
        try (SmtpScriptedServer server = new SmtpScriptedServer()
                .tls(certificate.serverContext(), true).start()) {
            SmtpHandoff handoff = new SmtpHandoff(settings(server.port(), TlsMode.IMPLICIT));

            assertThatThrownBy(() -> handoff.handOff(sender("s@example.org"),
                    List.of(recipient("a@example.net")), message(MESSAGE)))
                    .isInstanceOf(TemporaryFailure.class)
                    .satisfies(e -> assertThat(((MailFailure) e).status()).hasToString("4.7.5"));
        }
    }
}
