package org.mailfwd.spam;

import java.util.OptionalDouble;

/**
 * What a spam filter said about this message: spam or not, with the score and the threshold
 * when the filter gave them, and where the verdict came from ({@code source}: the header field
 * or program that gave it, such as "X-Spam-Status" or "spamc", or "fallback (reason)" when no
 * filter answered). A message without any believable verdict has no {@code SpamVerdict} at
 * all: readers return {@code Optional.empty()}.
 */
public record SpamVerdict(boolean spam, OptionalDouble score, OptionalDouble required,
        String source) {

    public SpamVerdict {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a verdict needs a source");
        }
    }

    static SpamVerdict of(boolean spam, double score, double required, String source) {
        return new SpamVerdict(spam, OptionalDouble.of(score), OptionalDouble.of(required),
                source);
    }

    static SpamVerdict flag(boolean spam, String source) {
        return new SpamVerdict(spam, OptionalDouble.empty(), OptionalDouble.empty(), source);
    }

    /** The verdict as one log value, e.g. {@code spam score=7.3/5.0 (X-Spam-Status)}. */
    public String display() {
        StringBuilder text = new StringBuilder(spam ? "spam" : "ham");
        if (score.isPresent()) {
            text.append(" score=").append(number(score.getAsDouble()));
        }
        if (required.isPresent()) {
            text.append('/').append(number(required.getAsDouble()));
        }
        return text.append(" (").append(source).append(')').toString();
    }

    /**
     * One decimal, as SpamAssassin prints scores. By hand: String.format loads the locale
     * data, which costs milliseconds at every start (NOTES-libraries, DeliveryLog).
     */
    private static String number(double value) {
        return Double.toString(Math.round(value * 10) / 10.0);
    }
}
