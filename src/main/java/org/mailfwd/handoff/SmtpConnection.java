package org.mailfwd.handoff;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP client with its protocol steps opened up, so that we say every command
 * of the transaction ourselves: Angus connects, reads the greeting, says EHLO, STARTTLS and
 * AUTH; MAIL, RCPT and DATA are ours, with the exact text we choose.
 *
 * <p>{@code sendMessage} is never used: it takes MAIL FROM from the From: header when the
 * envelope sender is empty, and it would write the message through MimeMessage. The DATA
 * stream here is Angus's dot-stuffing stream, which also turns every line end into CRLF.
 */
final class SmtpConnection extends SMTPTransport {
    /**
     * Angus names its logger after the package of the transport's class, which is ours. Its
     * one INFO message would reach stderr, where the MTA expects a single status line, so
     * this logger says only warnings and worse. The field keeps the logger (and so its
     * level) alive: java.util.logging holds loggers weakly.
     */
    private static final Logger ANGUS_LOGGER = quietLogger();

    private static final Set<String> VERBS = Set.of("EHLO", "HELO", "STARTTLS", "AUTH", "MAIL",
            "RCPT", "DATA", "RSET", "QUIT", "NOOP");

    /** The verb of the last command sent, to tell which stage a failed connect was at. */
    private String lastVerb = "";

    SmtpConnection(Session session, String protocol, boolean implicitTls) {
        super(session, null, protocol, implicitTls);
    }

    /** Sends one command line and returns the reply; code -1 when none came. */
    synchronized SmtpReply command(String line) throws MessagingException {
        int code = simpleCommand(line);
        return SmtpReply.of(code, getLastServerResponse());
    }

    /**
     * Says DATA and returns the stream for the message, or throws with the reply.
     *
     * @throws MessagingException an {@code SMTPSendFailedException} carrying the reply
     *     when the server did not answer 354
     */
    synchronized OutputStream openData() throws MessagingException {
        return data();
    }

    /** Ends the data with CRLF.CRLF (a CRLF first if the last line had none). */
    synchronized void endData() throws IOException, MessagingException {
        finishData();
    }

    synchronized SmtpReply lastReply() {
        return SmtpReply.of(getLastReturnCode(), getLastServerResponse());
    }

    /**
     * Records the verb only, and only a known one: an AUTH line and the lines of an AUTH
     * LOGIN exchange carry the credentials and are never kept.
     */
    @Override
    protected void sendCommand(String command) throws MessagingException {
        int space = command.indexOf(' ');
        String verb = (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
        if (VERBS.contains(verb)) {
            lastVerb = verb;
        }
        super.sendCommand(command);
    }

    private static Logger quietLogger() {
        Logger logger = Logger.getLogger(SmtpConnection.class.getPackageName());
        logger.setLevel(Level.WARNING);
        return logger;
    }

    synchronized String lastVerb() {
        return lastVerb;
    }
}
