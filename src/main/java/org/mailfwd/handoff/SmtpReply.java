package org.mailfwd.handoff;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;
import org.mailfwd.status.TemporaryFailure;
import org.mailfwd.text.Printable;

/**
 * One SMTP reply (RFC 5321 section 4.2): the three-digit code and the text, and what a
 * refusal means for the message. Code -1 stands for no reply at all (the connection closed
 * or the reply was not SMTP).
 *
 * <p>Only a refusal of the recipient or of the message itself bounces: a 5xx reply to RCPT,
 * DATA or the final dot. Even there, the codes that blame our client rather than the mail
 * (500-504 syntax and sequence errors, 530 authentication required, 555 unknown parameters)
 * defer, because the message is not at fault and a fixed configuration will deliver it.
 */
record SmtpReply(int code, String text) {
    /** sysexits(3) EX_PROTOCOL: every MTA bounces on it. */
    static final int EX_PROTOCOL = 76;

    /** RFC 3463 / RFC 2034: the enhanced code after the reply code, e.g. 550 5.1.1. */
    private static final Pattern ENHANCED =
            Pattern.compile("^[245]\\d\\d[ -]([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    /** The stage of the SMTP dialogue that a reply answers, for the reason text. */
    enum Stage {
        GREETING("greeting"), EHLO("EHLO"), STARTTLS("STARTTLS"), AUTH("AUTH"),
        MAIL("MAIL FROM"), RCPT("RCPT TO"), DATA("DATA"), END_OF_DATA("end of data");

        private final String words;

        Stage(String words) {
            this.words = words;
        }

        String words() {
            return words;
        }

        /** Only these stages judge the recipient or the message (RFC 5321 section 4.2.5). */
        boolean judgesMessage() {
            return this == RCPT || this == DATA || this == END_OF_DATA;
        }
    }

    static SmtpReply of(int code, String response) {
        String text = response == null ? "" : response.strip();
        return new SmtpReply(code, text.isEmpty() ? "[no reply]" : text);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean permanentForMessage(Stage stage) {
        return stage.judgesMessage() && code >= 500 && code < 600
                && !(code >= 500 && code <= 504 || code == 530 || code == 555);
    }

    /**
     * The enhanced status the server gave, else one derived from the reply class. A code of
     * the wrong class (a "550 4.2.2") is believed less than the reply code: the class digit
     * is taken from the reply code.
     */
    EnhancedStatus enhancedStatus(int statusClass) {
        Matcher m = ENHANCED.matcher(text);
        if (m.find()) {
            return new EnhancedStatus(statusClass, Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        }
        return new EnhancedStatus(statusClass, 0, 0);
    }

    /** The server's text on one line, multi-line replies joined, cut to a log line's length. */
    String display() {
        return Printable.of(text.replaceAll("\\s*\\n\\s*", " / "), 200);
    }

    /** The failure this refusal means at this stage; the reason quotes the server. */
    MailFailure failure(Stage stage, String relay) {
        String reason = relay + " refused " + stage.words() + ": " + display();
        if (permanentForMessage(stage)) {
            return new PermanentFailure(enhancedStatus(5), EX_PROTOCOL, reason);
        }
        return new TemporaryFailure(enhancedStatus(4), reason);
    }
}
