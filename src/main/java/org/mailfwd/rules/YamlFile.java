package org.mailfwd.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * One YAML configuration file read safely, and the typed readers both configuration files
 * share. The file is composed into nodes only, never into objects, so no tag can make it
 * build a type; it is read under limits on size, nesting, aliases and values; and every
 * problem is collected as {@code file:line:column: what (hint)} rather than thrown at once.
 */
final class YamlFile {
    /** A rule file is a few dozen lines; 1 MiB leaves room and stops a runaway file. */
    static final int MAX_BYTES = 1 << 20;
    /** Real files nest four or five levels; the parser recurses per level, so cap it. */
    static final int MAX_DEPTH = 40;
    /**
     * Aliases share nodes, so a walk can visit far more values than the file has: the
     * "billion laughs". Ten thousand values is hundreds of rules, and stops the walk early.
     */
    static final int MAX_VALUES = 10_000;
    /** Aliases of collections allowed; each can double the values a walk visits. */
    static final int MAX_ALIASES = 20;

    /** The name {@link #mapping} gets for the top level of a file. */
    static final String TOP_LEVEL = "the file";

    private final Path path;
    private final List<String> problems = new ArrayList<>();
    private int values;

    YamlFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Reads and composes the file; empty when the file has no document at all. */
    Optional<Node> compose() throws RuleFileException {
        String text = readText();
        checkNesting(text);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(path.toString())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowNonScalarKeys(false)
                .setCodePointLimit(MAX_BYTES)
                .setUseMarks(true)
                // Types are decided here (see isBoolean and friends), so the failsafe schema
                // is enough: the JSON schema compiles its regular expressions at every start.
                .setSchema(new FailsafeSchema())
                .build();
        try {
            return new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(this::where).orElse(path.toString());
            throw stop(where + ": " + problemText(e) + hintFor(e));
        } catch (YamlEngineException e) {
            throw stop(path + ": " + e.getMessage() + aliasHint(e.getMessage()));
        } catch (StackOverflowError e) {
            throw stop(path + ": nested too deeply to read");
        }
    }

