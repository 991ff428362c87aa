package org.mailfwd.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.envelope.ReversePathParser;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Reads a per-user rule file (YAML 1.2) into a {@link RuleSet}.
 *
 * <p>The file is composed into nodes only, never into objects, so no YAML tag can make it
 * build a type; it is read under limits (size, aliases, nesting); and every key and value is
 * checked here, at load time, so that delivery never meets a bad address. All problems are
 * collected and reported together, each with file:line:column.
 */
public final class RuleFile {
    /** A rule file is a few dozen lines; 1 MiB leaves room and stops a runaway file. */
    static final int MAX_BYTES = 1 << 20;

    private static final Set<String> KEYS = Set.of("forward", "sendmail", "log",
            "fallback_sender", "max_received", "sendmail_timeout");

    private final Path path;
    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    private RuleFile(Path path, Map<String, String> environment) {
        this.path = path;
        this.environment = environment;
    }

    /**
     * Loads and checks a rule file.
     *
     * @param environment for HOME, which "~/" in paths stands for
     * @throws RuleFileException listing every problem found
     */
    public static RuleSet load(Path path, Map<String, String> environment)
            throws RuleFileException {
        return new RuleFile(path, environment).load();
    }

    private RuleSet load() throws RuleFileException {
        String text = readText();
        Node root = compose(text);
        if (!(root instanceof MappingNode mapping)) {
            throw fail(root, "the rule file must be a mapping of keys such as forward:");
        }
        return ruleSet(mapping);
    }

    private String readText() throws RuleFileException {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new RuleFileException(List.of(path + ": larger than 1 MiB"));
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new RuleFileException(List.of(path + ": no such file"));
        } catch (IOException e) {
            throw new RuleFileException(List.of(path + ": cannot read: " + e.getMessage()));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RuleFileException(List.of(path + ": not UTF-8 text"));
        }
    }

    private Node compose(String text) throws RuleFileException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(path.toString())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(20)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_BYTES)
                // Every value is read as text and checked here, so the YAML 1.2 failsafe
                // schema is enough; the JSON schema compiles its regular expressions at
                // every start (about 1 ms on Java 25 with an AOT cache).
                .setSchema(new FailsafeSchema())
                .build();
        try {
            Optional<Node> node = new Compose(settings).composeString(text);
            if (node.isEmpty()) {
                throw new RuleFileException(List.of(path + ": empty rule file"));
            }
            return node.get();
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(this::where).orElse(path.toString());
            throw new RuleFileException(List.of(where + ": " + e.getProblem()
                    + hintFor(e.getProblem())));
        } catch (YamlEngineException e) {
            throw new RuleFileException(List.of(path + ": " + e.getMessage()));
        }
    }

    private static String hintFor(String problem) {
        return problem != null && problem.contains("\\t")
                ? " (YAML indents with spaces, never tabs)" : "";
    }

    private RuleSet ruleSet(MappingNode mapping) throws RuleFileException {
        List<Recipient> forward = List.of();
        Optional<Path> sendmail = Optional.empty();
        Optional<Path> log = Optional.empty();
        Optional<EnvelopeSender> fallback = Optional.empty();
        int maxReceived = RuleSet.DEFAULT_MAX_RECEIVED;
        Duration timeout = RuleSet.DEFAULT_SENDMAIL_TIMEOUT;
        Set<String> seen = new LinkedHashSet<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = scalar(entry.getKeyNode(), "key");
            Node value = entry.getValueNode();
            if (key == null) {
                continue;
            }
            if (!seen.add(key)) {
                problem(entry.getKeyNode(), "duplicate key " + key);
                continue;
            }
            switch (key) {
                case "forward" -> forward = recipients(value);
                case "sendmail" -> sendmail = absolutePath(value, key);
                case "log" -> log = absolutePath(value, key);
                case "fallback_sender" -> fallback = sender(value);
                case "max_received" -> maxReceived = positiveInt(value, key, maxReceived);
                case "sendmail_timeout" -> timeout = Duration.ofSeconds(
                        positiveInt(value, key, (int) timeout.toSeconds()));
                default -> problem(entry.getKeyNode(), "unknown key " + key + didYouMean(key));
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        return new RuleSet(forward, sendmail, log, fallback, maxReceived, timeout);
    }

    private List<Recipient> recipients(Node value) {
        List<Node> items = value instanceof SequenceNode list ? list.getValue() : List.of(value);
        Set<Recipient> recipients = new LinkedHashSet<>();
        for (Node item : items) {
            String text = scalar(item, "forward address");
            if (text == null) {
                continue;
            }
            try {
                recipients.add(ReversePathParser.parseRecipient(text));
            } catch (AddressSyntaxException e) {
                problem(item, "forward address \"" + text + "\": " + e.getMessage());
            }
        }
        if (items.isEmpty()) {
            problem(value, "forward: needs at least one address");
        }
        return new ArrayList<>(recipients);
    }

    private Optional<EnvelopeSender> sender(Node value) {
        String text = scalar(value, "fallback_sender");
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReversePathParser.parseSender(text));
        } catch (AddressSyntaxException e) {
            problem(value, "fallback_sender \"" + text + "\": " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Path> absolutePath(Node value, String key) {
        String text = scalar(value, key);
        if (text == null) {
            return Optional.empty();
        }
        String home = environment.getOrDefault("HOME", "");
        if (text.startsWith("~/") && !home.isEmpty()) {
            text = home + text.substring(1);
        }
        if (!text.startsWith("/") || text.indexOf('\0') >= 0) {
            problem(value, key + " must be an absolute path (or start with ~/), got \""
                    + text + "\"");
            return Optional.empty();
        }
        return Optional.of(Path.of(text));
    }

    private int positiveInt(Node value, String key, int fallback) {
        String text = scalar(value, key);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the same words as a negative number.
        }
        problem(value, key + " must be a positive whole number, got \"" + text + "\"");
        return fallback;
    }

    /** The text of a scalar node, or null after recording that the node is not one. */
    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, what + " must be a single value, not a "
                + (node instanceof SequenceNode ? "list" : "mapping"));
        return null;
    }

    private static String didYouMean(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : KEYS) {
            int distance = editDistance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best == null ? " (known keys: " + String.join(", ", KEYS.stream().sorted()
                .toList()) + ")" : " (did you mean " + best + "?)";
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private void problem(Node node, String text) {
        problems.add(node.getStartMark().map(this::where).orElse(path.toString()) + ": " + text);
    }

    private RuleFileException fail(Node node, String text) {
        problem(node, text);
        return new RuleFileException(problems);
    }

    private String where(Mark mark) {
        return path + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }
}
