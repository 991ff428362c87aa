package org.mailfwd.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mailfwd.cli.InstalledMailfwd.env;
import static org.mailfwd.cli.InstalledMailfwd.testmail;
import static org.mailfwd.cli.MessageBytes.latin1;
import static org.mailfwd.cli.MessageBytes.withoutLines;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mailfwd.cli.CaptureSendmail;
import org.mailfwd.cli.InstalledMailfwd;
import org.mailfwd.cli.InstalledMailfwd.Run;

/**
 * Signatures on a forwarded message still verify, judged by verifiers that share no code
 * with mailfwd: dkimpy (python3-dkim) and Perl's Mail::DKIM, both fed keys from files, never
 * from DNS. Every message of Mail::DKIM's own corpus (../shared/corpus/mail-dkim, next to the
 * checkout) goes through the installed launcher into the recording sendmail, and each
 * verifier must give every signature the same verdict before and after.
 *
 * <p>When the corpus or a verifier is missing these tests are skipped with the reason, except
 * under CI=true, where .ci/run has installed everything and a skip would hide a failure.
 */
class DkimSurvivesForwardingIT {
    private static final Path CORPUS = InstalledMailfwd.projectDir()
            .resolve("../shared/corpus/mail-dkim").normalize();
    private static final Pattern RETURN_PATH_LINE =
            Pattern.compile("(?im)^Return-Path:[^\\r\\n]*$");

    @TempDir
    static Path work;
    static InstalledMailfwd mailfwd;
    static Path rules;
    private static Path forwardedCorpus;

    /** An independent verifier, run as its own process on a list of files. */
    enum Verifier {
        DKIMPY("python3-dkim", "verify-dkimpy.py", "/usr/bin/python3", "-c", "import dkim"),
        MAIL_DKIM("libmail-dkim-perl", "verify-mail-dkim.pl", "perl",
                "-MMail::DKIM::Verifier", "-e", "1");

        final String debianPackage;
        final String script;
        final List<String> probe;

        Verifier(String debianPackage, String script, String... probe) {
            this.debianPackage = debianPackage;
            this.script = script;
            this.probe = List.of(probe);
        }

        String interpreter() {
            return probe.get(0);
        }
    }

    @BeforeAll
    static void install() throws Exception {
        mailfwd = InstalledMailfwd.install(work);
        rules = mailfwd.ruleFile("forward:\n  - alice@example.net\n");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Verifier.class)
    void corpusVerdictsAreTheSameAfterForwarding(Verifier verifier) throws Exception {
        requireOrSkip(Files.isRegularFile(CORPUS.resolve("FAKE_DNS.dat")),
                "the DKIM corpus is not at " + CORPUS + " (it lives in ../shared next to the"
                        + " checkout)");
        requireVerifier(verifier);
        List<Path> originals = corpusMessages();
        Path forwarded = forwardCorpus(originals);
        List<Path> copies = originals.stream()
                .map(p -> forwarded.resolve(p.getFileName().toString())).toList();

        Map<String, String> before = verify(verifier, CORPUS.resolve("FAKE_DNS.dat"), originals);
        Map<String, String> after = verify(verifier, CORPUS.resolve("FAKE_DNS.dat"), copies);

        assertThat(before).hasSize(originals.size());
        assertThat(after).as("verdicts after forwarding, per message and signature")
                .isEqualTo(before);
        // A verifier that could check nothing would give equal verdicts too: demand passes.
        // (dkimpy passes 9 corpus signatures; it rejects the pre-RFC and DomainKeys ones.)
        long passes = before.values().stream()
                .flatMap(v -> Stream.of(v.split("[ =,]"))).filter("pass"::equals).count();
        assertThat(passes).as("signatures that pass in the corpus: " + before)
                .isGreaterThanOrEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Verifier.class)
    void relayedTestMessageStillPassesBothSignatures(Verifier verifier) throws Exception {
        requireVerifier(verifier);
        CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
        Map<String, String> env = env("SENDER", "alice+caf_=alice=example.org@example.net",
                "RECIPIENT", "alice@example.org", "ORIGINAL_RECIPIENT", "alice@example.org");
        env.putAll(capture.environment());

        Run run = mailfwd.run(List.of("--rules", rules.toString(), "--sendmail",
                CaptureSendmail.path()), env, testmail("gmail-relayed.eml"));

        assertThat(run.exitCode()).isZero();
        Path keys = resource("testmails.dns");
        Path after = Files.write(work.resolve("gmail-relayed.eml"), capture.stdin());
        Path before = InstalledMailfwd.projectDir().resolve("testmails/gmail-relayed.eml");
        assertThat(verify(verifier, keys, List.of(before)).values())
                .allSatisfy(v -> assertThat(v).endsWith("sigs=pass,pass"));
        assertThat(verify(verifier, keys, List.of(after)).values())
                .allSatisfy(v -> assertThat(v).endsWith("sigs=pass,pass"));
    }

