package org.mailfwd.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.spam.SpamSettings;
import org.mailfwd.spam.Spamc;
import org.mailfwd.spam.SubjectTag;
import org.mailfwd.spam.VerdictReader;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The {@code spam:} section (issue 4). Which filter's verdict to believe, where our own
 * Received fields end, and whether to ask spamc are the administrator's to say, in the
 * system file only: they decide what a forged header can do. How to tag (tag, prefix) may
 * be set in both files; the rule file's value wins.
 */
final class SpamSection {
    static final Set<String> SYSTEM_KEYS = Set.of("filter", "header", "threshold",
            "own_received", "spamc", "tag", "prefix");
    static final Set<String> USER_KEYS = Set.of("tag", "prefix");
    private static final Set<String> SPAMC_KEYS = Set.of("program", "args", "timeout", "mode",
            "fallback");
    /** More hops than this inside one site is a configuration mistake, not a mail system. */
    private static final int MAX_OWN_RECEIVED = 20;

    private String filter;
    private String header;
    private Double threshold;
    private Integer ownReceived;
    private Spamc spamc;
    private SubjectTag.Policy tag;
    private String prefix;

    /** Reads the section; problems are recorded in the file. */
    static SpamSection read(YamlFile file, Node node, boolean systemFile) {
        SpamSection section = new SpamSection();
        Map<String, YamlFile.Entry> keys = file.mapping(node, "spam", SYSTEM_KEYS);
        if (keys == null) {
            return section;
        }
        for (Map.Entry<String, YamlFile.Entry> entry : keys.entrySet()) {
            if (!systemFile && !USER_KEYS.contains(entry.getKey())) {
                file.problem(entry.getValue().key(), "spam " + entry.getKey() + " belongs in"
                        + " the system file (it decides which verdict is believed)");
                continue;
            }
            section.set(file, entry.getKey(), entry.getValue().value());
        }
        if (section.filter != null && section.filter.equals("header")
                != (section.header != null && section.threshold != null)) {
            file.problem(node, "spam filter: header needs header: and threshold:, and only"
                    + " it takes them");
        }
        return section;
    }

    private void set(YamlFile file, String key, Node value) {
        switch (key) {
            case "filter" -> filter = word(file, value, key, "spamassassin", "rspamd", "header");
            case "header" -> header = headerName(file, value);
            case "threshold" -> threshold = number(file, value, key);
            case "own_received" -> ownReceived = count(file, value);
            case "spamc" -> spamc = spamc(file, value);
            case "tag" -> {
                String word = word(file, value, key, "subject", "header",
                        "subject-unless-signed");
                tag = word == null ? null : SubjectTag.Policy.parse(word);
            }
            default -> prefix = prefix(file, value);
        }
    }

    /** This section with the values it lacks taken from a lower-priority one. */
    SpamSection under(SpamSection lower) {
        SpamSection merged = new SpamSection();
        merged.filter = filter != null ? filter : lower.filter;
        merged.header = header != null ? header : lower.header;
        merged.threshold = threshold != null ? threshold : lower.threshold;
        merged.ownReceived = ownReceived != null ? ownReceived : lower.ownReceived;
        merged.spamc = spamc != null ? spamc : lower.spamc;
        merged.tag = tag != null ? tag : lower.tag;
        merged.prefix = prefix != null ? prefix : lower.prefix;
        return merged;
    }

    /** The settings, with SpamSettings.DEFAULT's for whatever is not set. */
    SpamSettings settings() {
        int own = ownReceived == null ? 1 : ownReceived;
        VerdictReader reader = switch (filter == null ? "spamassassin" : filter) {
            case "rspamd" -> VerdictReader.rspamd(own);
            case "header" -> header == null || threshold == null ? VerdictReader.spamAssassin(own)
                    : VerdictReader.header(header, threshold, own);
            default -> VerdictReader.spamAssassin(own);
        };
        SubjectTag subjectTag = new SubjectTag(
                tag == null ? SubjectTag.Policy.SUBJECT_UNLESS_SIGNED : tag,
                prefix == null ? SubjectTag.DEFAULT_PREFIX : prefix);
        return new SpamSettings(reader, Optional.ofNullable(spamc), subjectTag);
    }

