package org.mailfwd.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What reaches a log or stderr line reads as what it is. */
class PrintableTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain text stays             | <1@example.com>      | <1@example.com>",
        "line break becomes a space   | a\\nb                | a b",
        "escape becomes _             | a\\u001bb            | a_b",
        "right-to-left override is _  | moc.elpmaxe\\u202e@x | moc.elpmaxe_@x",
        "zero-width space is _        | a\\u200bb            | a_b",
        "letters beyond ASCII stay    | jos\\u00e9           | jos\\u00e9",
    })
    void valueIsMadePrintable(String name, String raw, String expected) {
        assertThat(Printable.of(unescape(raw))).isEqualTo(unescape(expected));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\n", i)) {
                out.append('\n');
                i++;
            } else if (s.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
