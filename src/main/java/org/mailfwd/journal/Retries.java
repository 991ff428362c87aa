package org.mailfwd.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.mailfwd.message.Message;

/**
 * The journal as one delivery uses it: which of this message's targets an earlier attempt
 * already finished, and what to say about it on the log line.
 *
 * <p>A run with a single target needs no journal: when it fails nothing was done, when it
 * succeeds the MTA does not retry. Such runs neither read the journal nor hash the message.
 */
public final class Retries {
    private final Optional<Journal> journal;
    private final String print;
    private final String delivery;
    private int skipped;

    private Retries(Optional<Journal> journal, String print, String delivery) {
        this.journal = journal;
        this.print = print;
        this.delivery = delivery;
    }

    /** No journal at all: every target is done every time. */
    public static Retries off() {
        return new Retries(Optional.empty(), "", "");
    }

    /**
     * The journal for a run with {@code targets} targets; never throws.
     *
     * @param file the journal file; empty when there is nowhere to keep one
     * @param delivery the address this delivery is for, so that two deliveries of the same
     *     message (to two qmail extensions, say) never count as one
     */
    public static Retries start(Message message, int targets, Optional<Path> file,
            String delivery) {
        if (targets < 2) {
            return off();
        }
        if (file.isEmpty()) {
            return new Retries(Optional.of(Journal.none("no file: HOME is not set")), "", "");
        }
        try {
            return new Retries(Optional.of(Journal.open(file.get(), Instant.now())),
                    Fingerprint.of(message), delivery);
        } catch (IOException | RuntimeException e) {
            return new Retries(Optional.of(Journal.none("no fingerprint: " + e)), "", "");
        }
    }

    /** True when an earlier attempt finished this target; it is then counted as skipped. */
    public boolean alreadyDone(String target) {
        if (journal.isEmpty() || print.isEmpty() || !journal.get().done(key(target))) {
            return false;
        }
        skipped++;
        return true;
    }

    /** Records a finished target. */
    public void done(String target) {
        if (journal.isPresent() && !print.isEmpty()) {
            journal.get().record(key(target));
        }
    }

    private String key(String target) {
        return Journal.key(print, "for <" + delivery + "> " + target);
    }

    /** For the log line: targets skipped, or why a retry may bring a duplicate. */
    public Optional<String> note() {
        Optional<String> problem = journal.flatMap(Journal::problem)
                .map(p -> "journal " + p + "; a retry may duplicate");
        if (skipped == 0) {
            return problem;
        }
        String skips = "skipped " + skipped + " target(s) done by an earlier attempt";
        return Optional.of(problem.map(p -> skips + "; " + p).orElse(skips));
    }
}
