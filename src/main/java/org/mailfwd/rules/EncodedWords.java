package org.mailfwd.rules;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes RFC 2047 encoded words ({@code =?charset?B?...?=} and {@code ?Q?}) in a header
 * value, so that a rule matches the text a reader sees. Only for matching: the message
 * itself is never changed. A word in an unknown charset or with bad encoding stays as it
 * was, since guessing would make a rule match text nobody wrote.
 */
final class EncodedWords {

    private EncodedWords() {
    }

    /** Compiled on first use: most header values hold no encoded word at all. */
    private static final class Patterns {
        static final Pattern WORD = Pattern.compile(
                "=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");
        /** RFC 2047 section 6.2: white space between two adjacent encoded words is dropped. */
        static final Pattern BETWEEN_WORDS = Pattern.compile(
                "(\\?=)[ \\t\\r\\n]+(?==\\?[^?\\s]+\\?[BbQq]\\?)");
    }

    static String decode(String value) {
        if (!value.contains("=?")) {
            return value;
        }
        Matcher word = Patterns.WORD.matcher(
                Patterns.BETWEEN_WORDS.matcher(value).replaceAll("$1"));
        StringBuilder out = new StringBuilder();
        while (word.find()) {
            word.appendReplacement(out, Matcher.quoteReplacement(decodeWord(word)));
        }
        return word.appendTail(out).toString();
    }

    private static String decodeWord(Matcher word) {
        // RFC 2231 section 5 lets a language follow the charset: "utf-8*en".
        String charsetName = word.group(1).replaceFirst("\\*.*$", "");
        try {
            Charset charset = Charset.forName(charsetName);
            byte[] bytes = word.group(2).equalsIgnoreCase("B")
                    ? Base64.getDecoder().decode(word.group(3))
                    : quotedPrintable(word.group(3));
            return new String(bytes, charset);
        } catch (IllegalArgumentException e) {
            // Unknown charset or broken encoding: keep the word as written.
            return word.group();
        }
    }

    /** The "Q" encoding: "_" is a space, "=XX" a byte (RFC 2047 section 4.2). */
    private static byte[] quotedPrintable(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                bytes.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '=') {
                throw new IllegalArgumentException("cut-off =XX");
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }
}
