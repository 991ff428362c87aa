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

    /**
     * The tagging in words, for the dry run: the edit, the signatures it breaks, those a
     * Subject tag would have broken, the Subject fields left alone, and the note.
     */
    public String describe() {
        StringBuilder text = new StringBuilder(switch (edit) {
            case SUBJECT_TAGGED -> "prefix on the Subject";
            case SUBJECT_ADDED -> "Subject added";
            case HEADER_ADDED -> "X-Spam-Flag: YES added";
            case ALREADY_TAGGED -> "already tagged, nothing changed";
        });
        text.append(broken.isEmpty() ? "; breaks no signature" : "; breaks " + names(broken));
        if (edit == Edit.HEADER_ADDED && !subjectSigners.isEmpty()) {
            text.append("; a Subject tag would break ").append(names(subjectSigners));
        }
        if (extraSubjects > 0) {
            text.append("; ").append(extraSubjects).append(" more Subject field(s) left alone");
        }
        note.ifPresent(n -> text.append("; ").append(n));
        return text.toString();
    }

    private static String names(List<DkimSignature> signatures) {
        return String.join(", ", signatures.stream().map(DkimSignature::display).toList());
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
