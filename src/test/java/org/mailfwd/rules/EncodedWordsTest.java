package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodedWordsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "plain text stays|hello world|hello world",
        "base64 UTF-8|=?UTF-8?B?w5xiZXJzaWNodA==?=|Übersicht",
        "Q with underscore|=?iso-8859-1?Q?Caf=E9_ouvert?=|Café ouvert",
        "adjacent words join|=?utf-8?q?a?= =?utf-8?q?b?=|ab",
        "text around stays|Re: =?utf-8?q?caf=C3=A9?= now|Re: café now",
        "unknown charset kept|=?x-nonesuch?q?abc?=|=?x-nonesuch?q?abc?=",
        "broken base64 kept|=?utf-8?b?***?=|=?utf-8?b?***?=",
        "language suffix|=?utf-8*fr?q?oui?=|oui"
    })
    void decodesWhatAReaderSees(String name, String raw, String decoded) {
        assertThat(EncodedWords.decode(raw)).isEqualTo(decoded);
    }
}
