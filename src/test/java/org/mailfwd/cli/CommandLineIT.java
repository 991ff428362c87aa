package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * The command line and the rule file as an admin meets them: the default rule file in HOME,
 * the forward: shorthand, --sender from a Postfix pipe(8) line, and what happens when the
 * rule file is missing or broken (the message waits, and stderr says where the problem is).
 */
class CommandLineIT {
    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
    }

    /** Plain sendmail's prog mailer sets no variables: the sender is in the From_ line. */
    private static Map<String, String> sendmailEnvironment(CaptureSendmail capture) {
        return new HashMap<>(capture.environment());
    }

    @Test
    void readsTheShorthandRuleFileFromHome() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path home = mailfwd.newDirectory("home");
        Files.writeString(home.resolve(".mailfwd.yaml"), "forward:\n  - alice@example.net\n"
                + "sendmail: " + CaptureSendmail.path() + "\n");
        Map<String, String> env = sendmailEnvironment(capture);
        env.put("HOME", home.toString());

        Run run = mailfwd.run(List.of(), env, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "bob@example.com", "--", "alice@example.net");
        assertThat(Files.readString(home.resolve(".mailfwd.log"))).contains("status=sent");
    }

    @Test
    void senderArgumentFromPostfixPipeBeatsEverySourceEvenWhenItStartsWithADash()
            throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path rules = mailfwd.ruleFile("forward: alice@example.net\n");
        Map<String, String> env = sendmailEnvironment(capture);
        env.put("SENDER", "bob@example.com");

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path(), "--sender", "-f@example.com", "--recipient",
                "carol@example.org"), env, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isZero();
        assertThat(capture.argv()).containsExactly(CaptureSendmail.path(),
                "-i", "-f", "-f@example.com", "--", "alice@example.net");
    }

    @Test
    void missingRuleFileDefersAndNamesTheFile() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path missing = work.resolve("nowhere/mailfwd.yaml");

        Run run = mailfwd.run(List.of("--rules", missing.toString()),
                sendmailEnvironment(capture), testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.5 " + missing + ": no such file\n");
        assertThat(run.stdout()).isEmpty();
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void ruleFileIndentedWithATabDefersWithFileLineAndColumn() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path rules = mailfwd.ruleFile("forward:\n\t- alice@example.net\n");

        Run run = mailfwd.run(List.of("--rules", rules.toString()),
                sendmailEnvironment(capture), testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).matches("4\\.3\\.5 \\Q" + rules + "\\E:2:1: .*\\n")
                .contains("tabs");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void misspelledKeyDefersWithFileLineAndColumnAndASuggestion() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path rules = mailfwd.ruleFile("forward:\n  - alice@example.net\nsendmial: /x\n");

        Run run = mailfwd.run(List.of("--rules", rules.toString()),
                sendmailEnvironment(capture), testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.5 " + rules
                + ":3:1: unknown key sendmial (did you mean sendmail?)\n");
    }

    @Test
    void unknownOptionDefersRatherThanBounces() throws Exception {
        Run run = mailfwd.run(List.of("--frobnicate", "x"), env(), testmail("qmail-raw.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo(
                "4.3.5 mailfwd: unknown option --frobnicate (see mailfwd --help)\n");
    }

    @Test
    void versionAndHelpGoToStdout() throws Exception {
        Run version = mailfwd.run(List.of("--version"), env(), new byte[0]);
        Run help = mailfwd.run(List.of("--help"), env(), new byte[0]);

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdoutText()).startsWith("mailfwd ");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdoutText()).startsWith("usage: mailfwd").contains("--dry-run",
                "--rules FILE", "--sender ADDR", "--recipient ADDR", "--mta NAME");
    }

    /**
     * A .forward line with --version or --help must not print and exit 0: the MTA would
     * count the message as delivered. Under an MTA's environment they defer instead.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"--version", "--help", "-h"})
    void versionOrHelpInADeliveryDefersAndSendsNothing(String option) throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Map<String, String> environment = InstalledMailfwd.postfixLocal("bob@example.com");
        environment.putAll(capture.environment());

        Run run = mailfwd.run(List.of("--sendmail", CaptureSendmail.path(), "--recipient",
                "alice@example.org", option), environment, testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stdoutText()).isEmpty();
        assertThat(run.stderrText()).isEqualTo("4.3.5 mailfwd: "
                + (option.equals("-h") ? "--help" : option) + " is not for a delivery command"
                + " line; the message waits (see mailfwd --help)\n");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void helpIsTheSynopsisOfTheManual() throws Exception {
        String manual = Files.readString(InstalledMailfwd.projectDir()
                .resolve("docs/manual.md"));
        String start = "## SYNOPSIS\n\n```\n";
        int from = manual.indexOf(start) + start.length();
        String synopsis = manual.substring(from, manual.indexOf("```", from));

        Run help = mailfwd.run(List.of("--help"), env(), new byte[0]);

        assertThat(help.stdoutText()).isEqualTo(synopsis);
    }

    @ParameterizedTest(name = "--mta {0}: exit {1}")
    @CsvSource({
        "qmail,    111, true",
        "postfix,  75,  true",
        "exim,     75,  false",
        "sendmail, 75,  true",
    })
    void mtaOptionChoosesTheExitCodeAndWhetherToPrint(String mta, int exitCode,
            boolean prints) throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"))
                .exitingWith(75);
        Path rules = mailfwd.ruleFile("forward: alice@example.net\n");

        Run run = mailfwd.run(List.of("--mta", mta, "--rules", rules.toString(),
                "--sendmail", CaptureSendmail.path()), sendmailEnvironment(capture),
                testmail("postfix-forward.eml"));

        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.stderrText()).isEqualTo(prints ? "4.3.0 " + CaptureSendmail.path()
                + " exited with status 75\n" : "");
    }
}
