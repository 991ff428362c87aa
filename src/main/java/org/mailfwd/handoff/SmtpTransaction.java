package org.mailfwd.handoff;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.handoff.SmtpReply.Stage;
import org.mailfwd.handoff.SmtpSettings.TlsMode;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;
import org.mailfwd.status.TemporaryFailure;
import org.mailfwd.text.Printable;

/**
 * One SMTP transaction through Angus Mail: connect, MAIL FROM, one RCPT TO per recipient,
 * DATA with the message bytes, QUIT. This is the only class besides {@link SmtpConnection}
 * that touches Jakarta Mail, and {@link SmtpHandoff} creates it only at hand-off, so a run
 * that uses sendmail never loads those classes.
 *
 * <p>DATA is sent only when every recipient was accepted: one exit status has to be true
 * for all of them. Had we sent to the accepted ones and then deferred, the MTA's retry would
 * deliver to them twice; had we sent and then bounced, the bounce would claim a failure that
 * some recipients never saw.
 */
final class SmtpTransaction {
    private static final EnhancedStatus NO_ANSWER = new EnhancedStatus(4, 4, 1);
    private static final EnhancedStatus BAD_CONNECTION = new EnhancedStatus(4, 4, 2);
    private static final EnhancedStatus SECURITY = new EnhancedStatus(4, 7, 0);
    private static final EnhancedStatus TLS_FAILED = new EnhancedStatus(4, 7, 5);
    private static final EnhancedStatus AUTH_FAILED = new EnhancedStatus(4, 7, 8);
    /** RFC 6531 section 3.5: non-ASCII address, relay without SMTPUTF8. */
    private static final EnhancedStatus NEEDS_UTF8_ADDRESS = new EnhancedStatus(4, 6, 7);
    /** RFC 6531 section 3.5: UTF-8 header, relay without SMTPUTF8. */
    private static final EnhancedStatus NEEDS_UTF8_HEADER = new EnhancedStatus(4, 6, 9);
    /** RFC 3463: conversion required but not supported. */
    private static final EnhancedStatus NEEDS_8BIT = new EnhancedStatus(4, 6, 3);

    private final SmtpSettings settings;
    private final Optional<String> password;
    private final Optional<SSLSocketFactory> tlsSockets;
    private final String relay;
    private volatile boolean endOfDataSent;

    SmtpTransaction(SmtpSettings settings, Optional<String> password,
            Optional<SSLSocketFactory> tlsSockets) {
        this.settings = settings;
        this.password = password;
        this.tlsSockets = tlsSockets;
        this.relay = settings.host() + ":" + settings.port();
    }

    void send(EnvelopeSender sender, List<Recipient> recipients, ForwardedMessage message,
            SmtpMessageScan scan) {
        boolean utf8Envelope = !ascii(sender.address())
                || recipients.stream().anyMatch(r -> !ascii(r.address()));
        SmtpConnection connection = connect(utf8Envelope || scan.eightBitHeader());
        try {
            List<String> parameters = parameters(connection, utf8Envelope, scan);
            mailFrom(connection, sender, parameters);
            recipients(connection, recipients);
            data(connection, message);
        } catch (MessagingException e) {
            throw lost(e, connection.lastVerb());
        } finally {
            quit(connection);
        }
    }

    private SmtpConnection connect(boolean utf8) {
        boolean implicit = settings.tls() == TlsMode.IMPLICIT;
        String protocol = implicit ? "smtps" : "smtp";
        SmtpConnection connection = new SmtpConnection(
                Session.getInstance(properties("mail." + protocol, utf8)), protocol, implicit);
        try {
            connection.connect(settings.host(), settings.port(),
                    settings.credentials().map(SmtpSettings.Credentials::username).orElse(null),
                    password.orElse(null));
        } catch (MessagingException e) {
            throw connectFailure(e, connection);
        }
        if (settings.credentials().isPresent() && !connection.supportsExtension("AUTH")) {
            quit(connection);
            throw new TemporaryFailure(SECURITY, relay + " does not offer AUTH after EHLO, "
                    + "and a username is configured: not sending without logging in");
        }
        return connection;
    }

