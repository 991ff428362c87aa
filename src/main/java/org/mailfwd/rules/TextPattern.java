package org.mailfwd.rules;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A glob or a regular expression that a rule matches text against, always ignoring case
 * (as procmail and Sieve's default comparator do). A glob must match the whole text and
 * knows {@code *} (any run of characters) and {@code ?} (one character); it is matched by
 * hand, so a file of globs compiles no regular expression at all. A regular expression
 * matches anywhere unless anchored, and is bounded: one that backtracks without end on
 * hostile text is stopped, not left to hang the delivery.
 */
final class TextPattern {
    /**
     * Character reads one match may make. A linear match of a 100 KB header value reads
     * about 10^5; a catastrophic one reads billions. 10^7 lies between, and takes well
     * under a second.
     */
    static final long MAX_STEPS = 10_000_000L;

    private final String source;
    /** Null for a glob. */
    private final Pattern regex;

    private TextPattern(String source, Pattern regex) {
        this.source = source;
        this.regex = regex;
    }

    static TextPattern glob(String glob) {
        return new TextPattern(glob, null);
    }

    /** @throws java.util.regex.PatternSyntaxException when the expression is not valid */
    static TextPattern regex(String regex) {
        return new TextPattern(regex,
                Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /**
     * Whether the text matches.
     *
     * @throws PatternTooCostly when a regular expression reads more than {@link #MAX_STEPS}
     *     characters
     */
    boolean matches(String text) {
        if (regex == null) {
            return globMatches(source.toLowerCase(Locale.ROOT), text.toLowerCase(Locale.ROOT));
        }
        return regex.matcher(new Bounded(text, new long[] {0})).find();
    }

    /**
     * The classic two-pointer glob match: on a mismatch, go back to the last star and let
     * it take one more character. At most glob length times text length steps, never more.
     */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                starText = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return (regex == null ? "glob " : "regex ") + source;
    }

    /** A match that would not end in reasonable time. */
    static final class PatternTooCostly extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PatternTooCostly() {
            super("regular expression gave up after " + MAX_STEPS + " steps", null, false,
                    false);
        }
    }

    /** Text that counts how often the matcher reads it, shared by its subsequences. */
    private record Bounded(String text, long[] steps) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (++steps[0] > MAX_STEPS) {
                throw new PatternTooCostly();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(text.substring(start, end), steps);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
