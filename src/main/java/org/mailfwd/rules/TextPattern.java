package org.mailfwd.rules;

import java.util.regex.Pattern;

/**
 * A glob or a regular expression that a rule matches text against, always ignoring case
 * (as procmail and Sieve's default comparator do). A glob must match the whole text and
 * knows {@code *} (any run of characters) and {@code ?} (one character); a regular
 * expression matches anywhere unless anchored. Matching is bounded: a regular expression
 * that backtracks without end on hostile text is stopped, not left to hang the delivery.
 */
record TextPattern(String source, boolean glob, Pattern pattern) {
    /**
     * Character reads one match may make. A linear match of a 100 KB header value reads
     * about 10^5; a catastrophic one reads billions. 10^7 lies between, and takes well
     * under a second.
     */
    static final long MAX_STEPS = 10_000_000L;

    static TextPattern glob(String glob) {
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new TextPattern(glob, true, Pattern.compile(regex.append('$').toString(),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL));
    }

    /** @throws java.util.regex.PatternSyntaxException when the expression is not valid */
    static TextPattern regex(String regex) {
        return new TextPattern(regex, false,
                Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /**
     * Whether the text matches.
     *
     * @throws PatternTooCostly when the match reads more than {@link #MAX_STEPS} characters
     */
    boolean matches(String text) {
        return pattern.matcher(new Bounded(text, new long[] {0})).find();
    }

    @Override
    public String toString() {
        return (glob ? "glob " : "regex ") + source;
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
