package org.mailfwd.delivery;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mailfwd.status.DeliveryStatus;

/**
 * The MTA that runs us, which decides how an outcome is told: qmail reads 0/100/111
 * (qmail-command(8)); Postfix, Exim and sendmail read sysexits(3), retrying on 75. Exim's
 * default pipe transport bounces a message when the command prints anything, so under Exim
 * nothing is printed at all.
 */
public enum Mta {
    QMAIL, POSTFIX, EXIM, SENDMAIL;

    /** qmail-command(8): 111 is "try again later" and 100 is "bounce". */
    private static final int QMAIL_TEMPORARY = 111;
    private static final int QMAIL_PERMANENT = 100;
    /** sysexits(3) EX_TEMPFAIL: the one code that every MTA retries. */
    public static final int EX_TEMPFAIL = 75;

    /**
     * Guesses the MTA from the variables only it sets: qmail-local exports DTLINE and RPLINE,
     * Exim's pipe transport LOCAL_PART and QUALIFY_DOMAIN, Postfix's local(8)
     * ORIGINAL_RECIPIENT. Anything else is treated as plain sendmail.
     */
    public static Mta detect(Map<String, String> environment) {
        if (environment.containsKey("DTLINE") || environment.containsKey("RPLINE")) {
            return QMAIL;
        }
        if (environment.containsKey("QUALIFY_DOMAIN") || environment.containsKey("LOCAL_PART")) {
            return EXIM;
        }
        if (environment.containsKey("ORIGINAL_RECIPIENT")) {
            return POSTFIX;
        }
        return SENDMAIL;
    }

    /** Parses --mta; "auto" is empty (detect). */
    public static Optional<Mta> parse(String name) {
        if (name.equalsIgnoreCase("auto")) {
            return Optional.empty();
        }
        return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    }

    public int exitCode(Outcome outcome) {
        if (outcome.status() == DeliveryStatus.SENT) {
            return 0;
        }
        if (outcome.status() == DeliveryStatus.DEFERRED) {
            return this == QMAIL ? QMAIL_TEMPORARY : EX_TEMPFAIL;
        }
        return this == QMAIL ? QMAIL_PERMANENT : outcome.sysexit();
    }

    /** Whether the one stderr line on failure may be printed. */
    public boolean printsStatusLine() {
        return this != EXIM;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
