package org.mailfwd.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.prepended;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.mta.QmailLocal.Delivery;
import org.mailfwd.mta.QmailLocal.Reading;
import org.mailfwd.mta.QmailLocal.Result;

/**
 * mailfwd under qmail, as alice's ~/.qmail-fwd line {@code |LAUNCHER}: qmail-local's
 * contract emulated exactly by {@link QmailLocal} (environment, raw message, /bin/sh -c, the
 * home as working directory), and every exit status read as qmail-command(8) reads it.
 */
class QmailContractIT {
    private static final ZonedDateTime QUEUED = ZonedDateTime.parse("2026-11-03T08:31:40Z");
    private static final String DTLINE = "Delivered-To: alice-fwd@example.org\n";
    private static final String GOOD_RULES = "forward:\n  - alice@example.net\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static String launcher;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        launcher = work.resolve("prefix/bin/mailfwd").toString()
                + InstalledMailfwd.allowRootFlag();
    }

    /** A fresh home for alice with a rule file whose sendmail is a fake exiting so. */
    private static Path home(String rules, FakeSendmail[] sendmail, int sendmailExit)
            throws Exception {
        Path home = mailfwd.newDirectory("home");
        sendmail[0] = FakeSendmail.in(home, sendmailExit);
        Files.writeString(home.resolve(".mailfwd.yaml"),
                rules + "sendmail: " + sendmail[0].program() + "\n");
        return home;
    }

    private static Delivery alice(Path home, String sender) {
        return new Delivery("alice", home, "alice-fwd", "-", "fwd", "example.org", sender);
    }

    @Test
    void forwardsTheRawMessageWithDtlineOnTopAndTheSenderFromSender() throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(GOOD_RULES, sendmail, 0);
        byte[] raw = testmail("qmail-raw.eml");

        Result result = QmailLocal.run(launcher, alice(home, "carol@example.com"), raw, QUEUED);

        assertThat(result.reading()).isEqualTo(Reading.DELIVERED);
        assertThat(result.output()).isEmpty();
        assertThat(sendmail[0].arguments())
                .containsExactly("-i", "-f", "carol@example.com", "--", "alice@example.net");
        assertThat(sendmail[0].stdin()).isEqualTo(prepended(DTLINE, raw));
    }

    @Test
    void keepsTheOriginalSenderWhenQmailOffersAListOwnerAsNewSender() throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(GOOD_RULES, sendmail, 0);
        Files.writeString(home.resolve(".qmail-fwd-owner"), "alice\n");
        Delivery delivery = alice(home, "carol@example.com");
        assertThat(QmailLocal.environment(delivery, QUEUED))
                .containsEntry("NEWSENDER", "alice-fwd-owner@example.org");

        Result result = QmailLocal.run(launcher, delivery, testmail("qmail-raw.eml"), QUEUED);

        assertThat(result.reading()).isEqualTo(Reading.DELIVERED);
        assertThat(sendmail[0].arguments()).containsSequence("-f", "carol@example.com");
    }

    @Test
    void environmentIsWhatQmailLocalSets() throws Exception {
        Path home = mailfwd.newDirectory("home");

        assertThat(QmailLocal.environment(new Delivery("alice", home, "alice-list-x",
                "-", "list-x", "mx.example.org", "john smith@example.com"), QUEUED))
                .containsExactly(
                        entry("HOST", "mx.example.org"), entry("HOME", home.toString()),
                        entry("USER", "alice"), entry("LOCAL", "alice-list-x"),
                        entry("RECIPIENT", "alice-list-x@mx.example.org"),
                        entry("DTLINE", "Delivered-To: alice-list-x@mx.example.org\n"),
                        entry("SENDER", "john smith@example.com"),
                        entry("RPLINE", "Return-Path: <\"john smith\"@example.com>\n"),
                        entry("UFLINE", "From john-smith@example.com Tue Nov  3 08:31:40 2026\n"),
                        entry("EXT", "list-x"), entry("EXT2", "x"), entry("EXT3", ""),
                        entry("EXT4", ""), entry("HOST2", "mx.example"), entry("HOST3", "mx"),
                        entry("HOST4", "mx"), entry("NEWSENDER", "john smith@example.com"));
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return Map.entry(name, value);
    }

    /** What can happen to one message, and the class qmail must read from the exit status. */
    enum Scenario {
        FORWARDED(Reading.DELIVERED),
        SENDMAIL_FAILS(Reading.TEMPORARY),
        BROKEN_RULE_FILE(Reading.TEMPORARY),
        SENDER_WITH_A_NEWLINE(Reading.TEMPORARY),
        UNKNOWN_OPTION(Reading.TEMPORARY),
        LOOP(Reading.PERMANENT),
        TOO_MANY_RECEIVED(Reading.PERMANENT);

        final Reading intended;

        Scenario(Reading intended) {
            this.intended = intended;
        }
    }

    static Stream<Arguments> outcomes() {
        Stream<Arguments> readmeLine = Stream.of(Scenario.values())
                .map(s -> Arguments.of(s + " with the README's line", s, ""));
        // Even told the wrong MTA, mailfwd's sysexits codes land in the right qmail class.
        // (A Delivered-To loop is not among them: only qmail's DTLINE marks one there.)
        Stream<Arguments> wrongMta = Stream.of("postfix", "exim", "sendmail").flatMap(mta ->
                Stream.of(Scenario.SENDMAIL_FAILS, Scenario.TOO_MANY_RECEIVED).map(s ->
                        Arguments.of(s + " with --mta " + mta, s, " --mta " + mta)));
        return Stream.concat(readmeLine, wrongMta);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void qmailReadsTheExitStatusAsIntended(String name, Scenario scenario, String options)
            throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(rules(scenario), sendmail,
                scenario == Scenario.SENDMAIL_FAILS ? 75 : 0);
        String sender = scenario == Scenario.SENDER_WITH_A_NEWLINE
                ? "carol@example.com\nX-Evil: yes" : "carol@example.com";
        String line = launcher + options
                + (scenario == Scenario.UNKNOWN_OPTION ? " --no-such-option x" : "");
        byte[] raw = testmail("qmail-raw.eml");

        Result result = QmailLocal.run(line, alice(home, sender),
                scenario == Scenario.LOOP ? prepended(DTLINE, raw) : raw, QUEUED);

        assertThat(result.reading()).as("exit %d", result.exitCode())
                .isEqualTo(scenario.intended);
        if (scenario == Scenario.FORWARDED) {
            assertThat(result.output()).isEmpty();
        } else if (options.isEmpty()) {
            // qmail puts this one line into its log or the bounce.
            String status = scenario.intended == Reading.PERMANENT ? "5." : "4.";
            assertThat(result.output()).startsWith(status).endsWith("\n");
            assertThat(result.output().lines()).hasSize(1);
        }
    }

    private static String rules(Scenario scenario) {
        return switch (scenario) {
            case BROKEN_RULE_FILE -> GOOD_RULES + "\tlog: x\n";
            // qmail-raw.eml has two Received fields.
            case TOO_MANY_RECEIVED -> GOOD_RULES + "max_received: 1\n";
            default -> GOOD_RULES;
        };
    }

    @ParameterizedTest(name = "exit {0} reads as {1}")
    @CsvSource({
        "0, DELIVERED", "99, DELIVERED_STOP", "100, PERMANENT", "111, TEMPORARY",
        "64, PERMANENT", "65, PERMANENT", "70, PERMANENT", "76, PERMANENT", "77, PERMANENT",
        "78, PERMANENT", "112, PERMANENT", "75, TEMPORARY", "69, TEMPORARY", "1, TEMPORARY",
    })
    void exitStatusIsReadAsQmailCommandSays(int exitCode, Reading reading) {
        assertThat(QmailLocal.read(exitCode)).isEqualTo(reading);
    }
}
