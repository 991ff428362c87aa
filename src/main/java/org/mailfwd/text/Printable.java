package org.mailfwd.text;

/**
 * Makes untrusted text safe for one log or stderr line, as Postfix does with command output:
 * tabs and line breaks become spaces, other control characters become '_', and the text is
 * cut at a length so one hostile value cannot flood a log.
 */
public final class Printable {
    /** Postfix cuts reasons at about 100 characters; addresses may be up to 256. */
    public static final int MAX = 300;

    private Printable() {
    }

    public static String of(String text) {
        return of(text, MAX);
    }

    public static String of(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\r' || c == '\n') {
                out.append(' ');
            } else if (c < 0x20 || c >= 0x7f && c < 0xa0 || c == 0x2028 || c == 0x2029
                    || Character.getType(c) == Character.FORMAT) {
                // FORMAT covers the bidirectional overrides (U+202E) and zero-width
                // characters, which would make a log line read otherwise than it is.
                out.append('_');
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
