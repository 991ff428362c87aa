package org.mailfwd.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.envelope.ReversePathParser;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the {@code forward:} shorthand and the {@code rules:} list into checked rules.
 * Problems are recorded in the file and reading goes on, so one run of {@code mailfwd
 * check} shows all of them.
 */
final class RuleReader {
    private static final Set<String> RULE_KEYS = Set.of("name", "if", "forward", "keep",
            "discard", "bounce", "defer", "sender", "continue", "tag");
    /** A bounce or defer text ends up in a DSN; keep it to one short line. */
    private static final int MAX_TEXT = 200;

    private final YamlFile file;
    private final Map<String, String> environment;
    private final int maxTargets;
    private final Optional<KeepTarget> mailbox;
    private final ConditionReader conditions;

    RuleReader(YamlFile file, Map<String, String> environment, int maxTargets,
            Optional<KeepTarget> mailbox) {
        this.file = file;
        this.environment = environment;
        this.maxTargets = maxTargets;
        this.mailbox = mailbox;
        this.conditions = new ConditionReader(file);
    }

    List<Rule> rules(Node root, YamlFile.Entry shorthand, YamlFile.Entry list) {
        if (shorthand != null && list != null) {
            file.problem(shorthand.key(), "forward: and rules: cannot both be at the top"
                    + " (put this forward into a rule without if:, last in rules:)");
            return List.of();
        }
        if (shorthand != null) {
            return List.of(new Rule("forward", new Condition.Always(),
                    forward(shorthand.value()), Optional.empty(), Optional.empty(),
                    SenderChoice.ORIGINAL, false, false));
        }
        if (list == null) {
            file.problem(root, "no forward: and no rules: (write at least"
                    + " forward: [you@example.net])");
            return List.of();
        }
        List<Node> items = file.list(list.value(), "rules");
        List<Rule> rules = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int position = 0;
        for (Node item : items == null ? List.<Node>of() : items) {
            Rule rule = rule(item, ++position);
            if (rule != null && !names.add(rule.name())) {
                file.problem(item, "two rules are named " + rule.name());
            }
            if (rule != null) {
                rules.add(rule);
                nodes.add(item);
            }
        }
        checkSenders(rules, nodes);
        return rules;
    }

    private Rule rule(Node node, int position) {
        Map<String, YamlFile.Entry> keys = file.mapping(node, "rule #" + position, RULE_KEYS);
        if (keys == null) {
            return null;
        }
        // An unnamed rule is called by its place: "rule #3".
        String name = keys.containsKey("name") ? name(keys.get("name").value())
                : "#" + position;
        Condition condition = keys.containsKey("if")
                ? conditions.read(keys.get("if").value()) : new Condition.Always();
        List<Recipient> forward = keys.containsKey("forward")
                ? forward(keys.get("forward").value()) : List.of();
        Optional<KeepTarget> keep = keys.containsKey("keep")
                ? keep(keys.get("keep").value()) : Optional.empty();
        Optional<Ending> ending = ending(keys);
        SenderChoice sender = keys.containsKey("sender")
                ? sender(keys.get("sender").value()) : SenderChoice.ORIGINAL;
        Boolean continues = keys.containsKey("continue")
                ? file.bool(keys.get("continue").value(), "continue") : Boolean.FALSE;
        Boolean tag = keys.containsKey("tag")
                ? file.bool(keys.get("tag").value(), "tag") : Boolean.FALSE;
        checkActions(node, keys, name);
        return new Rule(name == null ? "#" + position : name,
                condition == null ? new Condition.Always() : condition, forward, keep, ending,
                sender, continues != null && continues, tag != null && tag);
    }

    private String name(Node node) {
        String name = file.text(node, "name");
        if (name != null && (name.isBlank() || name.length() > 64
                || !printable(name))) {
            file.problem(node, "name must be 1 to 64 printable characters");
        }
        return name;
    }

    /** No control characters: such text ends up in a log line or a DSN. */
    private static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Checks that the actions fit together, naming the keys that do not. */
    private void checkActions(Node node, Map<String, YamlFile.Entry> keys, String name) {
        List<String> endings = new ArrayList<>();
        for (String key : List.of("discard", "bounce", "defer")) {
            if (keys.containsKey(key)) {
                endings.add(key);
            }
        }
        boolean delivers = keys.containsKey("forward") || keys.containsKey("keep");
        String rule = "rule " + (name == null ? "?" : name);
        boolean hadUnknownKeys = node instanceof MappingNode mapping
                && mapping.getValue().size() > keys.size();
        if (endings.isEmpty() && !delivers && !hadUnknownKeys) {
            file.problem(node, rule + " has no action (forward, keep, discard, bounce"
                    + " or defer)");
        } else if (endings.size() > 1 || !endings.isEmpty() && delivers) {
            file.problem(keys.get(endings.get(0)).key(), rule + ": " + endings.get(0)
                    + " cannot go with " + (delivers ? "forward or keep" : endings.get(1)));
        }
        if (!endings.isEmpty() && keys.containsKey("continue")) {
            file.problem(keys.get("continue").key(), rule + ": " + endings.get(0)
                    + " ends the rules, so continue has no meaning here");
        }
        if (keys.containsKey("tag") && !keys.containsKey("forward")) {
            file.problem(keys.get("tag").key(), rule + ": tag marks the forwarded copy,"
                    + " and this rule has no forward");
        }
        if (keys.containsKey("sender") && !keys.containsKey("forward")) {
            file.problem(keys.get("sender").key(), rule + ": sender applies to forward,"
                    + " and this rule has none");
        }
    }

