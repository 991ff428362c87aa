package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.cli.CaptureSendmail;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * The whole pipeline with spam (issue 4), through the installed launcher into the recording
 * sendmail: the verdict feeds the rules, the tag is written before signing, and a message
 * our filter calls spam is never signed, even by a signing table that covers its domain.
 */
class SpamDeliveryIT {
    private static final String RECEIVED = "Received: from mx.example.com (mx.example.com"
            + " [192.0.2.25])\n\tby mail.example.org (Postfix) with ESMTPS id 4Q7x9\n"
            + "\tfor <alice@example.org>; Tue, 3 Nov 2026 09:14:04 +0100 (CET)\n";
    private static final String REST = "From: Bob <bob@example.org>\nTo: alice@example.org\n"
            + "Subject: Lunch\nDate: Tue, 3 Nov 2026 09:14:01 +0100\n"
            + "Message-ID: <1@example.org>\n\nSee you at noon.\n";
    private static final String SPAM_STATUS = "X-Spam-Status: Yes, score=7.3 required=5.0"
            + " tests=BAYES_99\n";
    private static final String HAM_STATUS = "X-Spam-Status: No, score=0.3 required=5.0"
            + " tests=NONE\n";

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;
    static Path config;

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        Path key = work.resolve("key.pem");
        Files.copy(Prerequisites.projectDir().resolve("src/test/resources/dkim/testmails-key.pem"),
                key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        config = Files.writeString(work.resolve("config.yaml"), """
                signing:
                  origin: {all_mail: true}
                  domains:
                    example.org:
                      signatures:
                        - {selector: mailfwd-test, key: KEY}
                """.replace("KEY", key.toString()));
        rules = mailfwd.ruleFile("""
                rules:
                  - name: spam
                    if: {spam: true}
                    forward: [spam@example.net]
                    tag: true
                  - name: rest
                    forward: [alice@example.net]
                """);
    }

    @Test
    void hamIsForwardedAndSigned() throws Exception {
        CaptureSendmail capture = capture();

        Run run = run(capture, HAM_STATUS + RECEIVED + REST, List.of());

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(capture.argv()).endsWith("alice@example.net");
        assertThat(text(capture.stdin())).startsWith("DKIM-Signature:")
                .contains("Subject: Lunch\n");
        assertThat(logLine()).contains(" spam=no/0.3/5.0 tag=none dkim=(signed");
    }

    @Test
    void spamIsTaggedForwardedElsewhereAndNeverSigned() throws Exception {
        CaptureSendmail capture = capture();

        Run run = run(capture, SPAM_STATUS + RECEIVED + REST, List.of());

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(capture.argv()).endsWith("spam@example.net");
        assertThat(text(capture.stdin())).isEqualTo(
                SPAM_STATUS + RECEIVED + REST.replace("Subject: Lunch", "Subject: [SPAM] Lunch"));
        assertThat(logLine()).contains(" spam=yes/7.3/5.0 tag=subject"
                + " dkim=(not signed: message is spam)");
    }

    @Test
    void forgedHamBelowOurReceivedDoesNotGetSpamSigned() throws Exception {
        CaptureSendmail capture = capture();
        String forged = SPAM_STATUS + RECEIVED + "X-Spam-Status: No, score=-50 required=5\n"
                + REST;

        Run run = run(capture, forged, List.of());

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(capture.argv()).endsWith("spam@example.net");
        assertThat(logLine()).contains("dkim=(not signed: message is spam)");
    }

    @Test
    void signedSpamGetsTheHeaderAndItsSignaturesStillVerify() throws Exception {
        Prerequisites.require("python3-dkim", "/usr/bin/python3", "-c", "import dkim");
        CaptureSendmail capture = capture();
        byte[] relayed = InstalledMailfwd.testmail("gmail-relayed.eml");
        byte[] input = concat(SPAM_STATUS.getBytes(StandardCharsets.US_ASCII), relayed);

        Run dryRun = run(capture, input, List.of("--dry-run"));
        Run json = run(capture, input, List.of("--dry-run", "--json"));
        Run run = run(capture, input, List.of());

        assertThat(dryRun.stdoutText()).contains("spam tag:        X-Spam-Flag: YES added;"
                + " breaks no signature; a Subject tag would break d=example.net s=fwd2026,"
                + " d=example.com s=mailfwd-test");
        assertThat(json.stdoutText()).contains("\"spam\":\"spam score=7.3/5.0 (X-Spam-Status)\"",
                "\"spamTag\":\"X-Spam-Flag: YES added; breaks no signature;");
        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(text(capture.stdin())).startsWith("X-Spam-Flag: YES\n" + SPAM_STATUS);
        Path forwarded = Files.write(work.resolve("forwarded.eml"), capture.stdin());
        assertThat(dkimpy(forwarded)).endsWith("sigs=pass,pass");
    }

    @Test
    void spamcDownForwardsAsNotSpamAndSaysSoOnlyInTheLog() throws Exception {
        CaptureSendmail capture = capture();
        Path noSpamc = Files.writeString(work.resolve("no-spamc.yaml"),
                "spam: {spamc: {program: /nonexistent/spamc}}\n");

        Run run = run(capture, RECEIVED + REST, List.of("--config", noSpamc.toString()));

        assertThat(run.exitCode()).as(run.stderrText()).isZero();
        assertThat(run.stderr()).isEmpty();
        assertThat(capture.argv()).endsWith("alice@example.net");
        assertThat(logLine()).contains(" spam=no(fallback (cannot run /nonexistent/spamc:"
                + " no such file)) tag=none");
    }

    @Test
    void spamcDownWithFallbackDeferWaitsInTheQueue() throws Exception {
        CaptureSendmail capture = capture();
        Path defer = Files.writeString(work.resolve("defer.yaml"),
                "spam: {spamc: {program: /nonexistent/spamc, fallback: defer}}\n");

        Run run = run(capture, RECEIVED + REST, List.of("--config", defer.toString()));

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderrText()).isEqualTo("4.3.0 cannot run /nonexistent/spamc:"
                + " no such file\n");
        assertThat(capture.wasRun()).isFalse();
    }

    private static CaptureSendmail capture() throws Exception {
        return new CaptureSendmail(mailfwd.newDirectory("capture"));
    }

    private static Run run(CaptureSendmail capture, String message, List<String> extra)
            throws Exception {
        return run(capture, message.getBytes(StandardCharsets.UTF_8), extra);
    }

    private static Run run(CaptureSendmail capture, byte[] message, List<String> extra)
            throws Exception {
        Files.deleteIfExists(work.resolve("mailfwd.log"));
        List<String> args = new ArrayList<>(List.of("--mta", "postfix", "--sender",
                "bob@example.org", "--recipient", "alice@example.org", "--rules",
                rules.toString(), "--sendmail", CaptureSendmail.path(), "--log",
                work.resolve("mailfwd.log").toString()));
        if (!extra.contains("--config")) {
            args.addAll(List.of("--config", config.toString()));
        }
        args.addAll(extra);
        return mailfwd.run(args, capture.environment(), message);
    }

    private static String logLine() throws Exception {
        return Files.readString(work.resolve("mailfwd.log"), StandardCharsets.UTF_8).strip();
    }

    private static String dkimpy(Path message) throws Exception {
        Path dkim = Prerequisites.projectDir().resolve("src/test/resources/dkim");
        Process process = new ProcessBuilder("/usr/bin/python3",
                dkim.resolve("verify-dkimpy.py").toString(),
                dkim.resolve("testmails.dns").toString(), message.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
