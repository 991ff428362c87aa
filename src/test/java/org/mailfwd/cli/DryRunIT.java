package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.prepended;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * --dry-run shows what a delivery would do and sends nothing: the envelope sender and its
 * source, the candidates not used and why, the recipients, the exact argv, the header edits
 * and the exit status the delivery would return. --json prints the same as one JSON object.
 */
class DryRunIT {
    private static final String DTLINE = "Delivered-To: alice-fwd@example.org\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n  - -bob@example.net\n");
    }

    private static Map<String, String> postfix(String sender) {
        return InstalledMailfwd.postfixLocal(sender);
    }

    private static Map<String, String> qmail(String sender) {
        return env("SENDER", sender, "RECIPIENT", "alice-fwd@example.org", "LOCAL",
                "alice-fwd", "HOST", "example.org", "EXT", "fwd", "DTLINE", DTLINE,
                "RPLINE", "Return-Path: <" + sender + ">\n");
    }

    private static Run dryRun(Map<String, String> env, byte[] message, CaptureSendmail capture,
            String... extra) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(capture.environment());
        List<String> args = new ArrayList<>(List.of("--rules", rules.toString(),
                "--sendmail", CaptureSendmail.path(), "--dry-run"));
        args.addAll(List.of(extra));
        return mailfwd.run(args, all, message);
    }

    @Test
    void textShowsSenderRecipientsArgvAndHeaderEditsAndSendsNothing() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = dryRun(postfix("alice+caf_=alice=example.org@example.net"),
                testmail("gmail-relayed.eml"), capture);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdoutText()).isEqualTo(String.join("\n",
                "mailfwd dry run: nothing is sent",
                "envelope sender: <alice+caf_=alice=example.org@example.net> (from SENDER)",
                "not used:        Return-Path \"<bob@example.com>\": lower Return-Path: a copy"
                        + " from an earlier hop",
                "recipients:      <alice@example.net> <-bob@example.net>",
                "argv:            " + CaptureSendmail.path() + " -i -f"
                        + " alice+caf_=alice=example.org@example.net -- alice@example.net"
                        + " -bob@example.net",
                "remove header:   Return-Path: <alice+caf_=alice=example.org@example.net>",
                "remove header:   Return-Path: <bob@example.com>",
                "spam:            no verdict",
                "dkim:            not signed: no signing section in /etc/mailfwd/config.yaml",
                "exit status:     0 (sent: 2.0.0 would hand off)", ""));
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void jsonGivesTheNullSenderAsEmptyString() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = dryRun(postfix(""), testmail("bounce.eml"), capture, "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdoutText()).startsWith("{").endsWith("}\n").hasLineCount(1)
                .contains("\"envelopeSender\":\"\"",
                        "\"senderSource\":\"SENDER\"",
                        "\"rejectedSources\":[]",
                        "\"recipients\":[\"alice@example.net\",\"-bob@example.net\"]",
                        "\"argv\":[\"" + CaptureSendmail.path() + "\",\"-i\",\"-f\",\"<>\","
                                + "\"--\",\"alice@example.net\",\"-bob@example.net\"]",
                        "\"removedHeaders\":[\"Return-Path: <>\"]",
                        "\"addedHeaders\":[]",
                        "\"exitCode\":0");
        assertThat(capture.wasRun()).isFalse();
    }

    @Test
    void jsonListsRejectedSourcesAndTheAddedDtline() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] input = prepended("Return-Path: <stale@example.com>\n"
                + "Return-Path: <older@example.com>\n", testmail("qmail-raw.eml"));

        Run run = dryRun(qmail("carol@example.com"), input, capture, "--json");

        assertThat(run.stdoutText()).contains(
                "\"envelopeSender\":\"carol@example.com\"",
                "\"senderSource\":\"SENDER\"",
                "\"rejectedSources\":[{\"source\":\"Return-Path\",\"value\":"
                        + "\"<older@example.com>\",\"reason\":\"lower Return-Path: a copy from"
                        + " an earlier hop\"}]",
                "\"removedHeaders\":[\"Return-Path: <stale@example.com>\","
                        + "\"Return-Path: <older@example.com>\"]",
                "\"addedHeaders\":[\"Delivered-To: alice-fwd@example.org\"]",
                "\"exitCode\":0");
    }

    @Test
    void jsonGivesTheExitCodeTheDeliveryWouldReturn() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        byte[] looped = prepended(DTLINE, testmail("qmail-raw.eml"));

        Run run = dryRun(qmail("carol@example.com"), looped, capture, "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdoutText()).contains("\"exitCode\":100",
                "5.4.6 mail forwarding loop for alice-fwd@example.org");
    }

    @Test
    void jsonShowsAnUnusableSenderAndTheDeferral() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));

        Run run = dryRun(postfix("bob@example.com, eve@example.com"),
                testmail("postfix-forward.eml"), capture, "--json");

        assertThat(run.stdoutText()).contains("\"envelopeSender\":null",
                "\"senderSource\":\"none\"",
                "\"rejectedSources\":[{\"source\":\"SENDER\",\"value\":"
                        + "\"bob@example.com, eve@example.com\",\"reason\":"
                        + "\"more than one address\"}]",
                "\"argv\":[]", "\"exitCode\":75",
                "4.1.7 unusable envelope sender in SENDER: more than one address");
    }

    @Test
    void discardShowsTheRuleThatDiscardsInsteadOfAHandOff() throws Exception {
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Path discarding = mailfwd.ruleFile("rules:\n  - name: drop-all\n    discard: true\n");
        Map<String, String> env = new HashMap<>(postfix("bob@example.com"));
        env.putAll(capture.environment());

        Run text = mailfwd.run(List.of("--rules", discarding.toString(), "--dry-run"), env,
                testmail("postfix-forward.eml"));
        Run json = mailfwd.run(List.of("--rules", discarding.toString(), "--dry-run", "--json"),
                env, testmail("postfix-forward.eml"));

        assertThat(text.exitCode()).as(text.stderrText()).isZero();
        assertThat(text.stdoutText()).contains("decision:        discard (discarded by rule"
                + " drop-all)").endsWith("exit status:     0 (2.0.0 discarded by rule"
                + " drop-all)\n").doesNotContain("would hand off", "sent:");
        assertThat(json.stdoutText()).contains("\"decision\":\"discard\"",
                "\"statusLine\":\"2.0.0 discarded by rule drop-all\"", "\"exitCode\":0")
                .doesNotContain("would hand off");
        assertThat(capture.wasRun()).isFalse();
    }
}
