package org.mailfwd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * mailfwd runs with the rights of the user whose mail it forwards. Run as root, a rule file
 * or a keep: path could write anywhere; no MTA runs a user's delivery command as root
 * (Postfix uses default_privs, qmail-local and Exim's never_users refuse), so root here is a
 * mistake in a hand-made setup. A delivery run as root is deferred with a line saying why,
 * unless the command line says --allow-root; the message waits while the admin fixes it.
 */
final class RootCheck {
    private RootCheck() {
    }

    /**
     * True when the effective user is root. /proc/self belongs to the process's effective
     * user on Linux; elsewhere the user name decides.
     */
    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static TemporaryFailure refusal() {
        return new TemporaryFailure(EnhancedStatus.CONFIGURATION, "mailfwd refuses to deliver"
                + " as root: run it as the user whose mail it is, or pass --allow-root");
    }
}
