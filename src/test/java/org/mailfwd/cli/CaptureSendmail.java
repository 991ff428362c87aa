package org.mailfwd.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording fake sendmail, testmails/capture-sendmail, with its capture directory. It
 * writes its argv one per line to argv and its stdin to stdin, then exits with CAPTURE_EXIT;
 * CAPTURE_MODE makes it kill itself, hang, or stop reading early.
 */
public final class CaptureSendmail {
    private final Path dir;
    private final Map<String, String> environment = new HashMap<>();

    public CaptureSendmail(Path dir) {
        this.dir = dir;
        environment.put("CAPTURE_DIR", dir.toString());
    }

    /** The program to pass as --sendmail. */
    public static Path program() {
        return InstalledMailfwd.projectDir().resolve("testmails/capture-sendmail");
    }

    public static String path() {
        return program().toString();
    }

    public CaptureSendmail exitingWith(int status) {
        environment.put("CAPTURE_EXIT", Integer.toString(status));
        return this;
    }

    /** kill, hang or close-early; see the script. */
    public CaptureSendmail inMode(String mode) {
        environment.put("CAPTURE_MODE", mode);
        return this;
    }

    /** The variables that steer the fake; mailfwd passes its environment on to sendmail. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    public boolean wasRun() {
        return Files.exists(dir.resolve("argv"));
    }

    public List<String> argv() throws IOException {
        return Files.readAllLines(dir.resolve("argv"), StandardCharsets.UTF_8);
    }

    public byte[] stdin() throws IOException {
        return Files.readAllBytes(dir.resolve("stdin"));
    }
}
