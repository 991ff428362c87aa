package org.mailfwd.dkim;

/**
 * Folds the one long line jDKIM returns into lines of about 78 characters, only where
 * folding cannot change what a verifier hashes:
 * <ul>
 * <li>inside the b= value, which verifiers blank together with all its whitespace
 *     (RFC 6376 section 3.7), under either header canonicalization;</li>
 * <li>under relaxed header canonicalization also at the blank after each ';', since relaxed
 *     turns any run of folding whitespace into the single blank that was signed.</li>
 * </ul>
 * Simple header canonicalization hashes the field as written, so there nothing outside b=
 * moves.
 */
final class SignatureFolder {
    static final int WIDTH = 78;
    private static final String FOLD = "\r\n\t";

    private SignatureFolder() {
    }

    /**
     * @param value the field value after "DKIM-Signature:", one line, as jDKIM wrote it
     * @param simpleHeader whether the signature uses simple header canonicalization
     * @return the value folded with CRLF TAB
     */
    static String fold(String value, boolean simpleHeader) {
        int b = bTagValueStart(value);
        int bEnd = value.indexOf(';', b);
        bEnd = bEnd < 0 ? value.length() : bEnd;
        StringBuilder out = new StringBuilder(value.length() + 64);
        if (simpleHeader) {
            out.append(value, 0, b);
            appendChunked(out, value.substring(b, bEnd), "DKIM-Signature:".length() + b);
            return out.append(value.substring(bEnd)).toString();
        }
        int column = "DKIM-Signature:".length();
        for (String item : value.strip().split(";\\s*")) {
            if (item.isEmpty()) {
                continue;
            }
            boolean signature = item.startsWith("b=");
            String text = signature ? "b=" : item + ";";
            // A b= value is folded inside; it needs only room for a start.
            boolean fold = column + 1 + (signature ? 12 : text.length()) > WIDTH;
            out.append(fold ? FOLD : " ").append(text);
            column = (fold ? 1 : column + 1) + text.length();
            if (signature) {
                column = appendChunked(out, item.substring(2), column);
                out.append(';');
                column++;
            }
        }
        return out.toString();
    }

    /** Appends base64 text, folding whenever the line is full; returns the column. */
    private static int appendChunked(StringBuilder out, String text, int startColumn) {
        int column = startColumn;
        int i = 0;
        while (i < text.length()) {
            int room = WIDTH - 1 - column;
            if (room < 8) {
                out.append(FOLD);
                column = 1;
                continue;
            }
            int take = Math.min(room, text.length() - i);
            out.append(text, i, i + take);
            column += take;
            i += take;
        }
        return column;
    }

    /** Where the b= value starts: after the "b=" tag, never inside "bh=". */
    private static int bTagValueStart(String value) {
        int i = 0;
        while (i < value.length()) {
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String tag = value.substring(i, eq).strip();
            if (tag.equals("b")) {
                return eq + 1;
            }
            int semicolon = value.indexOf(';', eq);
            if (semicolon < 0) {
                break;
            }
            i = semicolon + 1;
        }
        throw new IllegalStateException("jDKIM returned a signature without b=");
    }
}
