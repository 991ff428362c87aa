package org.mailfwd.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.status.DeliveryStatus;

/** What a delivery does with what the rules decide: the outcome an MTA sees, and the files. */
class DeliveryDecisionTest {
    private static final String MESSAGE = "From: bob@example.org\nSubject: hello\n"
            + "Message-ID: <1@example.org>\n\nbody\n";

    @TempDir
    Path dir;

    private Path rules(String yaml) throws Exception {
        return Files.writeString(dir.resolve("rules.yaml"), yaml);
    }

    private Delivery delivery(Path rules, Optional<Path> config, Optional<String> sender) {
        return new Delivery(new DeliveryRequest(Optional.of(rules), config, sender,
                Optional.of("alice@example.com"), Optional.of(fakeSendmail()), Optional.empty(),
                Optional.of(Mta.SENDMAIL), Map.of("HOME", dir.toString())));
    }

    private Outcome run(Delivery delivery) {
        Plan plan = delivery.plan(new ByteArrayInputStream(
                MESSAGE.getBytes(StandardCharsets.UTF_8)));
        return delivery.execute(plan);
    }

    /** A sendmail that records its arguments and input, then succeeds. */
    private Path fakeSendmail() {
        try {
            Path script = dir.resolve("sendmail");
            if (!Files.exists(script)) {
                Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n"
                        + "cat > \"$0.input\"\n");
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            }
            return script;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void ruleDecisionBecomesTheOutcomeTheMtaSees(String name, String yaml,
            DeliveryStatus status, String statusLine, int exitCode, int qmailExitCode)
            throws Exception {
        Outcome outcome = run(delivery(rules(yaml), Optional.empty(),
                Optional.of("bob@example.org")));

        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.statusLine()).isEqualTo(statusLine.replace("$DIR", dir.toString()));
        assertThat(Mta.SENDMAIL.exitCode(outcome)).isEqualTo(exitCode);
        assertThat(Mta.QMAIL.exitCode(outcome)).isEqualTo(qmailExitCode);
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("bounce is permanent, 5.7.1 and EX_NOPERM",
                        "rules:\n  - bounce: this address is closed\n", DeliveryStatus.BOUNCED,
                        "5.7.1 this address is closed", 77, 100),
                Arguments.of("defer is temporary", "rules:\n  - defer: moving house\n",
                        DeliveryStatus.DEFERRED, "4.7.0 moving house", 75, 111),
                Arguments.of("discard is delivered and says so",
                        "rules:\n  - {name: drop, discard: true}\n", DeliveryStatus.SENT,
                        "2.0.0 discarded by rule drop", 0, 0),
                Arguments.of("forward", "forward: [carol@example.net]\n", DeliveryStatus.SENT,
                        "2.0.0 forwarded to 1 recipient(s)", 0, 0),
                Arguments.of("broken rule file waits with its message",
                        "rules:\n  - forwrd: [a@example.net]\n", DeliveryStatus.DEFERRED,
                        "4.3.5 $DIR/rules.yaml:2:5: unknown key forwrd in rule #1"
                                + " (did you mean forward?)", 75, 111),
                Arguments.of("broken spam condition waits with its message",
                        "rules:\n  - {if: {spam: {}}, keep: true}\n", DeliveryStatus.DEFERRED,
                        "4.3.5 $DIR/rules.yaml:2:17: spam needs true, false, or a score over:"
                                + " and/or under:", 75, 111));
    }

    @Test
    void forwardAndKeepWritesTheCopyAndHandsOffWithTheFixedSender() throws Exception {
        Delivery delivery = delivery(rules("rules:\n  - forward: carol@example.net\n"
                + "    keep: " + dir + "/Maildir/\n    sender: forwarder@example.com\n"),
                Optional.empty(), Optional.of("bob@example.org"));

        Outcome outcome = run(delivery);

        assertThat(outcome.statusLine())
                .isEqualTo("2.0.0 forwarded to 1 recipient(s), kept 1 local copy(ies)");
        assertThat(Files.readAllLines(dir.resolve("sendmail.args"))).containsExactly(
                "-i", "-f", "forwarder@example.com", "--", "carol@example.net");
        try (Stream<Path> kept = Files.list(dir.resolve("Maildir/new"))) {
            assertThat(kept.toList()).singleElement().satisfies(file -> assertThat(
                    Files.readString(file)).isEqualTo(MESSAGE));
        }
    }

    @Test
    void fixedSenderForwardsEvenWithoutAnyOriginalSender() throws Exception {
        Delivery delivery = delivery(rules("rules:\n  - {forward: carol@example.net,"
                + " sender: null}\n"), Optional.empty(), Optional.empty());

        Plan plan = delivery.plan(new ByteArrayInputStream(MESSAGE.getBytes(
                StandardCharsets.UTF_8)));

        assertThat(plan.failure()).isEmpty();
        assertThat(plan.argv()).containsSubsequence("-f", "<>", "--", "carol@example.net");
    }

    @Test
    void noMatchKeepsInTheMailboxByDefault() throws Exception {
        Outcome outcome = run(delivery(rules("rules:\n  - {if: {list: true},"
                + " forward: carol@example.net}\n"), Optional.empty(),
                Optional.of("bob@example.org")));

        assertThat(outcome.status()).isEqualTo(DeliveryStatus.SENT);
        try (Stream<Path> kept = Files.list(dir.resolve("Maildir/new"))) {
            assertThat(kept.toList()).hasSize(1);
        }
    }

    @Test
    void brokenSystemFileDefersWithItsMessage() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "max_targets: -1\n");

        Outcome outcome = run(delivery(rules("forward: carol@example.net\n"),
                Optional.of(config), Optional.of("bob@example.org")));

        assertThat(outcome.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(outcome.statusLine()).isEqualTo("4.3.5 " + config
                + ":1:14: max_targets must be a positive whole number, not the number -1");
    }

    @Test
    void planTellsWhichRuleMatchedAndWhyEarlierOnesDidNot() throws Exception {
        Delivery delivery = delivery(rules("rules:\n"
                + "  - {name: bounces, if: {bounce: true}, keep: true}\n"
                + "  - {name: everything, forward: carol@example.net}\n"),
                Optional.empty(), Optional.of("bob@example.org"));

        Plan plan = delivery.plan(new ByteArrayInputStream(MESSAGE.getBytes(
                StandardCharsets.UTF_8)));

        assertThat(plan.decision().orElseThrow().trace())
                .extracting(trace -> trace.rule() + " " + trace.matched() + " " + trace.why())
                .isEqualTo(List.of(
                        "bounces false the envelope sender is not null (not a bounce)",
                        "everything true the rule has no if:"));
    }
}
