package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("shorthands")
    void forwardShorthandAloneForwardsEverything(String name, String yaml) throws Exception {
        RuleSet rules = Fixtures.load(dir, yaml);

        Decision decision = rules.decide(Fixtures.facts("Subject: anything\n\nbody\n"));

        assertThat(decision.kind()).isEqualTo(Decision.Kind.DELIVER);
        assertThat(decision.forward()).extracting(Object::toString)
                .containsExactly("<alice@example.net>");
        assertThat(decision.keep()).isEmpty();
        assertThat(decision.sender().isOriginal()).isTrue();
    }

    static Stream<Arguments> shorthands() {
        return Stream.of(
                Arguments.of("flow style", "forward: [alice@example.net]\n"),
                Arguments.of("block style", "forward:\n  - alice@example.net\n"),
                Arguments.of("one address", "forward: alice@example.net\n"),
                Arguments.of("with the old keys", "forward: [alice@example.net]\n"
                        + "sendmail: /usr/sbin/sendmail\nlog: ~/forward.log\n"
                        + "fallback_sender: postmaster@example.org\nmax_received: 30\n"
                        + "sendmail_timeout: 60\n"));
    }

    @Test
    void signTakesOneDomainOrAListLowercased() throws Exception {
        Path one = Files.writeString(dir.resolve("one.yaml"),
                "forward: a@example.net\nsign: Example.ORG\n");
        Path list = Files.writeString(dir.resolve("list.yaml"),
                "forward: a@example.net\nsign: [example.org, mail.example.net, example.org]\n");
        Path none = Files.writeString(dir.resolve("none.yaml"), "forward: a@example.net\n");

        assertThat(RuleFile.load(one, Map.of()).signRequests()).containsExactly("example.org");
        assertThat(RuleFile.load(list, Map.of()).signRequests())
                .containsExactly("example.org", "mail.example.net");
        assertThat(RuleFile.load(none, Map.of()).signRequests()).isEmpty();
    }

    @Test
    void oldKeysKeepTheirMeaning() throws Exception {
        RuleSet rules = Fixtures.load(dir, "forward: [alice@example.net]\n"
                + "sendmail: /opt/bin/sendmail\nlog: ~/forward.log\n"
                + "fallback_sender: postmaster@example.org\nmax_received: 30\n"
                + "sendmail_timeout: 60\n");

        assertThat(rules.sendmail()).contains(Path.of("/opt/bin/sendmail"));
        assertThat(rules.log()).contains(Path.of("/home/alice/forward.log"));
        assertThat(rules.fallbackSender()).contains(Fixtures.sender("postmaster@example.org"));
        assertThat(rules.maxReceived()).isEqualTo(30);
        assertThat(rules.sendmailTimeout().toSeconds()).isEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFileNamesItsProblemPrecisely(String name, String yaml, String expected) {
        List<String> problems = Fixtures.problems(dir, yaml);

        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .isEqualTo(dir.resolve("rules.yaml") + expected));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("tab indentation", "rules:\n\t- forward: a@example.net\n",
                        ":2:1: found character '\\t(TAB)' that cannot start any token."
                                + " (Do not use \\t(TAB) for indentation)"
                                + " (YAML indents with spaces, never tabs)"),
                Arguments.of("unknown top-level key", "fowrard: [a@example.net]\n",
                        ":1:1: unknown key fowrard (did you mean forward?)"),
                Arguments.of("unknown rule key", "rules:\n  - name: x\n    forwrd: [a@b.example]\n",
                        ":3:5: unknown key forwrd in rule #1 (did you mean forward?)"),
                Arguments.of("unknown condition key",
                        "rules:\n  - if: {hedaer: {name: X}}\n    keep: true\n",
                        ":2:10: unknown key hedaer in if (did you mean header?)"),
                Arguments.of("number that is a list",
                        "forward: [a@example.net]\nmax_targets: [1]\n",
                        ":2:14: max_targets must be a positive whole number, not a list"),
                Arguments.of("boolean that is text",
                        "rules:\n  - keep: true\n    continue: yes please\n",
                        ":3:15: continue must be true or false, not the text \"yes please\""),
                Arguments.of("YAML 1.1 yes is text",
                        "rules:\n  - if: {bounce: yes}\n    keep: true\n",
                        ":2:18: bounce must be true or false, not the text \"yes\""),
                Arguments.of("forward as a mapping", "forward: {alice: example.net}\n",
                        ":1:10: forward must be an address or a list of addresses,"
                                + " not a mapping"),
                Arguments.of("bad address", "forward: [\"alice at example.net\"]\n",
                        ":1:11: forward address \"alice at example.net\": unexpected \"a\""
                                + " at position 7"),
                Arguments.of("bad regex",
                        "rules:\n  - if: {header: {name: Subject, regex: \"([\"}}\n"
                                + "    keep: true\n",
                        ":2:41: regex \"([\" is not valid: Unclosed character class at"
                                + " character 2 (Java regular expression syntax)"),
                Arguments.of("duplicate key",
                        "forward: [a@example.net]\nforward: [b@example.net]\n",
                        ":2:1: duplicate key forward (each key may appear"
                                + " once; merge the two)"),
                Arguments.of("empty spam condition", "rules:\n  - if: {spam: {}}\n    keep: true\n",
                        ":2:16: spam needs true, false, or a score over: and/or under:"),
                Arguments.of("a list at the top", "- alice@example.net\n",
                        ":1:1: the file must be a mapping of keys, not a list"),
                Arguments.of("shorthand and rules", "forward: [a@example.net]\nrules: []\n",
                        ":1:1: forward: and rules: cannot both be at the top (put this"
                                + " forward into a rule without if:, last in rules:)"),
                Arguments.of("no action", "rules:\n  - name: lazy\n",
                        ":2:5: rule lazy has no action (forward, keep, discard, bounce"
                                + " or defer)"),
                Arguments.of("discard with forward",
                        "rules:\n  - forward: [a@example.net]\n    discard: true\n",
                        ":3:5: rule #1: discard cannot go with forward or keep"),
                Arguments.of("too many targets",
                        "max_targets: 2\nforward: [a@example.net, b@example.net, c@example.net]\n",
                        ":2:10: forward has 3 addresses, more than max_targets 2"),
                Arguments.of("senders that disagree", "rules:\n"
                        + "  - {name: a, forward: [a@example.net], continue: true}\n"
                        + "  - {name: b, forward: [b@example.net], sender: null}\n",
                        ":3:5: rule b forwards with sender <> but rule a continues with"
                                + " sender original; one message has one sender"),
                Arguments.of("default that drops", "forward: [a@example.net]\ndefault: discard\n",
                        ":2:10: default must be keep or defer, not \"discard\" (mail that"
                                + " matches no rule is never dropped silently)"),
                Arguments.of("relative keep path", "rules:\n  - keep: Maildir/\n",
                        ":2:11: keep must be an absolute path or start with ~/, not"
                                + " \"Maildir/\""),
                Arguments.of("size without unit sense",
                        "rules:\n  - if: {size: {over: lots}}\n    keep: true\n",
                        ":2:23: size over must be a number of bytes such as 500k or 10M,"
                                + " not the text \"lots\""),
                Arguments.of("nesting bomb", "forward: " + "[".repeat(100) + "\n",
                        ":1:50: nested more than 40 levels deep"),
                Arguments.of("sign names a key", "forward: [a@example.net]\n"
                        + "sign: {domain: example.org, selector: mine, key: /tmp/k}\n",
                        ":2:7: sign: takes domain names only; the selector and key come from"
                                + " the system file's signing table"),
                Arguments.of("sign a wildcard", "forward: [a@example.net]\n"
                        + "sign: [example.org, \"*.example.net\"]\n",
                        ":2:21: sign: \"*.example.net\" is not a domain name"),
                Arguments.of("empty file", "", ": empty rule file (write at least"
                        + " forward: [you@example.net])"));
    }

    @Test
    void billionLaughsFailsFastOnAliases() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("forward: *a9\n");

        List<String> problems = Fixtures.problems(dir, yaml.toString());

        assertThat(problems).singleElement().asString()
                .startsWith(dir.resolve("rules.yaml") + ":")
                .contains("Number of aliases for non-scalar nodes exceeds the specified max=20")
                .endsWith("(at most 20 aliases of lists or mappings)");
    }

    @Test
    void aliasesWithinTheLimitStillCannotMultiplyValuesWithoutEnd() {
        StringBuilder yaml = new StringBuilder("rules:\n  - &r0 {keep: true}\n");
        for (int i = 1; i < 15; i++) {
            yaml.append("  - &r").append(i).append(" {if: {all: [{not: {list: true}}]},")
                    .append(" keep: true}\n");
        }
        yaml.append("forward: [a@example.net]\n");
        // Fifteen plain rules are fine; the guard only counts values, it does not refuse.
        assertThat(Fixtures.problems(dir, yaml.toString()))
                .noneMatch(problem -> problem.contains("values"));
    }

    @Test
    void tenMegabyteFileIsRefusedBeforeParsing() throws Exception {
        Path file = dir.resolve("rules.yaml");
        byte[] big = ("# " + "x".repeat(97) + "\n").repeat(100_000)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(file, big);

        assertThatThrownBy(() -> RuleFile.load(file, Fixtures.HOME))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(file + ": larger than 1 MiB (10000000 bytes); a rule file is a"
                        + " few dozen lines");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirPlace() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.write(file, new byte[] {'f', 'o', 'r', 'w', 'a', 'r', 'd', ':', ' ', '[', 'a',
            '@', 'b', '.', 'c', ']', '\n', '#', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'});

        assertThatThrownBy(() -> RuleFile.load(file, Fixtures.HOME))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(file + ":2:6: not UTF-8 text (byte 0xe9; save the file as UTF-8)");
    }

    @Test
    void missingFileSaysSo() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> RuleFile.load(file, Fixtures.HOME))
                .hasMessage(file + ": no such file");
    }

    @Test
    void everyProblemIsReportedInOneRun() {
        List<String> problems = Fixtures.problems(dir, "fowrard: [a@example.net]\n"
                + "max_targets: many\nrules:\n  - name: x\n    discard: false\n");

        assertThat(problems).hasSize(3);
    }

    @Test
    void keepPathEndingInSlashIsAMaildirElseAnMbox() throws Exception {
        RuleSet rules = Fixtures.load(dir, "rules:\n  - {keep: ~/Maildir/, continue: true}\n"
                + "  - keep: /var/mail/alice\n");

        Decision decision = rules.decide(Fixtures.facts("Subject: x\n\nbody\n"));

        assertThat(decision.keep()).containsExactly(
                new KeepTarget(Path.of("/home/alice/Maildir"), true),
                new KeepTarget(Path.of("/var/mail/alice"), false));
    }
}
