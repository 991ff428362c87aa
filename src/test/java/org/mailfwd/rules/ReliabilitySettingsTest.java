package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of issue 7: journal (a path) and max_message_size (bytes). */
class ReliabilitySettingsTest {
    @TempDir
    Path dir;

    @Test
    void bothAreUnsetByDefault() throws Exception {
        RuleSet rules = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"),
                Fixtures.HOME);

        assertThat(rules.journal()).isEmpty();
        assertThat(rules.maxMessageSize()).isZero();
    }

    @Test
    void theSystemFileSetsTheLimitAndCanLockIt() throws Exception {
        Path system = Files.writeString(dir.resolve("config.yaml"),
                "max_message_size: 1000\nlocked: [max_message_size]\n");
        SystemConfig config = SystemConfig.load(system, true);

        RuleSet rules = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"),
                Fixtures.HOME, config);

        assertThat(rules.maxMessageSize()).isEqualTo(1000);
        assertThatThrownBy(() -> RuleFile.load(Fixtures.write(dir,
                "forward: a@example.net\nmax_message_size: 5000\n"), Fixtures.HOME, config))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("max_message_size is locked");
    }

    @Test
    void aJournalPathExpandsTheHome() throws Exception {
        RuleSet rules = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"
                + "journal: ~/state/journal\n"), Fixtures.HOME);

        assertThat(rules.journal()).contains(Path.of("/home/alice/state/journal"));
    }

    @Test
    void badValuesAreProblemsOfTheFile() {
        assertThatThrownBy(() -> RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"
                + "journal: relative/journal\nmax_message_size: 0\n"), Fixtures.HOME))
                .isInstanceOfSatisfying(RuleFileException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("journal must be an absolute"))
                        .anySatisfy(p -> assertThat(p).contains(
                                "max_message_size must be a positive whole number")));
    }
}
