package org.mailfwd.handoff;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where and how the SMTP hand-off connects: the relay host and port, the TLS mode, optional
 * AUTH credentials (a user name and the path of a file holding the password, which is read
 * only at hand-off and never logged), the HELO name and the timeouts.
 *
 * <p>{@link #fromYaml} checks a mapping of already-parsed YAML scalars (the {@code smtp:}
 * block of a rule file) and reports every problem at once, so this type knows nothing of
 * the YAML library. Nothing here loads Jakarta Mail.
 *
 * @param heloName the name for EHLO/HELO; empty means the local host name at hand-off
 */
public record SmtpSettings(String host, int port, TlsMode tls, Optional<Credentials> credentials,
        Optional<String> heloName, Duration connectTimeout, Duration readTimeout) {

    /** Postfix's smtp_connect_timeout default. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Long enough for a relay that scans content before its reply to the final dot. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The MTA kills a delivery command that runs too long (Postfix pipe(8): 1000 s by
     * default; a killed command is deferred, but nobody learns why). Connect plus a few
     * command replies must stay well under that, so each timeout is capped here.
     */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(300);

    /** The keys of an {@code smtp:} section. */
    public static final Set<String> KEYS = Set.of("host", "port", "tls", "username",
            "password_file", "helo", "connect_timeout", "read_timeout");

    public SmtpSettings {
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp host and port must be set");
        }
        if (credentials.isPresent() && tls == TlsMode.OFF) {
            throw new IllegalArgumentException("smtp credentials need TLS");
        }
    }

    /** How the connection is protected. Certificates are checked in every mode that uses TLS. */
    public enum TlsMode {
        /** STARTTLS, and no mail if the server does not offer it (Postfix "encrypt"). */
        STARTTLS_REQUIRED("starttls-required", 587),
        /** STARTTLS when offered, plain text otherwise (Postfix "may"). */
        STARTTLS_OPPORTUNISTIC("starttls-opportunistic", 25),
        /** Plain text; only sensible for a relay on this host or a trusted network. */
        OFF("off", 25),
        /** TLS from the first byte, RFC 8314 submissions on port 465. */
        IMPLICIT("implicit", 465);

        private final String word;
        private final int defaultPort;

        TlsMode(String word, int defaultPort) {
            this.word = word;
            this.defaultPort = defaultPort;
        }

        public String word() {
            return word;
        }

        public int defaultPort() {
            return defaultPort;
        }

        static Optional<TlsMode> of(String word) {
            for (TlsMode mode : values()) {
                if (mode.word.equals(word.toLowerCase(Locale.ROOT))) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * AUTH PLAIN or LOGIN credentials. The password stays in its file until hand-off so that
     * it is never part of a settings value that could end up in a log or a dry run.
     */
    public record Credentials(String username, Path passwordFile) {
    }

    /** host:port, as the log line's relay= shows it. */
    public String relay() {
        return "smtp:" + host + ":" + port;
    }

    /**
     * Checks the {@code smtp:} keys of a rule file and builds the settings.
     *
     * @param values the keys, with scalar values (String, Number or Boolean) as the YAML
     *     loader produced them
     * @param home the user's home directory, for a password_file that starts with "~/"
     * @throws SmtpSettingsException naming every problem, each as "smtp.KEY: what is wrong"
     */
    public static SmtpSettings fromYaml(Map<String, ?> values, Optional<Path> home)
            throws SmtpSettingsException {
        return new Reader(values, home).read();
    }

    /** Collects the problems of one {@code smtp:} block. */
    private static final class Reader {
        private final Map<String, ?> values;
        private final Optional<Path> home;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, ?> values, Optional<Path> home) {
            this.values = values;
            this.home = home;
        }

        SmtpSettings read() throws SmtpSettingsException {
            for (String key : new TreeSet<>(values.keySet())) {
                if (!KEYS.contains(key)) {
                    problems.add("smtp." + key + ": unknown key (known keys: "
                            + String.join(", ", new TreeSet<>(KEYS)) + ")");
                }
            }
            String host = host();
            TlsMode tls = text("tls").map(this::tlsMode).orElse(TlsMode.STARTTLS_REQUIRED);
            int port = text("port").map(this::port).orElse(tls.defaultPort());
            Optional<Credentials> credentials = credentials(tls);
            Optional<String> helo = text("helo").flatMap(this::helo);
            Duration connect = text("connect_timeout")
                    .map(v -> timeout("connect_timeout", v)).orElse(DEFAULT_CONNECT_TIMEOUT);
            Duration read = text("read_timeout")
                    .map(v -> timeout("read_timeout", v)).orElse(DEFAULT_READ_TIMEOUT);
            if (!problems.isEmpty()) {
                throw new SmtpSettingsException(problems);
            }
            return new SmtpSettings(host, port, tls, credentials, helo, connect, read);
        }

        /** The value as text; a list or mapping is a problem, recorded here. */
        private Optional<String> text(String key) {
            Object value = values.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                return Optional.of(value.toString());
            }
            problems.add("smtp." + key + ": must be a single value, not a "
                    + (value instanceof List ? "list" : "mapping"));
            return Optional.empty();
        }

        private String host() {
            Optional<String> host = text("host");
            if (host.isEmpty()) {
                problems.add("smtp.host: missing; name the relay, e.g. host: smtp.example.net");
                return "";
            }
            String name = host.get().strip();
            boolean ok = !name.isEmpty() && name.length() <= 255
                    && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "/@:\"\\"
                            .indexOf(c) < 0 || c == ':' && name.startsWith("["));
            if (!ok) {
                problems.add("smtp.host: \"" + printable(name)
                        + "\" is not a host name or [address literal]");
                return "";
            }
            // A bracketed literal such as [192.0.2.1] or [::1] is connected to without brackets.
            return name.startsWith("[") && name.endsWith("]")
                    ? name.substring(1, name.length() - 1) : name;
        }

        private TlsMode tlsMode(String word) {
            Optional<TlsMode> mode = TlsMode.of(word);
            if (mode.isEmpty()) {
                problems.add("smtp.tls: \"" + printable(word) + "\" is not one of "
                        + "starttls-required, starttls-opportunistic, off, implicit");
                return TlsMode.STARTTLS_REQUIRED;
            }
            return mode.get();
        }

        private int port(String text) {
            try {
                int port = Integer.parseInt(text.strip());
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // Reported below with the same words as an out-of-range number.
            }
            problems.add("smtp.port: must be a whole number from 1 to 65535, got \""
                    + printable(text) + "\"");
            return 1;
        }

        private Optional<Credentials> credentials(TlsMode tls) {
            Optional<String> username = text("username");
            Optional<String> file = text("password_file");
            if (username.isEmpty() && file.isEmpty()) {
                return Optional.empty();
            }
            if (username.isEmpty() || file.isEmpty()) {
                problems.add("smtp." + (username.isEmpty() ? "username" : "password_file")
                        + ": missing; username and password_file go together");
                return Optional.empty();
            }
            if (tls == TlsMode.OFF) {
                problems.add("smtp.tls: off would send the password in clear text; use "
                        + "starttls-required or implicit with username and password_file");
                return Optional.empty();
            }
            if (username.get().isEmpty() || username.get().chars()
                    .anyMatch(c -> c < 0x20 || c == 0x7f)) {
                problems.add("smtp.username: must be non-empty, without control characters");
                return Optional.empty();
            }
            return passwordFile(file.get()).map(path -> new Credentials(username.get(), path));
        }

        private Optional<Path> passwordFile(String text) {
            String path = text;
            if (path.startsWith("~/") && home.isPresent()) {
                path = home.get() + path.substring(1);
            }
            if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
                problems.add("smtp.password_file: must be an absolute path (or start with ~/), "
                        + "got \"" + printable(text) + "\"");
                return Optional.empty();
            }
            return Optional.of(Path.of(path));
        }

        /** RFC 5321 section 4.1.1.1: EHLO takes a domain or an address literal. */
        private Optional<String> helo(String name) {
            boolean ok = name.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
                    || name.matches("\\[[0-9A-Fa-f:.]+\\]|\\[IPv6:[0-9A-Fa-f:.]+\\]");
            if (!ok || name.length() > 255) {
                problems.add("smtp.helo: \"" + printable(name)
                        + "\" is not a domain name or address literal");
                return Optional.empty();
            }
            return Optional.of(name);
        }

        /** Whole seconds, "30s" or "2m", from 1 s to {@link #MAX_TIMEOUT}. */
        private Duration timeout(String key, String text) {
            String value = text.strip().toLowerCase(Locale.ROOT);
            long factor = value.endsWith("m") ? 60 : 1;
            String digits = value.endsWith("m") || value.endsWith("s")
                    ? value.substring(0, value.length() - 1) : value;
            try {
                Duration duration = Duration.ofSeconds(Long.parseLong(digits) * factor);
                if (!duration.isNegative() && !duration.isZero()
                        && duration.compareTo(MAX_TIMEOUT) <= 0) {
                    return duration;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // Reported below.
            }
            problems.add("smtp." + key + ": must be from 1s to " + MAX_TIMEOUT.toSeconds()
                    + "s (seconds, or with s or m), so the MTA's own timeout never fires "
                    + "first; got \"" + printable(text) + "\"");
            return DEFAULT_READ_TIMEOUT;
        }

        private static String printable(String text) {
            return org.mailfwd.text.Printable.of(text, 100);
        }
    }
}
