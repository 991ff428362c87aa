package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each action and how matching rules add up, decided for one ordinary message. */
class RuleSetTest {
    private static final String MESSAGE = "From: bob@example.org\nSubject: hi\n\nhello\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void actionDecidesTheMessage(String name, String yaml, Decision.Kind kind,
            List<String> forward, List<String> keep, String sender, String reason)
            throws Exception {
        Decision decision = Fixtures.load(dir, yaml).decide(Fixtures.facts(MESSAGE));

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.forward()).extracting(Object::toString).isEqualTo(forward);
        assertThat(decision.keep()).extracting(Object::toString).isEqualTo(keep);
        assertThat(decision.sender()).hasToString(sender);
        assertThat(decision.reason()).isEqualTo(reason);
    }

    static Stream<Arguments> actions() {
        String chose = "rules chose a delivery";
        return Stream.of(
                row("forward", "rules:\n  - forward: [a@example.net]\n", Decision.Kind.DELIVER,
                        List.of("<a@example.net>"), List.of(), "original", chose),
                row("forward and keep a copy",
                        "rules:\n  - {forward: [a@example.net], keep: ~/Maildir/}\n",
                        Decision.Kind.DELIVER, List.of("<a@example.net>"),
                        List.of("/home/alice/Maildir/ (maildir)"), "original", chose),
                row("keep in the mailbox", "mailbox: ~/mbox\nrules:\n  - keep: true\n",
                        Decision.Kind.DELIVER, List.of(), List.of("/home/alice/mbox (mbox)"),
                        "original", chose),
                row("discard", "rules:\n  - discard: true\n", Decision.Kind.DISCARD, List.of(),
                        List.of(), "original", "discarded by rule #1"),
                row("discard with a reason", "rules:\n  - discard: old newsletter\n",
                        Decision.Kind.DISCARD, List.of(), List.of(), "original",
                        "discarded by rule #1: old newsletter"),
                row("bounce with text", "rules:\n  - bounce: this address is closed\n",
                        Decision.Kind.BOUNCE, List.of(), List.of(), "original",
                        "this address is closed"),
                row("defer", "rules:\n  - defer: true\n", Decision.Kind.DEFER, List.of(),
                        List.of(), "original", "deferred by rule #1"),
                row("bounce without text names no rule", "rules:\n  - bounce: true\n",
                        Decision.Kind.BOUNCE, List.of(), List.of(), "original",
                        "message refused by the recipient's rules"),
                row("fixed sender",
                        "rules:\n  - {forward: a@example.net, sender: me@example.com}\n",
                        Decision.Kind.DELIVER, List.of("<a@example.net>"), List.of(),
                        "<me@example.com>", chose),
                row("null sender", "rules:\n  - {forward: a@example.net, sender: null}\n",
                        Decision.Kind.DELIVER, List.of("<a@example.net>"), List.of(), "<>",
                        chose),
                row("stop is the default", "rules:\n  - forward: a@example.net\n"
                        + "  - forward: b@example.net\n", Decision.Kind.DELIVER,
                        List.of("<a@example.net>"), List.of(), "original", chose),
                row("continue adds up and duplicates collapse",
                        "rules:\n  - {forward: [a@example.net, a@EXAMPLE.NET], continue: true}\n"
                                + "  - forward: [b@example.net, a@example.net]\n",
                        Decision.Kind.DELIVER, List.of("<a@example.net>", "<b@example.net>"),
                        List.of(), "original", chose),
                row("discard after continue keeps what was chosen",
                        "rules:\n  - {keep: /var/mail/alice, continue: true}\n"
                                + "  - discard: true\n", Decision.Kind.DELIVER, List.of(),
                        List.of("/var/mail/alice (mbox)"), "original", chose),
                row("bounce after continue drops what was chosen",
                        "rules:\n  - {forward: a@example.net, continue: true}\n"
                                + "  - bounce: no\n", Decision.Kind.BOUNCE, List.of(),
                        List.of(), "original", "no"),
                row("nothing matches: default keep",
                        "rules:\n  - {if: {list: true}, forward: a@example.net}\n",
                        Decision.Kind.DELIVER, List.of(), List.of("/home/alice/Maildir/ (maildir)"),
                        "original", "no rule matched: default keep"),
                row("nothing matches: default defer", "default: defer\n"
                        + "rules:\n  - {if: {list: true}, forward: a@example.net}\n",
                        Decision.Kind.DEFER, List.of(), List.of(), "original",
                        "no rule matched and default is defer"),
                row("more targets than max_targets defers", "max_targets: 2\nrules:\n"
                        + "  - {forward: [a@example.net, b@example.net], continue: true}\n"
                        + "  - forward: c@example.net\n", Decision.Kind.DEFER, List.of(),
                        List.of(), "original",
                        "rules chose 3 forward targets, more than max_targets 2"));
    }

    private static Arguments row(String name, String yaml, Decision.Kind kind,
            List<String> forward, List<String> keep, String sender, String reason) {
        return Arguments.of(name, yaml, kind, forward, keep, sender, reason);
    }

    @Test
    void traceSaysWhyEachEarlierRuleDidNotMatch() throws Exception {
        RuleSet rules = Fixtures.load(dir, "rules:\n"
                + "  - {name: no-bounces, if: {bounce: true}, keep: true}\n"
                + "  - {name: lists, if: {list: true}, keep: ~/lists/}\n"
                + "  - {name: rest, forward: a@example.net}\n"
                + "  - {name: never, forward: b@example.net}\n");

        List<Decision.Trace> trace = rules.decide(Fixtures.facts(MESSAGE)).trace();

        assertThat(trace).extracting(Decision.Trace::rule)
                .containsExactly("no-bounces", "lists", "rest");
        assertThat(trace).extracting(Decision.Trace::matched).containsExactly(false, false, true);
        assertThat(trace.get(1).why())
                .isEqualTo("no List-Id field and no Precedence: list or bulk");
        assertThat(trace.get(2).actions()).isEqualTo("forward to <a@example.net>");
    }
}
