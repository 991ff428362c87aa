package org.mailfwd.rules;

/**
 * A rule action that ends the rules with no forward: discard (the message is dropped and
 * the log says so), bounce (a permanent failure back to the sender) or defer (a temporary
 * failure; the MTA retries).
 */
public record Ending(Kind kind, String text) {
    /** What happens to the message. */
    public enum Kind {
        DISCARD, BOUNCE, DEFER;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return kind.word() + (text.isEmpty() ? "" : " \"" + text + "\"");
    }
}
