package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.status.TemporaryFailure;

/** Each condition, written in YAML as a user would, against messages that do and do not fit. */
class ConditionTest {
    private static final String PLAIN = "From: Bob <bob@example.org>\nSubject: lunch\n\nhi\n";
    private static final String LIST = "List-Id: Team talk <team.lists.example.org>\n"
            + "Subject: =?UTF-8?B?w5xiZXJzaWNodA==?=\n\nhi\n";
    private static final String BULK = "Precedence: Bulk\nSubject: offer\n\nhi\n";
    private static final String ENCODED = "Subject: =?iso-8859-1?q?Caf=E9_ouvert?=\n\nhi\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionMatchesExactlyTheMessagesItDescribes(String name, String condition,
            String message, String sender, Map<String, String> environment, boolean matched,
            String why) throws Exception {
        RuleSet rules = Fixtures.load(dir, "rules:\n  - name: test\n    if: " + condition
                + "\n    keep: /tmp/matched\n");

        Decision decision = rules.decide(Fixtures.facts(message, sender, environment));

        assertThat(decision.trace()).singleElement().satisfies(trace -> {
            assertThat(trace.matched()).as("matched").isEqualTo(matched);
            assertThat(trace.why()).isEqualTo(why);
        });
    }

    static Stream<Arguments> conditions() {
        Map<String, String> none = Map.of();
        String bob = "bob@example.org";
        return Stream.of(
                row("header glob, decoded", "{header: {name: list-id, glob: '*.example.org>'}}",
                        LIST, bob, none, true, "list-id \"Team talk <team.lists.example.org>\""
                                + " matches glob *.example.org>"),
                row("header glob misses", "{header: {name: Subject, glob: 'din*'}}",
                        PLAIN, bob, none, false, "Subject \"lunch\" does not match glob din*"),
                row("header regex on RFC 2047 text", "{header: {name: Subject, regex: '^über'}}",
                        LIST, bob, none, true, "Subject \"Übersicht\" matches regex ^über"),
                row("header Q-encoded Latin-1", "{header: {name: Subject, glob: 'café*'}}",
                        ENCODED, bob, none, true, "Subject \"Café ouvert\" matches glob café*"),
                row("header present", "{header: {name: Subject}}", PLAIN, bob, none, true,
                        "Subject is present"),
                row("header absent", "{header: {name: X-Spam-Flag}}", PLAIN, bob, none, false,
                        "no X-Spam-Flag field"),
                row("sender glob", "{sender: '*@example.org'}", PLAIN, bob, none, true,
                        "envelope sender \"bob@example.org\" matches glob *@example.org"),
                row("sender regex", "{sender: {regex: '^carol@'}}", PLAIN, bob, none, false,
                        "envelope sender \"bob@example.org\" does not match regex ^carol@"),
                row("recipient", "{recipient: 'alice@*'}", PLAIN, bob, none, true,
                        "recipient \"alice@example.com\" matches glob alice@*"),
                row("qmail EXT", "{extension: work}", PLAIN, bob, Map.of("EXT", "work"), true,
                        "address extension \"work\" matches glob work"),
                row("Postfix EXTENSION", "{extension: work}", PLAIN, bob,
                        Map.of("EXTENSION", "home"), false,
                        "address extension \"home\" does not match glob work"),
                row("Exim suffix", "{extension: work}", PLAIN, bob,
                        Map.of("LOCAL_PART_SUFFIX", "+work"), true,
                        "address extension \"work\" matches glob work"),
                row("no extension", "{extension: work}", PLAIN, bob, none, false,
                        "no address extension known"),
                row("size over", "{size: {over: 10}}", PLAIN, bob, none, true,
                        "size 47 is over 10"),
                row("size under with unit", "{size: {under: 1k}}", PLAIN, bob, none, true,
                        "size 47 is under 1024"),
                row("size not over", "{size: {over: 1M}}", PLAIN, bob, none, false,
                        "size 47 is not over 1048576"),
                row("bounce", "{bounce: true}", PLAIN, "<>", none, true,
                        "the envelope sender is null (a bounce)"),
                row("not a bounce", "{bounce: true}", PLAIN, bob, none, false,
                        "the envelope sender is not null (not a bounce)"),
                row("bounce false", "{bounce: false}", PLAIN, bob, none, true,
                        "the envelope sender is not null (not a bounce)"),
                row("list by List-Id", "{list: true}", LIST, bob, none, true,
                        "List-Id is present"),
                row("list by Precedence", "{list: true}", BULK, bob, none, true,
                        "Precedence is bulk"),
                row("not list", "{list: true}", PLAIN, bob, none, false,
                        "no List-Id field and no Precedence: list or bulk"),
                row("all", "{all: [{list: true}, {sender: '*@example.org'}]}", LIST, bob, none,
                        true, "List-Id is present and envelope sender \"bob@example.org\""
                                + " matches glob *@example.org"),
                row("all fails on the first miss", "{all: [{list: true}, {bounce: true}]}",
                        LIST, bob, none, false, "the envelope sender is not null (not a bounce)"),
                row("two keys mean all", "{list: true, bounce: false}", LIST, bob, none, true,
                        "List-Id is present and the envelope sender is not null"
                                + " (not a bounce)"),
                row("any", "{any: [{bounce: true}, {list: true}]}", BULK, bob, none, true,
                        "Precedence is bulk"),
                row("any misses all", "{any: [{bounce: true}, {list: true}]}", PLAIN, bob, none,
                        false, "the envelope sender is not null (not a bounce), and no List-Id"
                                + " field and no Precedence: list or bulk"),
                row("not", "{not: {list: true}}", PLAIN, bob, none, true,
                        "not: no List-Id field and no Precedence: list or bulk"));
    }

    private static Arguments row(String name, String condition, String message, String sender,
            Map<String, String> environment, boolean matched, String why) {
        return Arguments.of(name, condition, message, sender, environment, matched, why);
    }

    @Test
    void senderConditionWithoutUsableSenderDefersRatherThanGuesses() throws Exception {
        RuleSet rules = Fixtures.load(dir, "rules:\n  - if: {bounce: true}\n    keep: true\n");
        MessageFacts facts = new MessageFacts(Fixtures.message(PLAIN).fields(),
                Optional.empty(), Optional.of("no envelope sender: no --sender"),
                Optional.empty(), Optional.empty(), 10);

        assertThatThrownBy(() -> rules.decide(facts))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessage("a rule tests the envelope sender, which is unusable:"
                        + " no envelope sender: no --sender");
    }

    @Test
    void runawayRegexDefersInsteadOfHanging() throws Exception {
        RuleSet rules = Fixtures.load(dir, "rules:\n  - name: slow\n"
                + "    if: {header: {name: Subject, regex: '(.*a){12}$'}}\n    keep: true\n");
        MessageFacts facts = Fixtures.facts("Subject: " + "a".repeat(40) + "!\n\nhi\n");

        assertThatThrownBy(() -> rules.decide(facts))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessage("rule slow: regular expression gave up after 10000000 steps");
    }
}
