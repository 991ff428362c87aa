package org.mailfwd.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;
import org.mailfwd.message.MessageTooLargeException;
import org.mailfwd.rules.RuleFile;
import org.mailfwd.rules.RuleFileException;

/**
 * Coverage-guided fuzzing (Jazzer) of the three parsers that take input from outside: the
 * envelope sender parser, the message reader with the header editor, and the rule loader.
 * Each may only succeed or fail with its own checked exception.
 *
 * <p>In a normal build these replay the seed inputs under
 * src/test/resources/org/mailfwd/fuzz/ParserFuzzTestInputs/ and finish in a second. With
 * JAZZER_FUZZ=1 one of them fuzzes for its maxDuration; docs/reliability.md has the command.
 */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void senderParser(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            EnvelopeSender sender = ReversePathParser.parseSender(text);
            assertThat(sender.toString()).doesNotContain("\r", "\n", "\0");
            assertThat(ReversePathParser.parseSender(sender.toString())).isEqualTo(sender);
        } catch (AddressSyntaxException rejected) {
            // A refusal is the other allowed outcome.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void messageReaderAndHeaderEditor(FuzzedDataProvider data) throws IOException {
        String dtline = data.consumeString(300);
        byte[] input = data.consumeRemainingAsBytes();
        MessageLimits small = new MessageLimits(512, 256, 0);
        try (Message message = new MessageReader(small).read(new ByteArrayInputStream(input))) {
            ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");
            try {
                forwarded.prependLine("Delivered-To", dtline);
            } catch (IllegalArgumentException refused) {
                assertThat(forwarded.added()).isEmpty();
            }
            try (InputStream out = forwarded.openStream()) {
                long written = out.transferTo(OutputStreamNull.INSTANCE);
                long added = forwarded.added().stream().mapToLong(f -> f.raw().length).sum();
                long removed = forwarded.removed().stream().mapToLong(f -> f.raw().length)
                        .sum();
                long fromLine = message.size() - message.body().size() - message.fields()
                        .stream().mapToLong(f -> f.raw().length).sum();
                assertThat(written).isEqualTo(input.length - fromLine - removed + added);
            }
        } catch (MessageTooLargeException tooLarge) {
            // Only a From_ line longer than the header limit ends here.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void ruleLoader(FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-rules");
        Path file = dir.resolve("rules.yaml");
        try {
            Files.write(file, data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8));
            RuleFile.load(file, Map.of("HOME", dir.toString()));
        } catch (RuleFileException refused) {
            assertThat(refused.problems()).isNotEmpty();
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    /** Counts nothing, keeps nothing: only the byte count of transferTo matters. */
    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
