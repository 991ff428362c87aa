package org.mailfwd.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderFieldTest {
    /** Turns the table's \r, \n and \t into the characters. */
    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }

    private static HeaderField field(String raw) {
        String text = unescape(raw);
        return new HeaderField(text.substring(0, text.indexOf(':')),
                text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one line LF         | Subject: hello\\n                     | hello",
        "one line CRLF       | Subject: hello\\r\\n                  | hello",
        "no line end         | Subject: hello                        | hello",
        "folded with space   | Subject: hello\\r\\n world\\r\\n      | hello world",
        "folded with tab     | Subject: hello\\n\\tworld\\n          | hello\\tworld",
        "bare CR is data     | Subject: a\\rb\\n                     | a\\rb",
        "LF without WSP kept | Subject: a\\nb\\n                     | a\\nb",
        "leading blanks cut  | Return-Path:   <a@example.org>\\n     | <a@example.org>",
    })
    void valueIsUnfoldedWithoutLineEnd(String name, String raw, String expected) {
        assertThat(field(raw).value()).isEqualTo(unescape(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "LF              | Return-Path: <a@example.org>\\n          | ' <a@example.org>'",
        "CRLF            | Return-Path: <a@example.org>\\r\\n       | ' <a@example.org>'",
        "folding is kept | Return-Path:\\r\\n <a@example.org>\\r\\n | '\\r\\n <a@example.org>'",
    })
    void rawValueKeepsFoldingAndDropsTheLineEnd(String name, String raw, String expected) {
        assertThat(field(raw).rawValue()).isEqualTo(unescape(expected));
    }
}
