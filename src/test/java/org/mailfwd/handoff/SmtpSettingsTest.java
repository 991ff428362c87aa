package org.mailfwd.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.handoff.SmtpSettings.Credentials;
import org.mailfwd.handoff.SmtpSettings.TlsMode;

/** The {@code smtp:} block: defaults, and one precise message per mistake. */
class SmtpSettingsTest {
    private static final Optional<Path> HOME = Optional.of(Path.of("/home/u"));

    @Test
    void hostAloneGivesSafeDefaults() throws Exception {
        SmtpSettings settings = SmtpSettings.fromYaml(Map.of("host", "smtp.example.net"), HOME);

        assertThat(settings).isEqualTo(new SmtpSettings("smtp.example.net", 587,
                TlsMode.STARTTLS_REQUIRED, Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), Duration.ofSeconds(120)));
        assertThat(settings.relay()).isEqualTo("smtp:smtp.example.net:587");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("host", "[192.0.2.1]");
        values.put("port", 2465);
        values.put("tls", "implicit");
        values.put("username", "forwarder");
        values.put("password_file", "~/.mailfwd-smtp-password");
        values.put("helo", "mx.example.org");
        values.put("connect_timeout", "10s");
        values.put("read_timeout", "2m");

        SmtpSettings settings = SmtpSettings.fromYaml(values, HOME);

        assertThat(settings).isEqualTo(new SmtpSettings("192.0.2.1", 2465, TlsMode.IMPLICIT,
                Optional.of(new Credentials("forwarder",
                        Path.of("/home/u/.mailfwd-smtp-password"))),
                Optional.of("mx.example.org"), Duration.ofSeconds(10), Duration.ofMinutes(2)));
    }

    @Test
    void implicitTlsDefaultsToPort465() throws Exception {
        assertThat(SmtpSettings.fromYaml(Map.of("host", "h.example", "tls", "implicit"), HOME)
                .port()).isEqualTo(465);
    }

    static Stream<Arguments> mistakes() {
        String timeout = ": must be from 1s to 300s (seconds, or with s or m), so the MTA's "
                + "own timeout never fires first; got ";
        return Stream.of(
                row("missing host", Map.of("tls", "off"),
                        "smtp.host: missing; name the relay, e.g. host: smtp.example.net"),
                row("host with a slash", Map.of("host", "a/b"),
                        "smtp.host: \"a/b\" is not a host name or [address literal]"),
                row("port not a number", Map.of("host", "h", "port", "smtp"),
                        "smtp.port: must be a whole number from 1 to 65535, got \"smtp\""),
                row("port out of range", Map.of("host", "h", "port", 70000),
                        "smtp.port: must be a whole number from 1 to 65535, got \"70000\""),
                row("unknown tls mode", Map.of("host", "h", "tls", "yes"),
                        "smtp.tls: \"yes\" is not one of starttls-required, "
                                + "starttls-opportunistic, off, implicit"),
                row("username alone", Map.of("host", "h", "username", "u"),
                        "smtp.password_file: missing; username and password_file go together"),
                row("password file alone", Map.of("host", "h", "password_file", "/p"),
                        "smtp.username: missing; username and password_file go together"),
                row("relative password file", Map.of("host", "h", "username", "u",
                        "password_file", "p"), "smtp.password_file: must be an absolute path "
                                + "(or start with ~/), got \"p\""),
                row("password in clear", Map.of("host", "h", "tls", "off", "username", "u",
                        "password_file", "/p"), "smtp.tls: off would send the password in "
                                + "clear text; use starttls-required or implicit with username "
                                + "and password_file"),
                row("bad helo", Map.of("host", "h", "helo", "not a name"),
                        "smtp.helo: \"not a name\" is not a domain name or address literal"),
                row("zero timeout", Map.of("host", "h", "read_timeout", 0),
                        "smtp.read_timeout" + timeout + "\"0\""),
                row("timeout too long", Map.of("host", "h", "connect_timeout", "20m"),
                        "smtp.connect_timeout" + timeout + "\"20m\""),
                row("misspelled key", Map.of("host", "h", "prot", 25),
                        "smtp.prot: unknown key (known keys: connect_timeout, helo, host, "
                                + "password_file, port, read_timeout, tls, username)"));
    }

    private static Arguments row(String name, Map<String, Object> values, String expected) {
        return Arguments.of(name, values, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeIsNamedPrecisely(String name, Map<String, Object> values, String expected) {
        assertThatThrownBy(() -> SmtpSettings.fromYaml(values, HOME))
                .isInstanceOfSatisfying(SmtpSettingsException.class,
                        e -> assertThat(e.problems()).containsExactly(expected));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> values = Map.of("port", "x", "tls", "maybe", "helo", List.of("a"));

        assertThatThrownBy(() -> SmtpSettings.fromYaml(values, HOME))
                .isInstanceOfSatisfying(SmtpSettingsException.class,
                        e -> assertThat(e.problems()).hasSize(4).contains(
                                "smtp.helo: must be a single value, not a list"));
    }
}
