package org.mailfwd.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads an "if:" mapping into a {@link Condition}. Several keys in one mapping must all
 * match. Regular expressions are compiled here, so a bad one is a load-time error.
 */
final class ConditionReader {
    private static final Set<String> KEYS = Set.of("header", "sender", "recipient",
            "extension", "size", "bounce", "list", "all", "any", "not", "spam");
    private static final Set<String> HEADER_KEYS = Set.of("name", "glob", "regex");
    private static final Set<String> PATTERN_KEYS = Set.of("glob", "regex");
    private static final Set<String> SIZE_KEYS = Set.of("over", "under");

    private final YamlFile file;

    ConditionReader(YamlFile file) {
        this.file = file;
    }

    /** The condition, or null when it had problems (they are recorded). */
    Condition read(Node node) {
        Map<String, YamlFile.Entry> keys = file.mapping(node, "if", KEYS);
        if (keys == null) {
            return null;
        }
        if (keys.isEmpty()) {
            file.problem(node, "if: is empty (leave it out to match every message)");
            return null;
        }
        List<Condition> all = new ArrayList<>();
        for (Map.Entry<String, YamlFile.Entry> entry : keys.entrySet()) {
            Condition condition = one(entry.getKey(), entry.getValue());
            if (condition != null) {
                all.add(condition);
            }
        }
        if (all.size() != keys.size()) {
            return null;
        }
        return all.size() == 1 ? all.get(0) : new Condition.All(all);
    }

    private Condition one(String key, YamlFile.Entry entry) {
        Node value = entry.value();
        return switch (key) {
            case "header" -> header(value);
            case "sender" -> pattern(value, key).map(Condition.Address::sender).orElse(null);
            case "recipient" -> pattern(value, key).map(Condition.Address::recipient)
                    .orElse(null);
            case "extension" -> pattern(value, key).map(Condition.Address::extension)
                    .orElse(null);
            case "size" -> size(value);
            case "bounce" -> flag(value, key, Condition.Bounce::new);
            case "list" -> flag(value, key, Condition.ListMail::new);
            case "all" -> group(value, key, Condition.All::new);
            case "any" -> group(value, key, Condition.Any::new);
            case "not" -> {
                Condition inner = read(value);
                yield inner == null ? null : new Condition.Not(inner);
            }
            default -> spam(value);
        };
    }

    /** "spam: true" or "spam: false", or a score range "spam: {over: 5, under: 15}". */
    private Condition spam(Node node) {
        if (YamlFile.isBoolean(node)) {
            return flag(node, "spam", wanted -> new Condition.Spam(wanted, Optional.empty(),
                    Optional.empty()));
        }
        Map<String, YamlFile.Entry> keys = file.mapping(node, "spam", SIZE_KEYS);
        if (keys == null) {
            return null;
        }
        if (keys.isEmpty()) {
            file.problem(node, "spam needs true, false, or a score over: and/or under:");
            return null;
        }
        Optional<Double> over = keys.containsKey("over")
                ? score(keys.get("over").value(), "over") : Optional.empty();
        Optional<Double> under = keys.containsKey("under")
                ? score(keys.get("under").value(), "under") : Optional.empty();
        if (keys.containsKey("over") && over.isEmpty()
                || keys.containsKey("under") && under.isEmpty()) {
            return null;
        }
        return new Condition.Spam(true, over, under);
    }

