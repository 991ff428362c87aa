package org.mailfwd.mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * Keeps a local copy in a Maildir or an mbox file. Every failure is a temporary failure:
 * the MTA keeps the message and tries again, so a full disk never loses mail.
 */
public final class LocalCopy {
    private LocalCopy() {
    }

    /**
     * Writes the message.
     *
     * @param maildir a Maildir when true, else an mbox file
     * @param sender the envelope sender without brackets ("" for the null sender), for the
     *     mbox From_ line
     * @return where the copy went
     */
    public static Path keep(Path path, boolean maildir, String sender, InputStream message) {
        try {
            if (maildir) {
                return new Maildir(path).deliver(message);
            }
            new Mbox(path).append(sender, message, Instant.now());
            return path;
        } catch (IOException | RuntimeException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY, "keep a copy in "
                    + path + (maildir ? "/" : "") + ": " + e.getMessage(), e);
        }
    }
}
