package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent DKIM verifiers of Debian on a message, with keys from a file and no
 * DNS: dkimpy (python3-dkim) and Perl Mail::DKIM (libmail-dkim-perl). Each returns one line
 * per signature, topmost first, such as "pass d=example.com s=sel".
 *
 * <p>When a verifier is not installed the test is skipped with the package to install,
 * except under CI=true, where it fails: CI installs both.
 */
final class ExternalVerifiers {
    static final String PYTHON = "/usr/bin/python3";
    static final String PERL = "/usr/bin/perl";

    private ExternalVerifiers() {
    }

    static List<String> dkimpy(byte[] message, String keys) {
        return dkimpy(List.of(message), keys).get(0);
    }

    static List<String> mailDkim(byte[] message, String keys) {
        return mailDkim(List.of(message), keys).get(0);
    }

    /** The results for many messages from one run of the verifier. */
    static List<List<String>> dkimpy(List<byte[]> messages, String keys) {
        requireTool("python3-dkim", PYTHON, "-c", "import dkim");
        return run(PYTHON, "verify_dkimpy.py", messages, keys);
    }

    static List<List<String>> mailDkim(List<byte[]> messages, String keys) {
        requireTool("libmail-dkim-perl", PERL, "-MMail::DKIM::Verifier", "-MNet::DNS", "-e1");
        return run(PERL, "verify_maildkim.pl", messages, keys);
    }

    /** Skips (fails under CI=true) when {@code command} does not exit 0. */
    static void requireTool(String debianPackage, String... command) {
        boolean present;
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            present = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but Debian package " + debianPackage + " is missing: "
                    + String.join(" ", command) + " failed");
        }
        assumeTrue(present, "skipped: install Debian package " + debianPackage
                + " to verify signatures independently");
    }

    private static List<List<String>> run(String interpreter, String script,
            List<byte[]> messages, String keys) {
        try {
            Path dir = Files.createTempDirectory("mailfwd-verify");
            Path scriptFile = dir.resolve(script);
            try (InputStream in = ExternalVerifiers.class.getResourceAsStream(script)) {
                Files.write(scriptFile, in.readAllBytes());
            }
            Path keyFile = Files.writeString(dir.resolve("keys.dat"), keys);
            List<String> command = new ArrayList<>(List.of(interpreter, scriptFile.toString(),
                    keyFile.toString()));
            for (int i = 0; i < messages.size(); i++) {
                command.add(Files.write(dir.resolve(i + ".eml"), messages.get(i)).toString());
            }
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(script + " did not finish");
            }
            if (process.exitValue() != 0) {
                fail(script + " exited " + process.exitValue() + ": " + out);
            }
            List<List<String>> results = new ArrayList<>();
            for (String line : out.lines().toList()) {
                if (line.startsWith("== ")) {
                    results.add(new ArrayList<>());
                } else {
                    results.get(results.size() - 1).add(line);
                }
            }
            if (results.size() != messages.size()) {
                fail(script + " answered for " + results.size() + " of " + messages.size()
                        + " messages: " + out);
            }
            return results;
        } catch (IOException e) {
            throw new AssertionError("run " + script + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
