package org.mailfwd.spam;

import java.util.List;
import java.util.Optional;

/**
 * What tagging did, or would do, to one message: the edit chosen, the DKIM signatures that
 * this edit breaks, the signatures that a Subject tag would break (what made
 * subject-unless-signed choose the header), how many Subject fields after the first were left
 * alone, and why the chosen edit differs from the policy's first choice, if it does.
 */
public record Tagging(Edit edit, List<DkimSignature> broken, List<DkimSignature> subjectSigners,
        int extraSubjects, Optional<String> note) {

    /** The header edit of a tagging. */
    public enum Edit {
        /** The prefix went in front of the first Subject field's text. */
        SUBJECT_TAGGED,
        /** The message had no Subject; one holding only the prefix was added. */
        SUBJECT_ADDED,
        /** "X-Spam-Flag: YES" was added on top. */
        HEADER_ADDED,
        /** Already tagged (it came round again): nothing was changed. */
        ALREADY_TAGGED
    }

    public Tagging {
        broken = List.copyOf(broken);
        subjectSigners = List.copyOf(subjectSigners);
    }

    /** "subject", "header" or "none", for the log's tag= value. */
    public String display() {
        return switch (edit) {
            case SUBJECT_TAGGED, SUBJECT_ADDED -> "subject";
            case HEADER_ADDED -> "header";
            case ALREADY_TAGGED -> "none";
        };
    }
}
