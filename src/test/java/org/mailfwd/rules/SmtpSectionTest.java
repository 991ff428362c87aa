package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.handoff.SmtpSettings;
import org.mailfwd.handoff.SmtpSettings.TlsMode;

/** The handoff: and smtp: keys, in the system file and the rule file. */
class SmtpSectionTest {
    private static final String FORWARD = "forward: a@example.net\n";

    @TempDir
    Path dir;

    private SystemConfig system(String yaml) throws Exception {
        return SystemConfig.load(Files.writeString(dir.resolve("config.yaml"), yaml), true);
    }

    @Test
    void sendmailStaysTheDefault() throws Exception {
        RuleSet rules = Fixtures.load(dir, FORWARD + "smtp: {host: relay.example.net}\n");

        assertThat(rules.smtp()).isEmpty();
    }

    @Test
    void ruleFileSelectsSmtpWithEveryKey() throws Exception {
        RuleSet rules = Fixtures.load(dir, FORWARD + "handoff: smtp\n"
                + "smtp:\n"
                + "  host: relay.example.net\n"
                + "  port: 2525\n"
                + "  tls: implicit\n"
                + "  username: fwd\n"
                + "  password_file: ~/.smtp-password\n"
                + "  helo: mx.example.org\n"
                + "  connect_timeout: 10s\n"
                + "  read_timeout: 2m\n");

        SmtpSettings smtp = rules.smtp().orElseThrow();
        assertThat(smtp.relay()).isEqualTo("smtp:relay.example.net:2525");
        assertThat(smtp.tls()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(smtp.credentials().orElseThrow().passwordFile())
                .isEqualTo(Path.of("/home/alice/.smtp-password"));
        assertThat(smtp.heloName()).contains("mx.example.org");
        assertThat(smtp.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(smtp.readTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void systemFileSelectsSmtpForEveryUserWithTheirOwnHome() throws Exception {
        SystemConfig config = system("handoff: smtp\nsmtp:\n  host: relay.example.net\n"
                + "  username: fwd\n  password_file: ~/.smtp-password\n");

        RuleSet rules = RuleFile.load(Fixtures.write(dir, FORWARD), Fixtures.HOME, config);

        assertThat(rules.smtp().orElseThrow().relay()).isEqualTo("smtp:relay.example.net:587");
        assertThat(rules.smtp().orElseThrow().credentials().orElseThrow().passwordFile())
                .isEqualTo(Path.of("/home/alice/.smtp-password"));
    }

    @Test
    void userSectionReplacesTheSystemSectionWhole() throws Exception {
        SystemConfig config = system("handoff: smtp\nsmtp:\n  host: relay.example.net\n"
                + "  username: fwd\n  password_file: /etc/mailfwd/password\n");

        RuleSet rules = RuleFile.load(Fixtures.write(dir, FORWARD
                + "smtp: {host: mine.example.org, tls: off}\n"), Fixtures.HOME, config);

        assertThat(rules.smtp().orElseThrow().relay()).isEqualTo("smtp:mine.example.org:25");
        assertThat(rules.smtp().orElseThrow().credentials()).isEmpty();
    }

    @Test
    void userFileMayChooseSendmailUnlessLocked() throws Exception {
        SystemConfig open = system("handoff: smtp\nsmtp: {host: relay.example.net}\n");
        Path rules = Fixtures.write(dir, FORWARD + "handoff: sendmail\n");

        assertThat(RuleFile.load(rules, Fixtures.HOME, open).smtp()).isEmpty();

        SystemConfig locked = system("handoff: smtp\nsmtp: {host: relay.example.net}\n"
                + "locked: [handoff, smtp]\n");
        assertThatThrownBy(() -> RuleFile.load(rules, Fixtures.HOME, locked))
                .hasMessage(rules + ":2:1: handoff is locked by " + dir.resolve("config.yaml")
                        + " (remove it here; ask the administrator)");
    }

    @Test
    void systemFileProblemsAreNamedAtTheirLine() throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"),
                "handoff: smtp\nsmtp:\n  hots: relay.example.net\n  port: smtp\n");

        assertThatThrownBy(() -> SystemConfig.load(file, true))
                .isInstanceOf(RuleFileException.class)
                .satisfies(e -> assertThat(((RuleFileException) e).problems()).containsExactly(
                        file + ":3:3: unknown key hots in smtp (did you mean host?)",
                        file + ":3:3: smtp.host: missing; name the relay, e.g. host:"
                                + " smtp.example.net",
                        file + ":4:9: smtp.port: must be a whole number from 1 to 65535,"
                                + " got \"smtp\""));
    }

    static Stream<Arguments> badRuleFiles() {
        return Stream.of(
                row("handoff: smtp without a section", "handoff: smtp\n",
                        ":2:10: handoff: smtp needs an smtp: section naming at least the relay,"
                                + " e.g. smtp: {host: smtp.example.net}"),
                row("a misspelt hand-off", "handoff: smpt\n",
                        ":2:10: handoff must be sendmail or smtp, not \"smpt\""
                                + " (did you mean smtp?)"),
                row("smtp as a list", "smtp: [relay.example.net]\n",
                        ":2:7: smtp must be a mapping of keys, not a list"),
                row("a password in clear text", "smtp: {host: h.example, tls: off,"
                                + " username: u, password_file: /p}\n",
                        ":2:30: smtp.tls: off would send the password in clear text; use"
                                + " starttls-required or implicit with username and"
                                + " password_file"),
                row("a timeout the MTA would beat", "smtp: {host: h.example,"
                                + " read_timeout: 20m}\n",
                        ":2:39: smtp.read_timeout: must be from 1s to 300s (seconds, or with"
                                + " s or m), so the MTA's own timeout never fires first;"
                                + " got \"20m\""),
                row("an empty helo", "smtp: {host: h.example, helo: }\n",
                        ":2:30: smtp.helo must be a single value, not an empty value"));
    }

    private static Arguments row(String name, String yaml, String problem) {
        return Arguments.of(Named.of(name, yaml), problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRuleFiles")
    void badSmtpSettingIsNamedAtItsPlace(String yaml, String problem) {
        Path rules = Fixtures.write(dir, FORWARD + yaml);

        assertThatThrownBy(() -> RuleFile.load(rules, Fixtures.HOME))
                .isInstanceOf(RuleFileException.class)
                .satisfies(e -> assertThat(((RuleFileException) e).problems())
                        .containsExactly(rules + problem));
    }

    @Test
    void passwordFileUnderHomeWithoutHomeIsAProblem() {
        Path rules = Fixtures.write(dir, FORWARD + "handoff: smtp\n"
                + "smtp: {host: h.example, username: u, password_file: ~/pw}\n");

        assertThatThrownBy(() -> RuleFile.load(rules, Map.of()))
                .hasMessage(rules + ":3:7: smtp.password_file starts with ~/ but HOME is not"
                        + " set");
    }
}
