package org.mailfwd.mta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.mailfwd.cli.CaptureSendmail;

/**
 * A sendmail for a rule file's {@code sendmail:} key: a two-line script that runs
 * testmails/capture-sendmail with its capture directory and exit status fixed inside, so
 * the MTA's environment, which an emulation must reproduce exactly, carries nothing extra.
 */
final class FakeSendmail {
    private final Path program;
    private final CaptureSendmail capture;

    private FakeSendmail(Path program, CaptureSendmail capture) {
        this.program = program;
        this.capture = capture;
    }

    static FakeSendmail in(Path dir, int exitStatus) throws IOException {
        Path captureDir = Files.createDirectories(dir.resolve("capture"));
        Path program = dir.resolve("sendmail");
        Files.writeString(program, "#!/bin/sh\nCAPTURE_DIR='" + captureDir + "' CAPTURE_EXIT="
                + exitStatus + " exec '" + CaptureSendmail.path() + "' \"$@\"\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new FakeSendmail(program, new CaptureSendmail(captureDir));
    }

    Path program() {
        return program;
    }

    boolean wasRun() {
        return capture.wasRun();
    }

    /** The arguments mailfwd gave, without the program name. */
    List<String> arguments() throws IOException {
        List<String> argv = capture.argv();
        return argv.subList(1, argv.size());
    }

    byte[] stdin() throws IOException {
        return capture.stdin();
    }
}
