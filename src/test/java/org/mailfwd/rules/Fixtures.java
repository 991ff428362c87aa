package org.mailfwd.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;

/** Rule files and messages for the rules tests, written the way a user would write them. */
final class Fixtures {
    static final Map<String, String> HOME = Map.of("HOME", "/home/alice");

    private Fixtures() {
    }

    static Path write(Path dir, String yaml) {
        try {
            Path file = dir.resolve("rules.yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleSet load(Path dir, String yaml) throws RuleFileException {
        return RuleFile.load(write(dir, yaml), HOME);
    }

    /** The problems a file has; fails the test when it loads cleanly. */
    static List<String> problems(Path dir, String yaml) {
        try {
            load(dir, yaml);
        } catch (RuleFileException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems, but the file loaded:\n" + yaml);
    }

    static Message message(String text) {
        try {
            return new MessageReader(MessageLimits.DEFAULT)
                    .read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EnvelopeSender sender(String address) {
        try {
            return ReversePathParser.parseSender(address);
        } catch (AddressSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Facts for a message from bob@example.org to alice, no extension. */
    static MessageFacts facts(String message) {
        return facts(message, "bob@example.org", Map.of());
    }

    static MessageFacts facts(String message, String sender, Map<String, String> environment) {
        Message parsed = message(message);
        return new MessageFacts(parsed.fields(), Optional.of(sender(sender)), Optional.empty(),
                Optional.of("alice@example.com"), MessageFacts.extension(environment),
                parsed.size());
    }
}
