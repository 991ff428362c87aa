package org.mailfwd.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.handoff.Handoff;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.DeliveryStatus;

/**
 * Faults that cannot be set up from outside the process, injected through the package's
 * own seams (the stdin stream, the plan's hand-off): whatever is thrown inside a step, the
 * run ends deferred with a status line, and nothing is half-delivered. No switch in the
 * product enables these faults; only code in this package can reach the seams.
 */
class DeliveryFaultTest {
    private static final byte[] MESSAGE = ("From: bob@example.org\nSubject: hello\n"
            + "Message-ID: <1@example.org>\n\nbody\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Delivery delivery() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "rules:\n  - forward: [carol@example.net]\n    keep: " + dir + "/Maildir/\n");
        return new Delivery(new DeliveryRequest(Optional.of(rules), Optional.empty(),
                Optional.of("bob@example.org"), Optional.of("alice@example.com"),
                Optional.of(Path.of("/bin/true")), Optional.empty(),
                Optional.of(Mta.POSTFIX), Map.of("HOME", dir.toString())));
    }

    static Stream<Arguments> brokenStdin() {
        return Stream.of(
                Arguments.of("stdin cut short by a read error", (Supplier<InputStream>) () ->
                        failingAfter(10, new IOException("Connection reset"))),
                Arguments.of("a RuntimeException while reading", (Supplier<InputStream>) () ->
                        failingAfter(10, new IllegalStateException("bug"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStdin")
    void aFailureWhileReadingDefersTheMessage(String name, Supplier<InputStream> stdin)
            throws Exception {
        Delivery delivery = delivery();

        Outcome outcome = delivery.execute(delivery.plan(stdin.get()));

        assertThat(outcome.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(outcome.statusLine()).startsWith("4.3.0 ");
        assertThat(dir.resolve("Maildir")).doesNotExist();
    }

    @Test
    void aRuntimeExceptionInTheHandoffDefersAndTheRetryKeepsNoSecondCopy() throws Exception {
        Delivery first = delivery();
        Plan plan = first.plan(new ByteArrayInputStream(MESSAGE));
        plan.handoff(new Throwing(new IllegalStateException("a bug in the hand-off")));

        Outcome failed = first.execute(plan);
        Delivery second = delivery();
        Plan retry = second.plan(new ByteArrayInputStream(MESSAGE));
        Throwing accepting = new Throwing(null);
        retry.handoff(accepting);
        Outcome sent = second.execute(retry);

        assertThat(failed.status()).isEqualTo(DeliveryStatus.DEFERRED);
        assertThat(failed.statusLine())
                .isEqualTo("4.3.0 internal error: java.lang.IllegalStateException: "
                        + "a bug in the hand-off");
        assertThat(sent.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(accepting.calls).isEqualTo(1);
        assertThat(Files.list(dir.resolve("Maildir/new"))).hasSize(1);
        assertThat(retry.journal()).contains("skipped 1 target(s) done by an earlier attempt");
    }

    private static InputStream failingAfter(int bytes, Exception failure) {
        return new InputStream() {
            private int left = bytes;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 'X';
                }
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            }
        };
    }

    /** A hand-off that throws the given exception, or accepts when it is null. */
    private static final class Throwing implements Handoff {
        private final RuntimeException failure;
        private int calls;

        Throwing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public String relay() {
            return "test";
        }

        @Override
        public List<String> describe(EnvelopeSender sender, List<Recipient> recipients) {
            return List.of();
        }

        @Override
        public void handOff(EnvelopeSender sender, List<Recipient> recipients,
                ForwardedMessage message) {
            calls++;
            if (failure != null) {
                throw failure;
            }
        }
    }
}
