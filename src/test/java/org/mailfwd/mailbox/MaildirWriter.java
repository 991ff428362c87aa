package org.mailfwd.mailbox;

import java.nio.file.Path;

/** A process that writes its stdin into a Maildir, so a test can kill it mid-write. */
public final class MaildirWriter {
    private MaildirWriter() {
    }

    public static void main(String[] args) throws Exception {
        new Maildir(Path.of(args[0])).deliver(System.in);
    }
}
