package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.spam.Messages.message;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.spam.Spamc.Fallback;
import org.mailfwd.spam.Spamc.Mode;

/**
 * spamc from Debian's spamc package against a spamd (package spamd) that this test starts
 * on 127.0.0.1 at a free port, local tests only (-L), and stops again. GTUBE, SpamAssassin's
 * test string, is always spam; a short plain message is not.
 */
class SpamcIT {
    private static final Path SPAMC = Path.of("/usr/bin/spamc");
    private static final Path SPAMD = Path.of("/usr/sbin/spamd");
    private static final String GTUBE =
            "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final String HEADER = "Received: from mx.example.com by mail.example.org;"
            + " Tue, 3 Nov 2026 09:14:04 +0100\nFrom: Bob <bob@example.com>\n"
            + "To: alice@example.org\nSubject: Lunch\nDate: Tue, 3 Nov 2026 09:14:01 +0100\n"
            + "Message-ID: <20261103081401.GA4711@mail.example.com>\n";
    /** Loading SpamAssassin's rules takes a few seconds; a loaded CI machine may take more. */
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    static Path work;
    private static Process spamd;
    private static int port;

    @BeforeAll
    static void startSpamd() throws Exception {
        Prerequisites.require("spamc", SPAMC.toString(), "-V");
        Prerequisites.require("spamd", "/usr/bin/test", "-x", SPAMD.toString());
        port = freePort();
        List<String> argv = new ArrayList<>(List.of(SPAMD.toString(), "-L", "-x",
                "-i", "127.0.0.1", "-A", "127.0.0.1", "-p", String.valueOf(port),
                "--max-children=1", "--syslog=stderr"));
        if ("root".equals(System.getProperty("user.name"))) {
            argv.addAll(List.of("-u", "nobody"));
        }
        spamd = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(work.resolve("spamd.log").toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!answers() && System.nanoTime() < deadline) {
            assertThat(spamd.isAlive()).as("spamd is running; see spamd.log").isTrue();
            Thread.sleep(250);
        }
        assertThat(answers()).as("spamd answers on 127.0.0.1:" + port).isTrue();
    }

    @AfterAll
    static void stopSpamd() throws InterruptedException {
        if (spamd != null) {
            spamd.destroy();
            if (!spamd.waitFor(30, TimeUnit.SECONDS)) {
                spamd.destroyForcibly();
            }
        }
    }

    @Test
    void gtubeIsSpam_check() {
        SpamVerdict verdict = spamc(Mode.CHECK, port).check(message(HEADER + "\n" + GTUBE + "\n"));

        assertThat(verdict.spam()).isTrue();
        assertThat(verdict.score().getAsDouble()).isGreaterThanOrEqualTo(1000);
        assertThat(verdict.source()).isEqualTo("spamc");
    }

    @Test
    void gtubeIsSpam_headers() {
        SpamVerdict verdict = spamc(Mode.HEADERS, port)
                .check(message(HEADER + "\n" + GTUBE + "\n"));

        assertThat(verdict.spam()).isTrue();
        assertThat(verdict.source()).isEqualTo("spamc X-Spam-Status");
    }

    @Test
    void forgedHamVerdictInTheMessageDoesNotSurviveSpamAssassin() {
        String forged = "X-Spam-Flag: NO\nX-Spam-Status: No, score=-100.0 required=5.0\n";

        SpamVerdict verdict = spamc(Mode.HEADERS, port)
                .check(message(forged + HEADER + "\n" + GTUBE + "\n"));

        assertThat(verdict.spam()).isTrue();
    }

    @Test
    void plainMessageIsNotSpam() {
        SpamVerdict verdict = spamc(Mode.CHECK, port)
                .check(message(HEADER + "\nSee you at noon.\n"));

        assertThat(verdict.spam()).isFalse();
        assertThat(verdict.source()).isEqualTo("spamc");
    }

    @Test
    void spamdDownFallsBackToNotSpam_check() throws IOException {
        SpamVerdict verdict = spamc(Mode.CHECK, freePort())
                .check(message(HEADER + "\n" + GTUBE + "\n"));

        assertThat(verdict.spam()).isFalse();
        assertThat(verdict.source()).startsWith("fallback (");
    }

    @Test
    void spamdDownFallsBackToNotSpam_headers() throws IOException {
        SpamVerdict verdict = spamc(Mode.HEADERS, freePort())
                .check(message(HEADER + "\n" + GTUBE + "\n"));

        assertThat(verdict.spam()).isFalse();
        assertThat(verdict.source()).startsWith("fallback (spamc exited with status");
    }

    private static Spamc spamc(Mode mode, int spamdPort) {
        return new Spamc(SPAMC, List.of("-d", "127.0.0.1", "-p", String.valueOf(spamdPort)),
                Duration.ofSeconds(60), mode, Fallback.NOT_SPAM);
    }

    private static boolean answers() {
        return !spamc(Mode.CHECK, port).check(message(HEADER + "\nping\n")).source()
                .startsWith("fallback");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