    /** A spam score: a decimal number such as 5, 7.5 or -1. */
    private Optional<Double> score(Node node, String what) {
        String text = node instanceof ScalarNode scalar && !YamlFile.isNull(node)
                ? scalar.getValue().strip() : "";
        boolean plain = !text.isEmpty() && text.length() <= 12
                && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.' || c == '-'
                        || c == '+');
        try {
            if (plain) {
                return Optional.of(Double.parseDouble(text));
            }
        } catch (NumberFormatException e) {
            // Reported below with the other malformed values.
        }
        file.problem(node, "spam score " + what + " must be a number such as 5 or 7.5, not "
                + YamlFile.kind(node));
        return Optional.empty();
    }

    private Condition header(Node node) {
        Map<String, YamlFile.Entry> keys = file.mapping(node, "header", HEADER_KEYS);
        if (keys == null) {
            return null;
        }
        if (!keys.containsKey("name")) {
            file.problem(node, "header needs name: (the field name, such as List-Id)");
            return null;
        }
        String name = file.text(keys.get("name").value(), "header name");
        if (name != null && (name.isEmpty()
                || !name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':'))) {
            file.problem(keys.get("name").value(), "header name \"" + name
                    + "\" is not a field name (letters, digits and dashes, no colon)");
            name = null;
        }
        if (keys.containsKey("glob") || keys.containsKey("regex")) {
            Optional<TextPattern> pattern = patternOf(keys, node, "header");
            return name == null || pattern.isEmpty() ? null
                    : new Condition.Header(name, pattern);
        }
        return name == null ? null : new Condition.Header(name, Optional.empty());
    }

    /** A text is a glob; a mapping holds glob: or regex:. */
    private Optional<TextPattern> pattern(Node node, String what) {
        if (node instanceof ScalarNode scalar && !YamlFile.isNull(node)) {
            return Optional.of(TextPattern.glob(scalar.getValue()));
        }
        Map<String, YamlFile.Entry> keys = file.mapping(node, what, PATTERN_KEYS);
        return keys == null ? Optional.empty() : patternOf(keys, node, what);
    }

    private Optional<TextPattern> patternOf(Map<String, YamlFile.Entry> keys, Node node,
            String what) {
        if (keys.containsKey("glob") == keys.containsKey("regex")) {
            file.problem(node, what + " needs exactly one of glob: or regex:");
            return Optional.empty();
        }
        if (keys.containsKey("glob")) {
            String glob = file.text(keys.get("glob").value(), "glob");
            return Optional.ofNullable(glob).map(TextPattern::glob);
        }
        Node value = keys.get("regex").value();
        String regex = file.text(value, "regex");
        if (regex == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TextPattern.regex(regex));
        } catch (PatternSyntaxException e) {
            file.problem(value, "regex \"" + regex + "\" is not valid: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at character "
                    + (e.getIndex() + 1) : "") + " (Java regular expression syntax)");
            return Optional.empty();
        }
    }

    private Condition size(Node node) {
        Map<String, YamlFile.Entry> keys = file.mapping(node, "size", SIZE_KEYS);
        if (keys == null) {
            return null;
        }
        if (keys.isEmpty()) {
            file.problem(node, "size needs over: or under: (such as over: 10M)");
            return null;
        }
        Optional<Long> over = keys.containsKey("over")
                ? bytes(keys.get("over").value(), "over") : Optional.empty();
        Optional<Long> under = keys.containsKey("under")
                ? bytes(keys.get("under").value(), "under") : Optional.empty();
        if (keys.containsKey("over") && over.isEmpty()
                || keys.containsKey("under") && under.isEmpty()) {
            return null;
        }
        return new Condition.Size(over, under);
    }

    /** A size in bytes, with an optional k, M or G suffix (powers of 1024). */
    private Optional<Long> bytes(Node node, String what) {
        String text = node instanceof ScalarNode scalar && !YamlFile.isNull(node)
                ? scalar.getValue().strip() : null;
        if (text != null && !text.isEmpty()) {
            char unit = Character.toLowerCase(text.charAt(text.length() - 1));
            int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : 0;
            String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
            if (!digits.isEmpty() && digits.length() <= 12
                    && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.of(Long.parseLong(digits) << shift);
            }
        }
        file.problem(node, "size " + what + " must be a number of bytes such as 500k or 10M,"
                + " not " + YamlFile.kind(node));
        return Optional.empty();
    }

    private Condition flag(Node node, String what,
            java.util.function.Function<Boolean, Condition> make) {
        Boolean wanted = file.bool(node, what);
        return wanted == null ? null : make.apply(wanted);
    }

    private Condition group(Node node, String what,
            java.util.function.Function<List<Condition>, Condition> make) {
        List<Node> items = file.list(node, what);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            file.problem(node, what + " needs at least one condition");
            return null;
        }
        List<Condition> conditions = new ArrayList<>();
        for (Node item : items) {
            Condition condition = read(item);
            if (condition == null) {
                return null;
            }
            conditions.add(condition);
        }
        return make.apply(conditions);
    }
}