    private List<Recipient> forward(Node node) {
        if (node instanceof MappingNode) {
            file.problem(node, "forward must be an address or a list of addresses, not a mapping");
            return List.of();
        }
        List<Node> items = file.items(node);
        if (items.isEmpty() || YamlFile.isNull(node)) {
            file.problem(node, "forward needs at least one address");
            return List.of();
        }
        Set<Recipient> recipients = new LinkedHashSet<>();
        for (Node item : items) {
            String text = file.text(item, "a forward address");
            if (text == null) {
                continue;
            }
            try {
                recipients.add(ReversePathParser.parseRecipient(text));
            } catch (AddressSyntaxException e) {
                file.problem(item, "forward address \"" + text + "\": " + e.getMessage());
            }
        }
        if (recipients.size() > maxTargets) {
            file.problem(node, "forward has " + recipients.size()
                    + " addresses, more than max_targets " + maxTargets);
        }
        return new ArrayList<>(recipients);
    }

    private Optional<KeepTarget> keep(Node node) {
        if (YamlFile.isNull(node) || YamlFile.isBoolean(node)) {
            Boolean on = YamlFile.isNull(node) ? null : file.bool(node, "keep");
            if (!Boolean.TRUE.equals(on)) {
                file.problem(node, "keep must be true (the mailbox) or a path, not "
                        + YamlFile.kind(node));
                return Optional.empty();
            }
            if (mailbox.isEmpty()) {
                file.problem(node, "keep: true needs mailbox: or HOME to know where");
            }
            return mailbox;
        }
        String text = Settings.pathText(file, "keep", node);
        if (text == null) {
            return Optional.empty();
        }
        Optional<Path> path = Settings.expand(text, environment);
        if (path.isEmpty()) {
            file.problem(node, "keep starts with ~/ but HOME is not set");
        }
        return path.map(found -> new KeepTarget(found, text.endsWith("/")));
    }

    private Optional<Ending> ending(Map<String, YamlFile.Entry> keys) {
        for (Ending.Kind kind : Ending.Kind.values()) {
            YamlFile.Entry entry = keys.get(kind.word());
            if (entry != null) {
                return endingText(entry.value(), kind).map(text -> new Ending(kind, text));
            }
        }
        return Optional.empty();
    }

    /** "discard: true" or "bounce: text": true means a standard text. */
    private Optional<String> endingText(Node node, Ending.Kind kind) {
        if (YamlFile.isBoolean(node)) {
            Boolean on = file.bool(node, kind.word());
            if (Boolean.TRUE.equals(on)) {
                return Optional.of("");
            }
            file.problem(node, kind.word() + ": false does nothing; leave the key out");
            return Optional.empty();
        }
        String text = file.text(node, kind.word());
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank() || text.length() > MAX_TEXT
                || !printable(text)) {
            file.problem(node, kind.word() + " text must be one line of 1 to " + MAX_TEXT
                    + " printable characters (or true)");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** original, null (or ~ or "<>"), or one address; an empty value is a mistake. */
    private SenderChoice sender(Node node) {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isEmpty()) {
            file.problem(node, "sender must be original, null or an address, not "
                    + YamlFile.kind(node));
            return SenderChoice.ORIGINAL;
        }
        String text = scalar.getValue();
        if (YamlFile.isNull(node)) {
            return new SenderChoice(Optional.of(EnvelopeSender.NULL));
        }
        if (text.equals("original")) {
            return SenderChoice.ORIGINAL;
        }
        try {
            return new SenderChoice(Optional.of(ReversePathParser.parseSender(text)));
        } catch (AddressSyntaxException e) {
            file.problem(node, "sender \"" + text + "\": " + e.getMessage()
                    + " (use original, null or one address)");
            return SenderChoice.ORIGINAL;
        }
    }

    /**
     * A forward goes out once, with one envelope sender. A rule that continues and a later
     * rule could both forward the same message, so their sender choices must agree.
     */
    private void checkSenders(List<Rule> rules, List<Node> nodes) {
        for (int i = 0; i < rules.size(); i++) {
            Rule first = rules.get(i);
            if (!first.continues() || first.forward().isEmpty()) {
                continue;
            }
            for (int j = i + 1; j < rules.size(); j++) {
                Rule later = rules.get(j);
                if (!later.forward().isEmpty() && !later.sender().equals(first.sender())) {
                    file.problem(nodes.get(j), "rule " + later.name() + " forwards with sender "
                            + later.sender() + " but rule " + first.name() + " continues with"
                            + " sender " + first.sender() + "; one message has one sender");
                }
            }
        }
    }
}
