package org.mailfwd.spam;

import java.util.Optional;
import org.mailfwd.message.Message;

/**
 * How spam is recognised and tagged for one delivery: whose header verdict to believe,
 * whether to ask spamc when there is none, and how to tag.
 */
public record SpamSettings(VerdictReader reader, Optional<Spamc> spamc, SubjectTag tag) {
    /** SpamAssassin's fields above our MTA's Received, no spamc, subject-unless-signed. */
    public static final SpamSettings DEFAULT = new SpamSettings(VerdictReader.spamAssassin(1),
            Optional.empty(), SubjectTag.defaults());

    /**
     * Our own filter's verdict from the header, else spamc's (or its fallback's) when spamc
     * is configured, else none: a message nobody judged is not spam.
     *
     * @throws org.mailfwd.status.TemporaryFailure when spamc gives no answer and its
     *     fallback is to defer
     */
    public Optional<SpamVerdict> verdict(Message message) {
        // TODO(#4): spamc runs even when no rule tests spam, since signing needs the verdict;
        // a message over spamc's -s limit gets no score and takes the fallback.
        Optional<SpamVerdict> verdict = reader.read(message);
        if (verdict.isPresent() || spamc.isEmpty()) {
            return verdict;
        }
        return Optional.of(spamc.get().check(message));
    }
}
