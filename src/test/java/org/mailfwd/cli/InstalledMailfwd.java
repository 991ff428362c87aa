package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher, installed by install.sh into a temporary PREFIX and run as a separate
 * process with exactly the environment an MTA would give it. End-to-end tests use it to see
 * what an admin sees: the exit status, stdout and stderr, and what sendmail received.
 *
 * <p>install.sh reuses the jar that {@code mvn verify} packaged (SKIP_BUILD=1), found through
 * the system property {@code mailfwd.jar} that the pom sets for Failsafe.
 */
public final class InstalledMailfwd {
    /** A run that takes this long is stuck: longer than any sendmail_timeout a test sets. */
    private static final long RUN_TIMEOUT_SECONDS = 60;

    private final Path launcher;
    private final Path work;

    private InstalledMailfwd(Path launcher, Path work) {
        this.launcher = launcher;
        this.work = work;
    }

    /**
     * Runs {@code SKIP_BUILD=1 PREFIX=work/prefix ./install.sh}; the launcher lands in
     * work/prefix/bin/mailfwd.
     */
    public static InstalledMailfwd install(Path work) throws IOException, InterruptedException {
        Path prefix = work.resolve("prefix");
        ProcessBuilder install = new ProcessBuilder(projectDir().resolve("install.sh").toString())
                .directory(projectDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("install.out").toFile());
        install.environment().put("SKIP_BUILD", "1");
        install.environment().put("PREFIX", prefix.toString());
        Process process = install.start();
        assertThat(process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("install.sh failed: %s", Files.readString(work.resolve("install.out")))
                .isZero();
        Path launcher = prefix.resolve("bin/mailfwd");
        assertThat(launcher).isExecutable();
        return new InstalledMailfwd(launcher, work);
    }

    /** The checkout: two levels above the packaged jar (target/mailfwd.jar). */
    public static Path projectDir() {
        String jar = System.getProperty("mailfwd.jar");
        if (jar == null) {
            return Path.of("").toAbsolutePath();
        }
        return Path.of(jar).toAbsolutePath().getParent().getParent();
    }

    /** A file from testmails/, as bytes. */
    public static byte[] testmail(String name) throws IOException {
        return Files.readAllBytes(projectDir().resolve("testmails").resolve(name));
    }

    /**
     * Runs the launcher with these arguments, this stdin and an environment made only of
     * PATH, HOME (a fresh directory) and the given variables, as an MTA runs a command.
     */
    public Run run(List<String> args, Map<String, String> environment, byte[] stdin)
            throws IOException, InterruptedException {
        boolean delivery = args.isEmpty() || args.get(0).startsWith("-");
        List<String> withFlag = new ArrayList<>();
        if (delivery && !allowRootFlag().isEmpty()) {
            withFlag.add(allowRootFlag().strip());
        }
        withFlag.addAll(args);
        return runAsGiven(withFlag, environment, stdin);
    }

    /**
     * " --allow-root" when the tests run as root (as on CI), else "". mailfwd refuses to
     * deliver as root without it; tests that start the launcher directly, as a stand-in for
     * an MTA that would run it as the user, add it. RootRefusalIT checks the refusal.
     */
    public static String allowRootFlag() {
        return "root".equals(System.getProperty("user.name")) ? " --allow-root" : "";
    }

    /** A command line with --allow-root put after the program when the tests run as root. */
    public static List<String> withAllowRoot(List<String> command) {
        List<String> with = new ArrayList<>(command);
        if (!allowRootFlag().isEmpty()) {
            with.add(with.indexOf("-jar") >= 0 ? with.indexOf("-jar") + 2 : 1, "--allow-root");
        }
        return with;
    }

    /** Runs the launcher with exactly these arguments, no --allow-root added. */
    public Run runAsGiven(List<String> args, Map<String, String> environment, byte[] stdin)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "run");
        Path in = Files.write(dir.resolve("stdin"), stdin);
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(in.toFile())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path home = Files.createDirectories(dir.resolve("home"));
        env.put("HOME", home.toString());
        env.putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mailfwd still running after " + RUN_TIMEOUT_SECONDS + "s");
        }
        return new Run(process.exitValue(), Files.readAllBytes(dir.resolve("stdout")),
                Files.readAllBytes(dir.resolve("stderr")));
    }

    /** Writes a rule file into a fresh directory and returns its path. */
    public Path ruleFile(String yaml) throws IOException {
        Path dir = Files.createTempDirectory(work, "rules");
        return Files.writeString(dir.resolve("mailfwd.yaml"), yaml);
    }

    /** A fresh, empty directory for a capture or a log. */
    public Path newDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(work, prefix);
    }

    /**
     * What Postfix's local(8) exports when it runs a .forward command for
     * alice@example.org: a mutable map, for the caller to add to.
     */
    public static Map<String, String> postfixLocal(String sender) {
        return env("SENDER", sender, "RECIPIENT", "alice@example.org", "ORIGINAL_RECIPIENT",
                "alice@example.org", "LOCAL", "alice", "DOMAIN", "example.org",
                "EXTENSION", "");
    }

    /** An environment map that allows the empty values MTAs set (EXTENSION=, SENDER=). */
    public static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    /** What one run of the launcher showed its caller. */
    public record Run(int exitCode, byte[] stdout, byte[] stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }
}
