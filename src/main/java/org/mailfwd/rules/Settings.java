package org.mailfwd.rules;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.handoff.SmtpSettings;
import org.mailfwd.handoff.SmtpSettingsException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The keys that both the system file and a user's rule file may set: programs, limits and
 * defaults. Values are checked as they are read; paths stay as written ("~/" included)
 * until {@link #path} expands them with the user's HOME, since the system file speaks for
 * every user. The {@code smtp:} section is one setting: a rule file's section replaces the
 * system file's whole, never key by key, so a user's relay never inherits the
 * administrator's credentials.
 */
final class Settings {
    static final Set<String> KEYS = Set.of("sendmail", "log", "fallback_sender",
            "max_received", "sendmail_timeout", "max_targets", "mailbox", "default", "handoff",
            "smtp", "journal", "max_message_size");

    /** Placeholder HOME for checking a password_file of "~/..." before the user is known. */
    private static final Optional<Path> ANY_HOME = Optional.of(Path.of("/home/user"));

    /**
     * An {@code smtp:} section as written: each key's text and node. It is turned into
     * {@link SmtpSettings} only with the user's HOME, for a password_file under "~/".
     * A section with problems is kept as not valid, so that its problems are not followed
     * by a misleading "handoff: smtp needs an smtp: section".
     */
    record SmtpSection(Map<String, String> values, Map<String, Node> nodes, boolean valid) {
    }

    /** A value, with where it was written, for error messages about it later. */
    record Setting(Object value, Node node, YamlFile file) {
    }

    private final Map<String, Setting> values = new HashMap<>();

    /** Reads one setting's value; the key must be one of {@link #KEYS}. */
    void read(YamlFile file, String key, Node node) {
        Object value = switch (key) {
            case "sendmail", "log", "mailbox", "journal" -> pathText(file, key, node);
            case "fallback_sender" -> sender(file, node);
            case "handoff" -> handoffKind(file, node);
            case "smtp" -> smtpSection(file, node);
            case "max_received", "sendmail_timeout", "max_targets", "max_message_size" ->
                    file.positiveInt(node, key);
            default -> defaultAction(file, node);
        };
        if (value != null) {
            values.put(key, new Setting(value, node, file));
        }
    }

    Optional<Setting> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    int number(String key, int fallback) {
        return value(key, Integer.class, fallback);
    }

    /** A setting's value, or the fallback (which may be null) when it is not set. */
    <T> T value(String key, Class<T> type, T fallback) {
        Setting setting = values.get(key);
        return setting == null ? fallback : type.cast(setting.value());
    }

    /** Copies the settings this one lacks from another (lower-priority) one. */
    Settings under(Settings lower) {
        Settings merged = new Settings();
        merged.values.putAll(lower.values);
        merged.values.putAll(values);
        return merged;
    }

    /**
     * The path of a setting with "~/" expanded, or empty when unset. A "~/" without HOME
     * is a problem of the delivery that reads it ({@code reporter}), told at the place in
     * the file that wrote it (the system file, for an inherited setting).
     */
    Optional<Path> path(String key, Map<String, String> environment, YamlFile reporter) {
        Optional<Setting> setting = get(key);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        Setting found = setting.get();
        Optional<Path> path = expand((String) found.value(), environment);
        if (path.isEmpty()) {
            reporter.problem(found.file().where(found.node()),
                    key + " starts with ~/ but HOME is not set");
        }
        return path;
    }

    /** The path with "~/" expanded; empty when it needs HOME and HOME is not set. */
    static Optional<Path> expand(String text, Map<String, String> environment) {
        if (!text.startsWith("~/")) {
            return Optional.of(Path.of(text));
        }
        String home = environment.getOrDefault("HOME", "");
        return home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home + text.substring(1)));
    }

    /** An absolute path, or one starting with "~/"; checked here, expanded later. */
    static String pathText(YamlFile file, String key, Node node) {
        String text = file.text(node, key);
        if (text == null) {
            return null;
        }
        if (!(text.startsWith("/") || text.startsWith("~/")) || text.indexOf('\0') >= 0) {
            file.problem(node, key + " must be an absolute path or start with ~/, not \""
                    + text + "\"");
            return null;
        }
        return text;
    }

    /**
     * The SMTP relay when {@code handoff: smtp} is set; empty for sendmail (the default).
     * Problems (no smtp: section, "~/" without HOME) are recorded where they were written.
     */
    Optional<SmtpSettings> smtp(Map<String, String> environment, YamlFile reporter) {
        Optional<Setting> kind = get("handoff");
        if (kind.isEmpty() || kind.get().value().equals("sendmail")) {
            return Optional.empty();
        }
        Optional<Setting> setting = get("smtp");
        if (setting.isEmpty()) {
            report(reporter, kind.get(), "handoff: smtp needs an smtp: section naming at"
                    + " least the relay, e.g. smtp: {host: smtp.example.net}");
            return Optional.empty();
        }
        SmtpSection section = (SmtpSection) setting.get().value();
        if (!section.valid()) {
            return Optional.empty();
        }
        String home = environment.getOrDefault("HOME", "");
        if (section.values().getOrDefault("password_file", "").startsWith("~/")
                && home.isEmpty()) {
            report(reporter, setting.get(), "smtp.password_file starts with ~/ but HOME is"
                    + " not set");
            return Optional.empty();
        }
        try {
            return Optional.of(SmtpSettings.fromYaml(section.values(),
                    home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home))));
        } catch (SmtpSettingsException e) {
            // Checked when the section was read; only HOME can change the verdict here.
            e.problems().forEach(problem -> report(reporter, setting.get(), problem));
            return Optional.empty();
        }
    }

    /** Records a problem at a setting, in whichever file wrote it, on the reporter's list. */
    private static void report(YamlFile reporter, Setting setting, String text) {
        reporter.problems().add(setting.file().where(setting.node()) + ": " + text);
    }

    private static Object handoffKind(YamlFile file, Node node) {
        String text = file.text(node, "handoff");
        if (text != null && !text.equals("sendmail") && !text.equals("smtp")) {
            file.problem(node, "handoff must be sendmail or smtp, not \"" + text + "\""
                    + Spelling.didYouMean(text, Set.of("sendmail", "smtp"))
                            .replace("known keys", "known values"));
            return null;
        }
        return text;
    }

    /**
     * Checks an {@code smtp:} section with the hand-off's own reader, so that the load (and
     * {@code mailfwd check}) finds every mistake a delivery would, each at its line.
     */
    private static Object smtpSection(YamlFile file, Node node) {
        int problemsBefore = file.problems().size();
        SmtpSection invalid = new SmtpSection(Map.of(), Map.of(), false);
        Map<String, YamlFile.Entry> entries = file.mapping(node, "smtp", SmtpSettings.KEYS);
        if (entries == null) {
            return invalid;
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Node> nodes = new HashMap<>();
        for (Map.Entry<String, YamlFile.Entry> entry : entries.entrySet()) {
            String text = file.text(entry.getValue().value(), "smtp." + entry.getKey());
            if (text != null) {
                values.put(entry.getKey(), text);
                nodes.put(entry.getKey(), entry.getValue().value());
            }
        }
        try {
            SmtpSettings.fromYaml(values, ANY_HOME);
        } catch (SmtpSettingsException e) {
            for (String problem : e.problems()) {
                String key = problem.substring("smtp.".length(), problem.indexOf(':'));
                file.problem(nodes.getOrDefault(key, node), problem);
            }
            return invalid;
        }
        return new SmtpSection(Map.copyOf(values), Map.copyOf(nodes),
                file.problems().size() == problemsBefore);
    }

    private static Object sender(YamlFile file, Node node) {
        String text = file.text(node, "fallback_sender");
        if (text == null) {
            return null;
        }
        try {
            return ReversePathParser.parseSender(text);
        } catch (AddressSyntaxException e) {
            file.problem(node, "fallback_sender \"" + text + "\": " + e.getMessage());
            return null;
        }
    }

    private static Object defaultAction(YamlFile file, Node node) {
        String text = file.text(node, "default");
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "keep" -> RuleSet.Default.KEEP;
            case "defer" -> RuleSet.Default.DEFER;
            default -> {
                file.problem(node, "default must be keep or defer, not \"" + text
                        + "\" (mail that matches no rule is never dropped silently)");
                yield null;
            }
        };
    }
}
