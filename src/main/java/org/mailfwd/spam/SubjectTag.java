package org.mailfwd.spam;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * Marks a message as spam in its header, byte-exactly: the prefix is written in front of the
 * first Subject field's text and every other byte stays as it came, or one "X-Spam-Flag: YES"
 * field is added on top.
 *
 * <p>The Subject edit never decodes anything: an RFC 2047 encoded word stays the same bytes
 * and the prefix (plain ASCII, always followed by a space, RFC 2047 section 5) goes before
 * it. Folded subjects keep their folds. If the first line would grow past 998 octets (RFC
 * 5322 section 2.1.1) it is folded right after the prefix, where its space already is. Lines
 * end as the field's own first line does. A message that comes round again is not tagged
 * twice. A DKIM signature whose h= covers the Subject breaks when it is edited (and DMARC may
 * then reject the message), so the default policy, subject-unless-signed, adds the header
 * instead in that case. When the Subject field cannot be edited validly (a bare CR in it, no
 * line ending), the header is added instead and {@link Tagging#note()} says why.
 */
public final class SubjectTag {
    public static final String DEFAULT_PREFIX = "[SPAM] ";
    static final String FLAG_NAME = "X-Spam-Flag";
    static final String FLAG_VALUE = "YES";
    /** RFC 5322 section 2.1.1: at most 998 characters on a line, CRLF excluded. */
    private static final int MAX_LINE = 998;
    /** A prefix is a word or two, not a sentence; longer ones are configuration mistakes. */
    private static final int MAX_PREFIX = 64;

    /** Where the tag goes; configured as {@code tag: subject | header | subject-unless-signed}. */
    public enum Policy {
        SUBJECT, HEADER, SUBJECT_UNLESS_SIGNED;

        /** The configuration spelling, e.g. "subject-unless-signed". */
        public static Policy parse(String text) {
            for (Policy policy : values()) {
                if (policy.spelling().equals(text)) {
                    return policy;
                }
            }
            throw new IllegalArgumentException("tag must be subject, header or"
                    + " subject-unless-signed, not " + text);
        }

        public String spelling() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Policy policy;
    private final String prefix;

    /**
     * @param prefix printable ASCII without "=?"; trailing blanks become exactly one space
     * @throws IllegalArgumentException for a prefix that could not be written as it is
     */
    public SubjectTag(Policy policy, String prefix) {
        this.policy = policy;
        this.prefix = checkPrefix(prefix);
    }

    public static SubjectTag defaults() {
        return new SubjectTag(Policy.SUBJECT_UNLESS_SIGNED, DEFAULT_PREFIX);
    }

    private static String checkPrefix(String prefix) {
        String core = HeaderField.trimBlanks(prefix);
        if (core.isEmpty() || core.length() > MAX_PREFIX) {
            throw new IllegalArgumentException("spam prefix must be 1 to " + MAX_PREFIX
                    + " characters");
        }
        if (!printableAscii(core) || core.contains("=?")) {
            // TODO(#4): a non-ASCII prefix would need its own encoded word; not offered yet.
            throw new IllegalArgumentException("spam prefix must be printable ASCII without"
                    + " \"=?\"");
        }
        return core + " ";
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 || text.charAt(i) >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #apply} would do to this message; changes nothing. */
    public Tagging preview(Message message) {
        return plan(message).tagging();
    }

    /**
     * Tags the message. On any refusal of the edit the forwarded message is left as it was
     * and the exception propagates.
     */
    public Tagging apply(ForwardedMessage forwarded) {
        Plan plan = plan(forwarded.message());
        switch (plan.tagging().edit()) {
            case SUBJECT_TAGGED -> forwarded.replace(plan.subject(), plan.raw());
            case SUBJECT_ADDED -> forwarded.prepend("Subject", prefix.strip());
            case HEADER_ADDED -> forwarded.prepend(FLAG_NAME, FLAG_VALUE);
            case ALREADY_TAGGED -> { }
        }
        return plan.tagging();
    }

    private record Plan(Tagging tagging, HeaderField subject, byte[] raw) { }

    private Plan plan(Message message) {
        List<HeaderField> subjects = message.fields("Subject");
        int extra = Math.max(0, subjects.size() - 1);
        List<DkimSignature> signatures = DkimSignature.of(message);
        int flags = message.fields(FLAG_NAME).size();
        List<DkimSignature> subjectSigners = new ArrayList<>();
        List<DkimSignature> headerSigners = new ArrayList<>();
        for (DkimSignature signature : signatures) {
            if (signature.covers("Subject", subjects.isEmpty() ? -1 : 0, subjects.size())) {
                subjectSigners.add(signature);
            }
            if (signature.covers(FLAG_NAME, -1, flags)) {
                headerSigners.add(signature);
            }
        }
        Tagging done = new Tagging(Tagging.Edit.ALREADY_TAGGED, List.of(), subjectSigners,
                extra, Optional.empty());
        if (!subjects.isEmpty() && isTagged(subjects.get(0))) {
            return new Plan(done, null, null);
        }
        Tagging header = new Tagging(Tagging.Edit.HEADER_ADDED, headerSigners, subjectSigners,
                extra, Optional.empty());
        if (policy == Policy.HEADER
                || policy == Policy.SUBJECT_UNLESS_SIGNED && !subjectSigners.isEmpty()) {
            return new Plan(isFlagged(message) ? done : header, null, null);
        }
        if (subjects.isEmpty()) {
            return new Plan(new Tagging(Tagging.Edit.SUBJECT_ADDED, subjectSigners,
                    subjectSigners, extra, Optional.empty()), null, null);
        }
        HeaderField subject = subjects.get(0);
        try {
            byte[] raw = tagged(subject.raw());
            new ForwardedMessage(message).replace(subject, raw);
            return new Plan(new Tagging(Tagging.Edit.SUBJECT_TAGGED, subjectSigners,
                    subjectSigners, extra, Optional.empty()), subject, raw);
        } catch (IllegalArgumentException refused) {
            Tagging instead = isFlagged(message) ? done : header;
            return new Plan(new Tagging(instead.edit(), instead.broken(), subjectSigners, extra,
                    Optional.of("Subject not editable: " + refused.getMessage())), null, null);
        }
    }

    private boolean isTagged(HeaderField subject) {
        String core = prefix.strip();
        String value = subject.value();
        return value.regionMatches(true, 0, core, 0, core.length());
    }

    private static boolean isFlagged(Message message) {
        Optional<HeaderField> flag = message.topmost(FLAG_NAME);
        return flag.isPresent() && flag.get().value().strip().equalsIgnoreCase(FLAG_VALUE);
    }

    /**
     * The Subject field with the prefix after the colon and its blanks. Bytes are handled as
     * ISO-8859-1 so that each one maps to one char and back unchanged.
     */
    byte[] tagged(byte[] raw) {
        String field = new String(raw, StandardCharsets.ISO_8859_1);
        int start = field.indexOf(':') + 1;
        while (start < field.length() && (field.charAt(start) == ' '
                || field.charAt(start) == '\t')) {
            start++;
        }
        int lf = field.indexOf('\n');
        if (lf < 0) {
            throw new IllegalArgumentException("Subject field has no line ending");
        }
        boolean crlf = lf > 0 && field.charAt(lf - 1) == '\r';
        int lineEnd = crlf ? lf - 1 : lf;
        String insert = prefix;
        if (start >= lineEnd) {
            // Nothing follows on the first line: no trailing blank, the fold supplies one.
            start = lineEnd;
            insert = prefix.strip();
        } else if (lineEnd + prefix.length() > MAX_LINE) {
            insert = prefix.strip() + (crlf ? "\r\n" : "\n") + " ";
        }
        String edited = field.substring(0, start) + insert + field.substring(start);
        return edited.getBytes(StandardCharsets.ISO_8859_1);
    }
}
