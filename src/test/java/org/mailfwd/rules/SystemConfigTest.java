package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemConfigTest {
    @TempDir
    Path dir;

    private Path system(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void systemDefaultsApplyWhereTheUserSaysNothing() throws Exception {
        SystemConfig config = SystemConfig.load(system("sendmail: /usr/lib/sendmail\n"
                + "max_targets: 3\nmailbox: ~/Mailbox\ndefault: defer\n"), true);

        RuleSet rules = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"),
                Fixtures.HOME, config);

        assertThat(rules.sendmail()).contains(Path.of("/usr/lib/sendmail"));
        assertThat(rules.maxTargets()).isEqualTo(3);
        assertThat(rules.mailbox()).contains(new KeepTarget(Path.of("/home/alice/Mailbox"),
                false));
        assertThat(rules.defaultAction()).isEqualTo(RuleSet.Default.DEFER);
    }

    /**
     * sendmail's prog mailer sets no HOME: a system file's mailbox: ~/Maildir/ must not
     * stop a user who only forwards; a rule that keeps is what needs it.
     */
    @Test
    void homeRelativeSystemMailboxWithoutHomeStopsOnlyARuleThatKeeps() throws Exception {
        SystemConfig config = SystemConfig.load(system("mailbox: ~/Maildir/\n"), true);
        Map<String, String> noHome = Map.of();

        RuleSet forwards = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"),
                noHome, config);
        Path keeps = Fixtures.write(dir, "rules:\n  - name: all\n    keep: true\n");

        assertThat(forwards.mailbox()).isEmpty();
        assertThatThrownBy(() -> RuleFile.load(keeps, noHome, config))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining("keep: true needs mailbox: or HOME to know where");
    }

    /** A system file's ~/ path without HOME is placed in the system file, not the user's. */
    @Test
    void homeRelativeSystemPathWithoutHomeNamesTheSystemFile() throws Exception {
        Path configFile = system("max_targets: 3\nlog: ~/mailfwd.log\n");
        SystemConfig config = SystemConfig.load(configFile, true);
        Path rules = Fixtures.write(dir, "forward: a@example.net\n");

        assertThatThrownBy(() -> RuleFile.load(rules, Map.of(), config))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(configFile + ":2:6: log starts with ~/ but HOME is not set");
    }

    @Test
    void userValueBeatsAnUnlockedSystemValue() throws Exception {
        SystemConfig config = SystemConfig.load(system("max_received: 20\n"), true);

        RuleSet rules = RuleFile.load(Fixtures.write(dir, "forward: a@example.net\n"
                + "max_received: 40\n"), Fixtures.HOME, config);

        assertThat(rules.maxReceived()).isEqualTo(40);
    }

    @Test
    void lockedKeyInTheUserFileIsAnError() throws Exception {
        Path configFile = system("sendmail: /usr/sbin/sendmail\nlocked: [sendmail]\n");
        SystemConfig config = SystemConfig.load(configFile, true);
        Path rules = Fixtures.write(dir, "forward: a@example.net\nsendmail: /home/x/fake\n");

        assertThatThrownBy(() -> RuleFile.load(rules, Fixtures.HOME, config))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(rules + ":2:1: sendmail is locked by " + configFile
                        + " (remove it here; ask the administrator)");
    }

    @Test
    void signingSectionIsAcceptedUncheckedForTheDkimSigner() throws Exception {
        SystemConfig config = SystemConfig.load(system("signing:\n  anything: [goes, here]\n"),
                true);

        assertThat(config.signing()).isPresent();
    }

    @Test
    void unknownSystemKeyAndUnknownLockAreNamed() throws Exception {
        Path file = system("sendmial: /x\nlocked: [sendmail, mailbx]\n");

        assertThatThrownBy(() -> SystemConfig.load(file, true))
                .isInstanceOf(RuleFileException.class)
                .satisfies(e -> assertThat(((RuleFileException) e).problems()).containsExactly(
                        file + ":1:1: unknown key sendmial"
                                + " (did you mean sendmail?)",
                        file + ":2:20: locked names an unknown key mailbx"
                                + " (did you mean mailbox?)"));
    }

    @Test
    void absentDefaultSystemFileMeansNone() throws Exception {
        SystemConfig config = SystemConfig.load(dir.resolve("absent.yaml"), false);

        assertThat(config.path()).isEmpty();
        assertThat(config.locked()).isEmpty();
    }

    @Test
    void absentNamedSystemFileIsAnError() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> SystemConfig.load(file, true))
                .hasMessage(file + ": no such file");
    }
}