    @Test
    void corpusBytesAreKeptExceptReturnPath() throws Exception {
        requireOrSkip(Files.isRegularFile(CORPUS.resolve("FAKE_DNS.dat")),
                "the DKIM corpus is not at " + CORPUS);
        List<Path> originals = corpusMessages();
        Path forwarded = forwardCorpus(originals);

        for (Path original : originals) {
            byte[] input = Files.readAllBytes(original);
            List<String> returnPaths = new ArrayList<>();
            Matcher m = RETURN_PATH_LINE.matcher(latin1(input));
            while (m.find()) {
                returnPaths.add(m.group());
            }
            assertThat(Files.readAllBytes(forwarded.resolve(original.getFileName().toString())))
                    .as(original.getFileName().toString())
                    .isEqualTo(withoutLines(input, returnPaths.toArray(String[]::new)));
        }
    }

    private static List<Path> corpusMessages() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted()
                    .toList();
        }
    }

    /** Forwards each corpus message once; later tests reuse what the capture received. */
    private static synchronized Path forwardCorpus(List<Path> originals) throws Exception {
        if (forwardedCorpus != null) {
            return forwardedCorpus;
        }
        Path out = mailfwd.newDirectory("forwarded");
        for (Path original : originals) {
            CaptureSendmail capture = new CaptureSendmail(mailfwd.newDirectory("capture"));
            Run run = mailfwd.run(List.of("--mta", "sendmail", "--sender",
                    "postmaster@example.org", "--rules", rules.toString(), "--sendmail",
                    CaptureSendmail.path()), capture.environment(),
                    Files.readAllBytes(original));
            assertThat(run.exitCode()).as("%s: %s", original, run.stderrText()).isZero();
            Files.write(out.resolve(original.getFileName().toString()), capture.stdin());
        }
        forwardedCorpus = out;
        return out;
    }

    /** Runs the verifier on the files; returns its verdict line per file name. */
    private static Map<String, String> verify(Verifier verifier, Path keys, List<Path> files)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(verifier.interpreter(),
                resource(verifier.script).toString(), keys.toString()));
        files.forEach(f -> command.add(f.toString()));
        Path output = Files.createTempFile(work, "verdicts", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
        Map<String, String> verdicts = new TreeMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            verdicts.put(Path.of(line.substring(0, space)).getFileName().toString(),
                    line.substring(space + 1));
        }
        return verdicts;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DkimSurvivesForwardingIT.class.getResource("/dkim/" + name).toURI());
    }

    private static void requireVerifier(Verifier verifier) throws InterruptedException {
        boolean present;
        try {
            Process probe = new ProcessBuilder(verifier.probe)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        requireOrSkip(present, verifier.debianPackage + " is not installed (apt-get install "
                + verifier.debianPackage + ", as .ci/run does)");
    }

    /** Skips with the reason locally; under CI=true a missing prerequisite is a failure. */
    private static void requireOrSkip(boolean present, String reason) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but " + reason);
        }
        Assumptions.assumeTrue(false, "skipped: " + reason);
    }
}
