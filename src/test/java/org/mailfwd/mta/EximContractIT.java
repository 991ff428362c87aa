package org.mailfwd.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.latin1;
import static org.mailfwd.cli.MessageBytes.prepended;
import static org.mailfwd.cli.MessageBytes.withoutLines;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.mta.EximPipe.Delivery;
import org.mailfwd.mta.EximPipe.Reading;
import org.mailfwd.mta.EximPipe.Result;

/**
 * mailfwd under Exim, as the line {@code "|LAUNCHER"} in alice's ~/.forward, run by
 * {@link EximPipe}, an exact emulation of Exim's default address_pipe transport. Exim
 * itself cannot be installed beside Postfix in CI (Debian allows one MTA package), so the
 * transport's documented behaviour is reproduced instead. The point that matters: with
 * return_output, any output turns even a deferral into a bounce, so mailfwd prints nothing.
 */
class EximContractIT {
    private static final ZonedDateTime RECEIVED = ZonedDateTime.parse("2026-11-03T09:31:41Z");
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

    private static Path home(String rules, FakeSendmail[] sendmail, int sendmailExit)
            throws Exception {
        Path home = mailfwd.newDirectory("home");
        sendmail[0] = FakeSendmail.in(home, sendmailExit);
        Files.writeString(home.resolve(".mailfwd.yaml"), rules + "sendmail: "
                + sendmail[0].program() + "\nlog: " + home.resolve("mailfwd.log") + "\n");
        return home;
    }

    private static Delivery alice(Path home, String sender) {
        return new Delivery("alice", "example.org", home, sender, "1vQz7k-000Abc-2x");
    }

    @Test
    void forwardsSilentlyWithoutTheFromLine() throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(GOOD_RULES, sendmail, 0);
        byte[] message = testmail("qmail-raw.eml");

        Result result = EximPipe.run(launcher, alice(home, "bob@example.com"), message,
                RECEIVED);

        assertThat(result.reading()).isEqualTo(Reading.DELIVERED);
        assertThat(result.output()).isEmpty();
        assertThat(sendmail[0].arguments())
                .containsExactly("-i", "-f", "bob@example.com", "--", "alice@example.net");
        // Exim's default message_suffix, one newline, arrives as part of the body, and
        // mailfwd cannot tell it from the sender's own: it is forwarded too.
        assertThat(sendmail[0].stdin()).isEqualTo(appended(message, "\n"));
    }

    @Test
    void bounceKeepsTheNullSender() throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(GOOD_RULES, sendmail, 0);
        byte[] bounce = withoutLines(testmail("bounce.eml"),
                "From MAILER-DAEMON  Tue Nov  3 10:15:02 2026", "Return-Path: <>",
                "X-Original-To: alice@example.org", "Delivered-To: alice@example.org");

        Result result = EximPipe.run(launcher, alice(home, ""), bounce, RECEIVED);

        assertThat(result.reading()).isEqualTo(Reading.DELIVERED);
        assertThat(sendmail[0].arguments()).containsSequence("-f", "<>");
    }

    @Test
    void signaturesSurviveTheTrailingNewline() throws Exception {
        Dkimpy.require();
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(GOOD_RULES, sendmail, 0);
        byte[] relayed = withoutLines(testmail("gmail-relayed.eml"),
                "Return-Path: <alice+caf_=alice=example.org@example.net>",
                "Delivered-To: alice@example.org");

        EximPipe.run(launcher, alice(home, "bob@example.com"), relayed, RECEIVED);

        Path forwarded = Files.write(home.resolve("forwarded.eml"), sendmail[0].stdin());
        assertThat(Dkimpy.verify(forwarded)).isEqualTo(forwarded + " sigs=pass,pass");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sendmail fails             | 75 | false | false | DEFERRED | 4.3.0",
        "broken rule file           | 0  | true  | false | DEFERRED | 4.3.5",
        "unknown option             | 0  | false | true  | DEFERRED | 4.3.5",
        "Delivered-To loop          | 0  | false | false | BOUNCED  | 5.4.6",
    })
    void failsSilentlyWithTheReasonInTheLog(String name, int sendmailExit, boolean brokenRules,
            boolean unknownOption, Reading intended, String status) throws Exception {
        FakeSendmail[] sendmail = new FakeSendmail[1];
        Path home = home(brokenRules ? GOOD_RULES + "\tlog: x\n" : GOOD_RULES, sendmail,
                sendmailExit);
        byte[] message = testmail("qmail-raw.eml");
        if (name.contains("loop")) {
            message = prepended("Delivered-To: alice@example.org\n", message);
        }
        String command = launcher + (unknownOption ? " --no-such-option x" : "");

        Result result = EximPipe.run(command, alice(home, "bob@example.com"), message,
                RECEIVED);

        assertThat(result.output()).as("under return_output any output bounces").isEmpty();
        assertThat(result.reading()).as("exit %d", result.exitCode()).isEqualTo(intended);
        if (!unknownOption && !brokenRules) {
            assertThat(Files.readString(home.resolve("mailfwd.log"))).contains(" (" + status);
        }
    }

    private static byte[] appended(byte[] message, String tail) {
        return (latin1(message) + tail).getBytes(StandardCharsets.ISO_8859_1);
    }

}
