package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian tools the spam tests need: skipped with the reason locally, a failure under CI. */
final class Prerequisites {
    private Prerequisites() {
    }

    /** The checkout, found from the jar Failsafe names, else the working directory. */
    static Path projectDir() {
        String jar = System.getProperty("mailfwd.jar");
        return jar == null ? Path.of("").toAbsolutePath()
                : Path.of(jar).toAbsolutePath().getParent().getParent();
    }

    /** Runs the probe command; skips (or fails under CI=true) unless it exits 0. */
    static void require(String debianPackage, String... probe) throws InterruptedException {
        boolean present;
        try {
            Process process = new ProcessBuilder(List.of(probe)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            present = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        String reason = debianPackage + " is not installed (apt-get install " + debianPackage
                + ", as .ci/run does)";
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + reason);
        }
        Assumptions.assumeTrue(present, "skipped: " + reason);
    }
}