    private Properties properties(String prefix, boolean utf8) {
        Properties properties = new Properties();
        properties.put(prefix + ".host", settings.host());
        properties.put(prefix + ".port", Integer.toString(settings.port()));
        properties.put(prefix + ".connectiontimeout",
                Long.toString(settings.connectTimeout().toMillis()));
        properties.put(prefix + ".timeout", Long.toString(settings.readTimeout().toMillis()));
        properties.put(prefix + ".writetimeout", Long.toString(settings.readTimeout().toMillis()));
        boolean starttls = settings.tls() == TlsMode.STARTTLS_REQUIRED
                || settings.tls() == TlsMode.STARTTLS_OPPORTUNISTIC;
        properties.put(prefix + ".starttls.enable", Boolean.toString(starttls));
        properties.put(prefix + ".starttls.required",
                Boolean.toString(settings.tls() == TlsMode.STARTTLS_REQUIRED));
        // The certificate must chain to the JDK's trust store and name the host.
        properties.put(prefix + ".ssl.checkserveridentity", "true");
        tlsSockets.ifPresent(factory -> properties.put(prefix + ".ssl.socketFactory", factory));
        // A QUIT after a failure mid-DATA would wait for a reply that never comes.
        properties.put(prefix + ".quitwait", "false");
        properties.put(prefix + ".auth", Boolean.toString(settings.credentials().isPresent()));
        properties.put(prefix + ".auth.mechanisms", "PLAIN LOGIN");
        settings.heloName().ifPresent(name -> properties.put(prefix + ".localhost", name));
        // AUTH PLAIN with an empty authorization identity, as most clients send it.
        properties.put(prefix + ".sasl.authorizationid", "");
        // Lets commands carry UTF-8; they do so only after the relay offered SMTPUTF8.
        properties.put("mail.mime.allowutf8", Boolean.toString(utf8));
        return properties;
    }

    /** BODY=8BITMIME and SMTPUTF8 when the message needs them, or a deferral if not offered. */
    private List<String> parameters(SmtpConnection connection, boolean utf8Envelope,
            SmtpMessageScan scan) {
        boolean utf8 = connection.supportsExtension("SMTPUTF8");
        if (utf8Envelope && !utf8) {
            throw new TemporaryFailure(NEEDS_UTF8_ADDRESS, relay + " does not offer SMTPUTF8, "
                    + "which the non-ASCII envelope address needs");
        }
        if (scan.eightBitHeader() && !utf8) {
            throw new TemporaryFailure(NEEDS_UTF8_HEADER, relay + " does not offer SMTPUTF8, "
                    + "which the 8-bit bytes in the header need; not converting the message");
        }
        if (scan.eightBit() && !connection.supportsExtension("8BITMIME")) {
            throw new TemporaryFailure(NEEDS_8BIT, relay + " does not offer 8BITMIME, which "
                    + "the 8-bit bytes in the message need; not converting the message");
        }
        List<String> parameters = new ArrayList<>();
        if (scan.eightBit()) {
            parameters.add("BODY=8BITMIME");
        }
        // RFC 6532 allows raw 8-bit header bytes only as UTF-8 under SMTPUTF8. A legacy
        // Latin-1 header gets the same flag: no SMTP extension describes it better, and
        // converting it would break the bytes (and any signature over them).
        if (utf8Envelope || scan.eightBitHeader()) {
            parameters.add("SMTPUTF8");
        }
        return parameters;
    }

    /**
     * RFC 5321 section 4.1.1.2. The reverse-path is written by us, never by Angus, so the
     * null sender goes out as {@code <>}. A 501, 553 or 555 here means the relay could not
     * parse what we wrote: that is our bug, never the sender's, so the message waits.
     *
     * <p>TODO(#6): no SIZE parameter (RFC 1870), so a relay refuses an oversized message
     * only after all of it was sent.
     */
    private void mailFrom(SmtpConnection connection, EnvelopeSender sender,
            List<String> parameters) throws MessagingException {
        StringBuilder command = new StringBuilder("MAIL FROM:").append(sender.reversePath());
        parameters.forEach(parameter -> command.append(' ').append(parameter));
        SmtpReply reply = connection.command(command.toString());
        if (reply.positive()) {
            return;
        }
        if (reply.code() == 501 || reply.code() == 553 || reply.code() == 555) {
            throw new TemporaryFailure(EnhancedStatus.BAD_SENDER, "our MAIL FROM:"
                    + Printable.of(sender.reversePath()) + " was refused as malformed by "
                    + relay + " (a mailfwd fault, not the sender's; the message waits): "
                    + reply.display());
        }
        throw failure(reply, Stage.MAIL);
    }

    /**
     * One RCPT TO each; any refusal stops the transaction before DATA (see class doc).
     *
     * <p>TODO(#6): a relay's recipient limit (RFC 5321 section 4.5.3.1.8 asks for at least
     * 100) answers 452 to the recipients past it; we defer them all instead of sending the
     * rest in a second transaction, so a forward list over the limit never gets through.
     */
    private void recipients(SmtpConnection connection, List<Recipient> recipients)
            throws MessagingException {
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        MailFailure worst = null;
        for (Recipient recipient : recipients) {
            SmtpReply reply = connection.command("RCPT TO:" + recipient.forwardPath());
            if (reply.positive()) {
                accepted.add(recipient.forwardPath());
                continue;
            }
            MailFailure failure = reply.failure(Stage.RCPT, relay);
            refused.add(recipient.forwardPath() + " " + reply.display());
            if (worst == null || worst instanceof TemporaryFailure
                    && !(failure instanceof TemporaryFailure)) {
                worst = failure;
            }
        }
        if (worst == null) {
            return;
        }
        connection.command("RSET");
        throw refusal(worst, refused, accepted);
    }

