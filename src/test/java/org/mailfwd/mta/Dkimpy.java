package org.mailfwd.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.mailfwd.cli.InstalledMailfwd;

/**
 * dkimpy (Debian's python3-dkim) as an independent verifier, through
 * src/test/resources/dkim/verify-dkimpy.py with the test keys in testmails.dns. It must be
 * Debian's /usr/bin/python3: another python3 earlier on PATH may lack the module.
 */
final class Dkimpy {
    private static final String PYTHON = "/usr/bin/python3";

    private Dkimpy() {
    }

    /** Requires dkimpy: skips the test without it, fails under CI=true. */
    static void require() throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Path.of(PYTHON));
        if (present) {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import dkim")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        Prerequisite.require(present,
                "python3-dkim is not installed for " + PYTHON + " (.ci/run installs it)");
    }

    /** The verdicts line for one message: "FILE sigs=pass,pass" for two good signatures. */
    static String verify(Path message) throws IOException, InterruptedException {
        Path resources = InstalledMailfwd.projectDir().resolve("src/test/resources/dkim");
        Path out = Files.createTempFile("dkimpy", ".out");
        try {
            Process process = new ProcessBuilder(PYTHON,
                    resources.resolve("verify-dkimpy.py").toString(),
                    resources.resolve("testmails.dns").toString(), message.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(out)).isZero();
            return Files.readString(out).strip();
        } finally {
            Files.delete(out);
        }
    }
}
