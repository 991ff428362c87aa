package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mailfwd.spam.Messages.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.message.Message;
import org.mailfwd.rules.Decision;
import org.mailfwd.rules.MessageFacts;
import org.mailfwd.rules.RuleFile;
import org.mailfwd.rules.RuleFileException;
import org.mailfwd.rules.RuleSet;
import org.mailfwd.rules.SystemConfig;

/**
 * The spam part of the rule language: the spam condition and its score comparison, the
 * tag action, and the spam: section of the system file and the rule file.
 */
class SpamRulesTest {
    private static final String RECEIVED = "Received: from mx.example.com by mail.example.org;"
            + " Tue, 3 Nov 2026 09:14:04 +0100\n";
    private static final String REST = "From: bob@example.com\nSubject: hi\n\nbody\n";
    private static final String SPAM = "X-Spam-Status: Yes, score=7.3 required=5.0 tests=X\n"
            + RECEIVED + REST;
    private static final String VERY_SPAM = SPAM.replace("7.3", "12.5");
    private static final String HAM = "X-Spam-Status: No, score=0.4 required=5.0 tests=X\n"
            + RECEIVED + REST;
    private static final String FLAG_ONLY = "X-Spam-Flag: YES\n" + RECEIVED + REST;
    private static final String FORGED = RECEIVED + "X-Spam-Status: Yes, score=99 required=5\n"
            + REST;
    private static final String RULES = """
            rules:
              - name: very-spammy
                if: {spam: {over: 10}}
                discard: score over 10
              - name: spammy
                if: {spam: true}
                forward: [spam@example.net]
                tag: true
              - name: rest
                forward: [alice@example.net]
            """;