    private static String word(YamlFile file, Node node, String key, String... allowed) {
        String text = file.text(node, "spam " + key);
        if (text != null && !List.of(allowed).contains(text)) {
            file.problem(node, "spam " + key + " must be one of " + String.join(", ", allowed)
                    + ", not " + text);
            return null;
        }
        return text;
    }

    private static String headerName(YamlFile file, Node node) {
        String name = file.text(node, "spam header");
        if (name != null && (name.isEmpty()
                || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':'))) {
            file.problem(node, "spam header \"" + name + "\" is not a field name");
            return null;
        }
        return name;
    }

    private static Double number(YamlFile file, Node node, String key) {
        String text = node instanceof ScalarNode scalar && !YamlFile.isNull(node)
                ? scalar.getValue().strip() : "";
        boolean plain = !text.isEmpty() && text.length() <= 12 && text.chars()
                .allMatch(c -> c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+');
        try {
            if (plain) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            // Reported below with the other malformed values.
        }
        file.problem(node, "spam " + key + " must be a number such as 5 or 7.5, not "
                + YamlFile.kind(node));
        return null;
    }

    /** own_received: 0 (no position check) up to a handful of our own hops. */
    private static Integer count(YamlFile file, Node node) {
        String text = node instanceof ScalarNode scalar ? scalar.getValue().strip() : "";
        if (YamlFile.isInteger(node) && text.length() <= 2 && !text.startsWith("-")) {
            int n = Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
            if (n <= MAX_OWN_RECEIVED) {
                return n;
            }
        }
        file.problem(node, "spam own_received must be a whole number from 0 to "
                + MAX_OWN_RECEIVED + ", not " + YamlFile.kind(node));
        return null;
    }

    private static String prefix(YamlFile file, Node node) {
        String text = file.text(node, "spam prefix");
        if (text == null) {
            return null;
        }
        try {
            new SubjectTag(SubjectTag.Policy.SUBJECT, text);
            return text;
        } catch (IllegalArgumentException e) {
            file.problem(node, e.getMessage());
            return null;
        }
    }

    private static Spamc spamc(YamlFile file, Node node) {
        Map<String, YamlFile.Entry> keys = file.mapping(node, "spamc", SPAMC_KEYS);
        if (keys == null) {
            return null;
        }
        Path program = Spamc.DEFAULT_PROGRAM;
        if (keys.containsKey("program")) {
            String text = file.text(keys.get("program").value(), "spamc program");
            if (text != null && !text.startsWith("/")) {
                file.problem(keys.get("program").value(), "spamc program must be an absolute"
                        + " path, not " + text);
            }
            program = text == null ? program : Path.of(text);
        }
        List<String> args = new ArrayList<>();
        if (keys.containsKey("args")) {
            List<Node> items = file.list(keys.get("args").value(), "spamc args");
            for (Node item : items == null ? List.<Node>of() : items) {
                String arg = file.text(item, "a spamc argument");
                if (arg != null) {
                    args.add(arg);
                }
            }
        }
        Integer seconds = keys.containsKey("timeout")
                ? file.positiveInt(keys.get("timeout").value(), "spamc timeout")
                : Integer.valueOf((int) Spamc.DEFAULT_TIMEOUT.toSeconds());
        String mode = keys.containsKey("mode")
                ? word(file, keys.get("mode").value(), "spamc mode", "check", "headers")
                : "check";
        String fallback = keys.containsKey("fallback")
                ? word(file, keys.get("fallback").value(), "spamc fallback", "not-spam", "spam",
                        "defer") : "not-spam";
        if (seconds == null || mode == null || fallback == null) {
            return null;
        }
        return new Spamc(program, args, Duration.ofSeconds(seconds),
                mode.equals("check") ? Spamc.Mode.CHECK : Spamc.Mode.HEADERS,
                switch (fallback) {
                    case "spam" -> Spamc.Fallback.SPAM;
                    case "defer" -> Spamc.Fallback.DEFER;
                    default -> Spamc.Fallback.NOT_SPAM;
                });
    }
}