    /** The worst refusal's class and status, with every recipient's fate in the reason. */
    private MailFailure refusal(MailFailure worst, List<String> refused, List<String> accepted) {
        String reason = relay + " refused RCPT TO " + String.join("; ", refused)
                + (accepted.isEmpty() ? "" : "; accepted " + String.join(" ", accepted)
                        + " but sent to no one, so that one status holds for all");
        if (worst instanceof PermanentFailure permanent) {
            return new PermanentFailure(permanent.status(), permanent.sysexit(), reason);
        }
        return new TemporaryFailure(worst.status(), reason);
    }

    /** From the end of data on, the relay may have taken the message (see Handoff). */
    boolean endOfDataSent() {
        return endOfDataSent;
    }

    private void data(SmtpConnection connection, ForwardedMessage message)
            throws MessagingException {
        OutputStream data;
        try {
            data = connection.openData();
        } catch (SMTPSendFailedException e) {
            throw failure(connection.lastReply(), Stage.DATA);
        }
        try (InputStream in = message.openStream()) {
            in.transferTo(data);
        } catch (IOException e) {
            throw new TemporaryFailure(BAD_CONNECTION, "sending the message to " + relay
                    + " failed: " + describe(e), e);
        }
        try {
            endOfDataSent = true;
            connection.endData();
        } catch (SMTPSendFailedException e) {
            throw failure(connection.lastReply(), Stage.END_OF_DATA);
        } catch (IOException e) {
            throw new TemporaryFailure(BAD_CONNECTION, "connection to " + relay
                    + " lost at the end of the message: " + describe(e), e);
        }
    }

    /** A reply of -1 is no reply: the connection closed, which only ever defers. */
    private MailFailure failure(SmtpReply reply, Stage stage) {
        if (reply.code() < 0) {
            return new TemporaryFailure(BAD_CONNECTION, relay + " closed the connection after "
                    + stage.words() + " without a valid reply: " + reply.display());
        }
        return reply.failure(stage, relay);
    }

    private MailFailure connectFailure(MessagingException e, SmtpConnection connection) {
        String verb = connection.lastVerb();
        if (e instanceof AuthenticationFailedException) {
            return new TemporaryFailure(AUTH_FAILED, relay + " refused AUTH as "
                    + settings.credentials().orElseThrow().username() + ": "
                    + Printable.of(String.valueOf(e.getMessage()).strip(), 200));
        }
        Optional<Throwable> tls = cause(e, SSLException.class);
        if (tls.isPresent() || cause(e, java.security.cert.CertificateException.class)
                .isPresent()) {
            return new TemporaryFailure(TLS_FAILED, "TLS with " + relay + " failed: "
                    + describe(tls.orElse(e)), e);
        }
        if (String.valueOf(e.getMessage()).startsWith("STARTTLS is required")) {
            return new TemporaryFailure(SECURITY, relay + " does not offer STARTTLS, "
                    + "and tls: starttls-required is set");
        }
        if (cause(e, SocketTimeoutException.class).isPresent()) {
            return new TemporaryFailure(BAD_CONNECTION, "timeout talking to " + relay
                    + (verb.isEmpty() ? "" : " after " + verb) + ": " + describe(e), e);
        }
        if (cause(e, ConnectException.class).isPresent()
                || cause(e, UnknownHostException.class).isPresent()) {
            return new TemporaryFailure(NO_ANSWER, "connect to " + relay + ": " + describe(e), e);
        }
        SmtpReply reply = connection.lastReply();
        if (reply.code() >= 400) {
            Stage stage = switch (verb) {
                case "" -> Stage.GREETING;
                case "STARTTLS" -> Stage.STARTTLS;
                case "AUTH" -> Stage.AUTH;
                default -> Stage.EHLO;
            };
            return reply.failure(stage, relay);
        }
        return new TemporaryFailure(BAD_CONNECTION, "session with " + relay + " failed"
                + (verb.isEmpty() ? "" : " after " + verb) + ": " + describe(e), e);
    }

    /** Anything thrown past the protocol steps: the connection broke. */
    private TemporaryFailure lost(MessagingException e, String verb) {
        String what = cause(e, SocketTimeoutException.class).isPresent() ? "timeout" : "failure";
        return new TemporaryFailure(BAD_CONNECTION, "connection " + what + " with " + relay
                + " after " + verb + ": " + describe(e), e);
    }

    private static void quit(SmtpConnection connection) {
        try {
            connection.close();
        } catch (MessagingException ignored) {
            // QUIT is a courtesy; the outcome was settled before it.
        }
    }

    private static Optional<Throwable> cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The innermost message, which names the real cause ("Connection refused"). */
    private static String describe(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null) {
            inner = inner.getCause();
        }
        String text = inner.getMessage() == null ? inner.getClass().getSimpleName()
                : inner.getMessage();
        return Printable.of(text.strip(), 200);
    }

    private static boolean ascii(String text) {
        return StandardCharsets.US_ASCII.newEncoder().canEncode(text);
    }
}