    @TempDir
    Path work;

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("score over 10 is discarded", VERY_SPAM, "DISCARD -"),
                Arguments.of("spam is tagged and goes elsewhere", SPAM,
                        "DELIVER <spam@example.net> tag"),
                Arguments.of("a flag without score is spam, not over 10", FLAG_ONLY,
                        "DELIVER <spam@example.net> tag"),
                Arguments.of("a score without required= still meets over 10",
                        "X-Spam-Status: No, score=12.5\n" + RECEIVED + REST, "DISCARD -"),
                Arguments.of("an exponent score is no score, not 15 over 10",
                        SPAM.replace("7.3", "15e-1"), "DELIVER <spam@example.net> tag"),
                Arguments.of("ham goes on untagged", HAM, "DELIVER <alice@example.net>"),
                Arguments.of("a forged verdict below our Received is not spam", FORGED,
                        "DELIVER <alice@example.net>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void spamConditionAndTagAction(String name, String message, String expected)
            throws Exception {
        RuleSet rules = RuleFile.load(write("rules.yaml", RULES), Map.of(), SystemConfig.none());

        Decision decision = decide(rules, message(message));

        String got = decision.kind() + " " + (decision.forward().isEmpty() ? "-"
                : String.join(" ", decision.forward().stream().map(r -> r.forwardPath())
                        .toList())) + (decision.tag() ? " tag" : "");
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void scoreRangeSaysWhy() throws Exception {
        RuleSet rules = RuleFile.load(write("rules.yaml", """
                rules:
                  - name: middle
                    if: {spam: {over: 5, under: 10}}
                    forward: [a@example.net]
                  - forward: [b@example.net]
                """), Map.of(), SystemConfig.none());

        assertThat(decide(rules, message(SPAM)).trace().get(0).why())
                .isEqualTo("spam score 7.3 is over 5.0 under 10.0");
        assertThat(decide(rules, message(VERY_SPAM)).trace().get(0).why())
                .isEqualTo("spam score 12.5 is not under 10.0");
        assertThat(decide(rules, message(REST)).trace().get(0).why())
                .isEqualTo("no spam verdict, so no score");
    }

    @Test
    void systemFileChoosesTheFilterAndTheRuleFileTheTag() throws Exception {
        Path system = write("config.yaml", """
                spam:
                  filter: rspamd
                  own_received: 0
                  tag: header
                  prefix: "[junk]"
                """);
        RuleSet rules = RuleFile.load(write("rules.yaml", """
                spam: {tag: subject}
                forward: [a@example.net]
                """), Map.of(), SystemConfig.load(system, true));

        Message rspamd = message(REST.replace("\n\n", "\nX-Spamd-Result: default: True"
                + " [16.10 / 15.00]; GTUBE(0.00)[]\n\n"));
        assertThat(rules.spam().verdict(rspamd).map(SpamVerdict::display))
                .hasValue("spam score=16.1/15.0 (X-Spamd-Result)");
        assertThat(rules.spam().tag().preview(rspamd).edit())
                .isEqualTo(Tagging.Edit.SUBJECT_TAGGED);
        assertThat(rules.spam().verdict(message(SPAM))).isEmpty();
    }

    @Test
    void defaultsBelieveSpamAssassinAboveOneReceived() throws Exception {
        RuleSet rules = RuleFile.load(write("rules.yaml", "forward: [a@example.net]\n"),
                Map.of(), SystemConfig.none());

        assertThat(rules.spam().verdict(message(SPAM)).map(SpamVerdict::spam)).hasValue(true);
        assertThat(rules.spam().verdict(message(FORGED))).isEmpty();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("tag without forward",
                        "rules:\n  - {if: {spam: true}, keep: /tmp/x/, tag: true}\n",
                        "tag marks the forwarded copy"),
                Arguments.of("trust settings in a rule file",
                        "spam: {own_received: 0}\nforward: [a@example.net]\n",
                        "spam own_received belongs in the system file"),
                Arguments.of("unknown tag policy",
                        "spam: {tag: sideways}\nforward: [a@example.net]\n",
                        "spam tag must be one of subject, header, subject-unless-signed"),
                Arguments.of("prefix that would look like an encoded word",
                        "spam: {prefix: \"=?x\"}\nforward: [a@example.net]\n",
                        "spam prefix must be printable ASCII"),
                Arguments.of("score that is not a number",
                        "rules:\n  - {if: {spam: {over: lots}}, forward: [a@example.net]}\n",
                        "spam score over must be a number"),
                Arguments.of("empty spam condition",
                        "rules:\n  - {if: {spam: {}}, forward: [a@example.net]}\n",
                        "spam needs true, false, or a score"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesAreReportedWithTheirPlace(String name, String yaml, String problem)
            throws IOException {
        Path file = write("rules.yaml", yaml);

        assertThatThrownBy(() -> RuleFile.load(file, Map.of(), SystemConfig.none()))
                .isInstanceOf(RuleFileException.class)
                .satisfies(e -> assertThat(((RuleFileException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains(problem)));
    }

    @Test
    void systemFileSpamMistakes() throws IOException {
        Path system = write("config.yaml", """
                spam:
                  filter: spamhaus
                  own_received: 99
                  spamc: {mode: loud, timeout: 0}
                """);

        assertThatThrownBy(() -> SystemConfig.load(system, true))
                .isInstanceOf(RuleFileException.class)
                .satisfies(e -> assertThat(((RuleFileException) e).problems()).hasSize(4));
    }

    @Test
    void spamcFromTheSystemFile() throws Exception {
        Path system = write("config.yaml", """
                spam:
                  spamc:
                    program: /usr/bin/spamc
                    args: [-d, 127.0.0.1, -p, "7830"]
                    timeout: 10
                    mode: headers
                    fallback: defer
                """);
        RuleSet rules = RuleFile.load(write("rules.yaml", "forward: [a@example.net]\n"),
                Map.of(), SystemConfig.load(system, true));

        assertThat(rules.spam().spamc().orElseThrow().command()).containsExactly(
                "/usr/bin/spamc", "-d", "127.0.0.1", "-p", "7830", "--headers", "-x");
    }

    private static Decision decide(RuleSet rules, Message message) throws Exception {
        return rules.decide(MessageFacts.of(message,
                Optional.of(ReversePathParser.parseSender("bob@example.com")), Optional.empty(),
                Optional.empty(), Map.of()).withSpam(rules.spam().verdict(message)));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text);
    }
}
