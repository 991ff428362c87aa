package org.mailfwd.rules;

import java.nio.file.Path;

/**
 * Where a local copy goes: a Maildir when the path was written ending in "/", else an mbox
 * file, as procmail and maildrop decide.
 */
public record KeepTarget(Path path, boolean maildir) {
    @Override
    public String toString() {
        return path + (maildir ? "/ (maildir)" : " (mbox)");
    }
}
