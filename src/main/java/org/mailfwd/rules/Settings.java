package org.mailfwd.rules;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.ReversePathParser;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The keys that both the system file and a user's rule file may set: programs, limits and
 * defaults. Values are checked as they are read; paths stay as written ("~/" included)
 * until {@link #path} expands them with the user's HOME, since the system file speaks for
 * every user.
 */
final class Settings {
    static final Set<String> KEYS = Set.of("sendmail", "log", "fallback_sender",
            "max_received", "sendmail_timeout", "max_targets", "mailbox", "default");

    /** A value, with where it was written, for error messages about it later. */
    record Setting(Object value, Node node, YamlFile file) {
    }

    private final Map<String, Setting> values = new HashMap<>();

    /** Reads one setting's value; the key must be one of {@link #KEYS}. */
    void read(YamlFile file, String key, Node node) {
        Object value = switch (key) {
            case "sendmail", "log", "mailbox" -> pathText(file, key, node);
            case "fallback_sender" -> sender(file, node);
            case "max_received", "sendmail_timeout", "max_targets" ->
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
     * is recorded as a problem in the file that wrote it.
     */
    Optional<Path> path(String key, Map<String, String> environment, YamlFile reporter) {
        Optional<Setting> setting = get(key);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        return expand((String) setting.get().value(), environment, setting.get().node(),
                reporter, key);
    }

    static Optional<Path> expand(String text, Map<String, String> environment, Node node,
            YamlFile reporter, String key) {
        if (!text.startsWith("~/")) {
            return Optional.of(Path.of(text));
        }
        String home = environment.getOrDefault("HOME", "");
        if (home.isEmpty()) {
            reporter.problem(node, key + " starts with ~/ but HOME is not set");
            return Optional.empty();
        }
        return Optional.of(Path.of(home + text.substring(1)));
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