    private String readText() throws RuleFileException {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) {
                throw stop(Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                        ? path + ": not a regular file" : path + ": no such file");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw stop(path + ": larger than 1 MiB (" + Files.size(path)
                        + " bytes); a rule file is a few dozen lines");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (NoSuchFileException e) {
            throw stop(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw stop(path + ": cannot read: permission denied");
        } catch (IOException e) {
            throw stop(path + ": cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw stop(path + ": larger than 1 MiB; a rule file is a few dozen lines");
        }
        return decode(bytes);
    }

    private String decode(byte[] bytes) throws RuleFileException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (!result.isError()) {
            return out.flip().toString();
        }
        int offset = in.position();
        String before = out.flip().toString();
        int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
        int column = before.length() - before.lastIndexOf('\n');
        throw stop(path + ":" + line + ":" + column + ": not UTF-8 text (byte 0x"
                + String.format("%02x", bytes[offset] & 0xff) + "; save the file as UTF-8)");
    }

    /**
     * snakeyaml-engine has no nesting limit and recurses per level, so a file of ten
     * thousand "[" would overflow the stack. Flow brackets are counted outside quotes and
     * comments; block nesting is bounded by the indentation it needs.
     */
    private void checkNesting(String text) throws RuleFileException {
        int depth = 0;
        int line = 1;
        int column = 0;
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                comment = false;
                continue;
            }
            if (comment) {
                continue;
            }
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                comment = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    throw stop(path + ":" + line + ":" + column + ": nested more than "
                            + MAX_DEPTH + " levels deep");
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (column > MAX_DEPTH * 8 && c != ' ' && isIndent(text, i)) {
                throw stop(path + ":" + line + ":" + column + ": indented more than "
                        + MAX_DEPTH * 8 + " columns");
            }
        }
    }

    private static boolean isIndent(String text, int i) {
        return i > 0 && text.charAt(i - 1) == ' ' && text.lastIndexOf('\n', i) >= 0
                && text.substring(text.lastIndexOf('\n', i) + 1, i).isBlank();
    }

    private static String problemText(MarkedYamlEngineException e) {
        String problem = e.getProblem();
        if (problem == null || problem.isEmpty()) {
            problem = e.getContext();
        }
        return problem == null ? "not valid YAML" : problem.replace("\n", " ");
    }

    private static String hintFor(MarkedYamlEngineException e) {
        String text = String.valueOf(e.getContext()) + " " + e.getProblem();
        if (text.contains("\\t") || text.contains("tab")) {
            return " (YAML indents with spaces, never tabs)";
        }
        if (text.contains("duplicate key") || text.contains("found duplicate")) {
            return " (each key may appear once; merge the two)";
        }
        return aliasHint(text);
    }

    private static String aliasHint(String text) {
        return text != null && text.contains("alias")
                ? " (at most " + MAX_ALIASES + " aliases of lists or mappings)" : "";
    }

    // ---- typed readers ------------------------------------------------------------------

    /**
     * The entries of a mapping by key, in file order, after rejecting unknown keys with a
     * "did you mean" hint. Null when the node is not a mapping (the problem is recorded).
     */
    Map<String, Entry> mapping(Node node, String what, Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + " must be a mapping of keys, not " + kind(node));
            return null;
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            count(tuple.getKeyNode());
            String key = scalarValue(tuple.getKeyNode());
            if (key != null && !seen.add(key)) {
                // The composer lets duplicates through; only object construction checks.
                problem(tuple.getKeyNode(), "duplicate key " + key + where(what)
                        + " (each key may appear once; merge the two)");
            } else if (key == null) {
                problem(tuple.getKeyNode(), "a key in " + what + " must be a plain word");
            } else if (!known.contains(key)) {
                problem(tuple.getKeyNode(), "unknown key " + key + where(what)
                        + Spelling.didYouMean(key, known));
            } else {
                entries.put(key, new Entry(tuple.getKeyNode(), tuple.getValueNode()));
            }
        }
        return entries;
    }

    /** " in rule 2" for a nested mapping; nothing at the top, where file:line says it all. */
    private static String where(String what) {
        return what.equals(TOP_LEVEL) ? "" : " in " + what;
    }

    /** A key and its value, kept together for error positions. */
    record Entry(Node key, Node value) {
    }

    /** The text of a scalar, or null after recording the problem. */
    String text(Node node, String what) {
        count(node);
        if (node instanceof ScalarNode scalar && !isNull(scalar)) {
            return scalar.getValue();
        }
        problem(node, what + " must be a single value, not " + kind(node));
        return null;
    }

    /** The items of a list, or the single value as a one-item list. */
    List<Node> items(Node node) {
        count(node);
        return node instanceof SequenceNode list ? list.getValue() : List.of(node);
    }

    /** The items of a list; null (recorded) when it is not one. */
    List<Node> list(Node node, String what) {
        count(node);
        if (node instanceof SequenceNode list) {
            return list.getValue();
        }
        problem(node, what + " must be a list, not " + kind(node));
        return null;
    }

    Boolean bool(Node node, String what) {
        count(node);
        if (isBoolean(node)) {
            return Boolean.parseBoolean(((ScalarNode) node).getValue());
        }
        problem(node, what + " must be true or false, not " + kind(node));
        return null;
    }

    Integer positiveInt(Node node, String what) {
        count(node);
        if (isInteger(node)) {
            try {
                int n = Integer.parseInt(((ScalarNode) node).getValue());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // Too large: reported below in the same words as zero or a negative number.
            }
        }
        problem(node, what + " must be a positive whole number, not " + kind(node));
        return null;
    }

    // The YAML 1.2 core schema's types (section 10.3.2), for plain scalars only: a quoted
    // "true" is text. Checked by hand, without the schema's regular expressions.

    /** Whether a value is YAML's null: {@code null}, {@code ~} or nothing at all. */
    static boolean isNull(Node node) {
        return switch (plain(node)) {
            case "", "~", "null", "Null", "NULL" ->
                    node instanceof ScalarNode scalar && scalar.isPlain();
            default -> false;
        };
    }

    static boolean isBoolean(Node node) {
        return switch (plain(node)) {
            case "true", "True", "TRUE", "false", "False", "FALSE" -> true;
            default -> false;
        };
    }

    /** A whole number in decimal, with an optional sign. */
    static boolean isInteger(Node node) {
        String text = plain(node);
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        if (text.length() <= start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(Node node) {
        String text = plain(node);
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            digit |= c >= '0' && c <= '9';
            if (!(c >= '0' && c <= '9' || ".eE-+".indexOf(c) >= 0)) {
                return false;
            }
        }
        return digit;
    }

    /**
     * The text of a plain (unquoted) scalar; "" for anything else, which no caller
     * mistakes for a value since each also checks the node is a plain scalar or non-empty.
     */
    private static String plain(Node node) {
        return node instanceof ScalarNode scalar && scalar.isPlain() ? scalar.getValue() : "";
    }

    /** Names a node's type as a reader of the file would: "a list", "the number 3". */
    static String kind(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (isNull(node)) {
            return "an empty value";
        }
        if (isBoolean(node)) {
            return "the boolean " + scalar.getValue();
        }
        if (isNumber(node)) {
            return "the number " + scalar.getValue();
        }
        return "the text \"" + scalar.getValue() + "\"";
    }

    private static String scalarValue(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** Counts visited values; past the limit the walk is stopped (alias bombs). */
    private void count(Node node) {
        if (++values > MAX_VALUES) {
            throw new TooManyValues(where(node));
        }
    }

    /** Unchecked so that deep readers need not declare it; see {@link #tooMany}. */
    static final class TooManyValues extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyValues(String where) {
            super(where, null, false, false);
        }
    }

    /** The problem a runaway walk is reported as. */
    RuleFileException tooMany(TooManyValues e) {
        return stop(e.getMessage() + ": more than " + MAX_VALUES
                + " values (aliases expanding without end?)");
    }

    void problem(Node node, String text) {
        problem(where(node), text);
    }

    /** A problem found here but placed elsewhere ({@code where}: file:line:column). */
    void problem(String where, String text) {
        problems.add(where + ": " + text);
    }

    List<String> problems() {
        return problems;
    }

    /** Throws with every problem collected so far, if there is one. */
    void throwIfProblems() throws RuleFileException {
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
    }

    String where(Node node) {
        return node.getStartMark().map(this::where).orElse(path.toString());
    }

    private String where(Mark mark) {
        return path + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    private RuleFileException stop(String problem) {
        problems.add(problem);
        return new RuleFileException(problems);
    }
}
