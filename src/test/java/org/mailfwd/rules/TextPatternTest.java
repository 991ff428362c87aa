package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextPatternTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "star matches anything|*|anything|true",
        "star matches nothing|*|''|true",
        "suffix|*.example.org|lists.example.org|true",
        "suffix must end the text|*.example.org|lists.example.org.evil|false",
        "question mark is one character|a?c|abc|true",
        "question mark is exactly one|a?c|ac|false",
        "case is ignored|*@EXAMPLE.org|Bob@example.ORG|true",
        "several stars backtrack|*a*b*c|xxaxxbxxc|true",
        "several stars can fail|*a*b*c|xxaxxcxxb|false",
        "brackets are literal|[x]*|[x] y|true",
        "dots are literal|a.b|axb|false",
        "whole text, not a part|work|homework|false"
    })
    void globMatchesTheWholeTextIgnoringCase(String name, String glob, String text,
            boolean matches) {
        assertThat(TextPattern.glob(glob).matches(text)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "finds anywhere|ork|homework|true",
        "anchors hold|^work$|homework|false",
        "case is ignored|^bob@|BOB@example.org|true"
    })
    void regexFindsAnywhereIgnoringCase(String name, String regex, String text,
            boolean matches) {
        assertThat(TextPattern.regex(regex).matches(text)).isEqualTo(matches);
    }
}
