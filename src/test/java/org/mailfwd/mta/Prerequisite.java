package org.mailfwd.mta;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (root, an installed Postfix, a verifier). Missing
 * locally, the test is skipped with the reason; under CI=true it fails instead, since .ci/run
 * installs everything and a skip there would hide a broken setup.
 */
final class Prerequisite {
    private Prerequisite() {
    }

    static void require(boolean present, String reason) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(reason + " (CI=true: .ci/run should have provided it)");
        }
        Assumptions.abort(reason);
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
