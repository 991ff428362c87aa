package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Whatever a rule file holds, loading it either gives a rule set or a RuleFileException
 * whose lines are printable: never another exception, which would reach the MTA as an
 * "internal error" instead of the file's own problem. Inputs are drawn from YAML's
 * punctuation, anchors, tags and the file's own keys, so most are near misses.
 */
class RuleFilePropertyTest {
    private final Path dir = temporaryDirectory();

    @Property(tries = 500)
    void anyTextLoadsOrFailsWithPrintableProblems(@ForAll("yamlLike") String text)
            throws IOException {
        Path file = Files.write(dir.resolve("rules.yaml"), text.getBytes(StandardCharsets.UTF_8));
        try {
            RuleFile.load(file, Map.of("HOME", dir.toString()));
        } catch (RuleFileException e) {
            assertThat(e.problems()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r"));
        }
    }

    /** Found by the property: a multi-line plain scalar quoted in a problem broke the line. */
    @Example
    void multiLineValueInAProblemStaysOneLine() throws IOException {
        // YAML decodes \n in a double-quoted scalar to a real line feed.
        anyTextLoadsOrFailsWithPrintableProblems("forward: \"bob\\n@example.net\"\n");
    }

    @Provide
    Arbitrary<String> yamlLike() {
        Arbitrary<String> tokens = Arbitraries.of("forward: ", "rules:\n", "  - ", "if: ",
                "{", "}", "[", "]", ", ", ": ", "\n", "  ", "&a ", "*a", "!!str ", "!!map ",
                "!!java.io.File ", "~/x", "/tmp/y/", "keep: ", "sender: ", "bounce: ",
                "default: ", "max_targets: ", "max_message_size: ", "journal: ", "'", "\"",
                "carol@example.net", "-1", "99999999999", "\0", "\t", "#", "---\n", "...\n",
                "subject: ", "header: ", "regex: ", "(a+)+$", "\u00e9", "<<: *a\n");
        return tokens.list().ofMaxSize(40).map(list -> String.join("", list));
    }

    @AfterProperty
    void clean() throws IOException {
        Files.deleteIfExists(dir.resolve("rules.yaml"));
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("rule-property");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
