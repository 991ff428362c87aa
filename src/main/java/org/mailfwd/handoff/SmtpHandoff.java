package org.mailfwd.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * Submits to an SMTP relay: MAIL FROM with the resolved envelope sender ({@code <>} for the
 * null sender), one RCPT TO per recipient, and DATA with exactly the bytes the sendmail
 * hand-off would pass, apart from CRLF line ends and dot-stuffing.
 *
 * <p>Failures: no connection, TLS or AUTH trouble, a timeout, any 4xx, and anything our own
 * client got wrong are temporary; a 5xx refusal of a recipient or of the message is
 * permanent (sysexit 76) and keeps the relay's enhanced status and text for the bounce.
 *
 * <p>This class and {@link SmtpSettings} do not touch Jakarta Mail; {@link SmtpTransaction}
 * does, and it is loaded only when a message is actually handed off, so a dry run and every
 * sendmail run stay free of its start-up cost.
 */
public final class SmtpHandoff implements Handoff {
    /** A password file is one line; anything bigger is the wrong file. */
    private static final long MAX_PASSWORD_FILE = 4096;

    private final SmtpSettings settings;
    private final Optional<SSLSocketFactory> tlsSockets;
    /** The transaction under way, for {@link #mayHaveSent} from a shutdown hook. */
    private volatile SmtpTransaction current;

    public SmtpHandoff(SmtpSettings settings) {
        this(settings, Optional.empty());
    }

    /**
     * @param tlsSockets replaces the JDK's default TLS socket factory (and so its trust
     *     store); only tests use it, to trust a certificate they made
     */
    SmtpHandoff(SmtpSettings settings, Optional<SSLSocketFactory> tlsSockets) {
        this.settings = settings;
        this.tlsSockets = tlsSockets;
    }

    public SmtpSettings settings() {
        return settings;
    }

    @Override
    public String relay() {
        return settings.relay();
    }

    /** The SMTP envelope as it would be sent; connects to nothing. */
    @Override
    public List<String> describe(EnvelopeSender sender, List<Recipient> recipients) {
        List<String> lines = new ArrayList<>();
        lines.add("connect " + settings.host() + ":" + settings.port()
                + " tls=" + settings.tls().word()
                + settings.credentials().map(c -> " auth=" + c.username()).orElse(""));
        lines.add("MAIL FROM:" + sender.reversePath());
        for (Recipient recipient : recipients) {
            lines.add("RCPT TO:" + recipient.forwardPath());
        }
        return lines;
    }

    @Override
    public void handOff(EnvelopeSender sender, List<Recipient> recipients,
            ForwardedMessage message) {
        SmtpMessageScan scan = scan(message);
        if (scan.bareCr()) {
            throw new TemporaryFailure(new EnhancedStatus(4, 6, 0), "message contains a bare "
                    + "CR, which SMTP cannot carry unchanged (RFC 5321 section 2.3.8); "
                    + "use the sendmail hand-off for it");
        }
        Optional<String> password = settings.credentials().map(c -> password(c.passwordFile()));
        SmtpTransaction transaction = new SmtpTransaction(settings, password, tlsSockets);
        current = transaction;
        transaction.send(sender, recipients, message, scan);
    }

    /** Once the end of data is sent, the relay may have accepted the message. */
    @Override
    public boolean mayHaveSent() {
        SmtpTransaction transaction = current;
        return transaction != null && transaction.endOfDataSent();
    }

    private static SmtpMessageScan scan(ForwardedMessage message) {
        try (InputStream in = message.openStream()) {
            return SmtpMessageScan.of(in);
        } catch (IOException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "read message for SMTP: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the password at hand-off, so it lives in memory only as long as needed. Errors
     * name the file, never its content. One trailing line end is not part of the password.
     */
    static String password(Path file) {
        try {
            if (Files.size(file) > MAX_PASSWORD_FILE) {
                throw passwordProblem(file, "larger than 4 KiB, not a password file");
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
            }
            if (text.isEmpty() || text.contains("\n") || text.contains("\r")) {
                throw passwordProblem(file, text.isEmpty() ? "empty" : "more than one line");
            }
            return text;
        } catch (NoSuchFileException e) {
            throw passwordProblem(file, "no such file");
        } catch (CharacterCodingException e) {
            throw passwordProblem(file, "not UTF-8 text");
        } catch (IOException e) {
            throw passwordProblem(file, e.getClass().getSimpleName());
        }
    }

    private static TemporaryFailure passwordProblem(Path file, String what) {
        return new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                "smtp password_file " + file + ": " + what);
    }
}
