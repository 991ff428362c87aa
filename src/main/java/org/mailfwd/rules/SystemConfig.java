package org.mailfwd.rules;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The system file, /etc/mailfwd/config.yaml by default: the administrator's defaults for
 * every user (sendmail, log, limits, mailbox, default), and under {@code locked:} the keys a
 * user's rule file may not set. The {@code signing:} section belongs to the DKIM signer,
 * which checks its contents; here it is only accepted and handed on.
 */
public final class SystemConfig {
    /** Where the system file lives unless --config names another. */
    public static final Path DEFAULT_PATH = Path.of("/etc/mailfwd/config.yaml");

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Settings.KEYS);
        keys.add("locked");
        keys.add("signing");
        keys.add("spam");
        KEYS = Set.copyOf(keys);
    }

    private final Optional<Path> path;
    private final Settings settings;
    private final Set<String> locked;
    private final Optional<Node> signing;
    private final SpamSection spam;

    private SystemConfig(Optional<Path> path, Settings settings, Set<String> locked,
            Optional<Node> signing, SpamSection spam) {
        this.path = path;
        this.settings = settings;
        this.locked = Set.copyOf(locked);
        this.signing = signing;
        this.spam = spam;
    }

    /** No system file: built-in defaults and nothing locked. */
    public static SystemConfig none() {
        return new SystemConfig(Optional.empty(), new Settings(), Set.of(), Optional.empty(),
                new SpamSection());
    }

    /**
     * Loads the system file. A missing file at the default place means "no system file";
     * a file named explicitly must exist.
     *
     * @throws RuleFileException listing every problem found
     */
    public static SystemConfig load(Path path, boolean mustExist) throws RuleFileException {
        if (!mustExist && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return none();
        }
        YamlFile file = new YamlFile(path);
        Optional<Node> root = file.compose();
        if (root.isEmpty()) {
            return new SystemConfig(Optional.of(path), new Settings(), Set.of(),
                    Optional.empty(), new SpamSection());
        }
        try {
            SystemConfig config = read(file, root.get());
            file.throwIfProblems();
            return config;
        } catch (YamlFile.TooManyValues e) {
            throw file.tooMany(e);
        }
    }

    private static SystemConfig read(YamlFile file, Node root) {
        Settings settings = new Settings();
        Set<String> locked = new LinkedHashSet<>();
        Optional<Node> signing = Optional.empty();
        SpamSection spam = new SpamSection();
        Map<String, YamlFile.Entry> entries = file.mapping(root, YamlFile.TOP_LEVEL, KEYS);
        for (Map.Entry<String, YamlFile.Entry> entry : entries == null
                ? Map.<String, YamlFile.Entry>of().entrySet() : entries.entrySet()) {
            Node value = entry.getValue().value();
            switch (entry.getKey()) {
                case "locked" -> locked = lockedKeys(file, value);
                case "signing" -> signing = Optional.of(value);
                case "spam" -> spam = SpamSection.read(file, value, true);
                default -> settings.read(file, entry.getKey(), value);
            }
        }
        return new SystemConfig(Optional.of(file.path()), settings, locked, signing, spam);
    }

    private static Set<String> lockedKeys(YamlFile file, Node value) {
        Set<String> keys = new LinkedHashSet<>();
        List<Node> items = file.list(value, "locked");
        for (Node item : items == null ? List.<Node>of() : items) {
            String key = file.text(item, "a locked key");
            if (key != null && !Settings.KEYS.contains(key)) {
                file.problem(item, "locked names an unknown key " + key
                        + Spelling.didYouMean(key, Settings.KEYS));
            } else if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The file this came from; empty when there was none. */
    public Optional<Path> path() {
        return path;
    }

    /** The keys that a user's rule file may not set. */
    public Set<String> locked() {
        return locked;
    }

    /** The signing: section, unchecked: the DKIM signer reads and checks it. */
    public Optional<Node> signing() {
        return signing;
    }

    /** The spam: section (issue 4); empty when the file has none. */
    SpamSection spam() {
        return spam;
    }

    Settings settings() {
        return settings;
    }
}
