package org.mailfwd.dkim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.rules.RuleFileException;
import org.mailfwd.rules.SystemConfig;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks the {@code signing:} section of the system configuration file. The system config
 * loader reads and composes the file (nodes only, under its limits) and hands this class
 * the section's node; every problem is reported with file:line:column.
 *
 * <pre>
 * signing:
 *   check: envelope            # or: from
 *   on_key_error: defer        # or: send-unsigned
 *   origin:
 *     sasl: true               # Postfix SASL_USERNAME set
 *     trusted_networks: [127.0.0.0/8, "::1/128"]
 *     authserv_id: mx.example.org
 *     all_mail: false
 *   domains:
 *     example.org:
 *       subdomains: false
 *       signatures:
 *         - {selector: rsa2026, key: /etc/mailfwd/keys/rsa2026.private}
 *         - {selector: ed2026, key: /etc/mailfwd/keys/ed2026.private,
 *            algorithm: ed25519-sha256}
 *   grants:                    # login name: rows its rule file may ask for with sign:
 *     alice: [example.org]
 * </pre>
 */
public final class SigningConfigFile {
    private static final Set<String> SECTION_KEYS = Set.of("check", "on_key_error", "origin",
            "domains", "grants");
    private static final Set<String> ORIGIN_KEYS = Set.of("sasl", "trusted_networks",
            "authserv_id", "all_mail");
    private static final Set<String> RULE_KEYS = Set.of("subdomains", "signatures",
            "selector", "key", "algorithm", "domain", "canonicalization");
    private static final Set<String> SIGNATURE_KEYS = Set.of("selector", "key", "algorithm",
            "domain", "canonicalization");

    private final Path path;
    private final List<String> problems = new ArrayList<>();

    private SigningConfigFile(Path path) {
        this.path = path;
    }

    /** A signing section that cannot be used; the message lists every problem. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    /**
     * The signing section of the system file at {@code path}; empty when the file does not
     * exist or has no {@code signing:} key (then nothing is signed). The file is read by
     * the system config loader, under its limits; for a caller that has no SystemConfig.
     */
    public static Optional<SigningConfig> load(Path path) throws ConfigException {
        SystemConfig system;
        try {
            system = SystemConfig.load(path, false);
        } catch (RuleFileException e) {
            throw new ConfigException(e.problems());
        }
        return of(path, system.signing());
    }

    /**
     * Checks the {@code signing:} section that the system config loader has already
     * composed, so that a delivery reads and parses its system file once.
     *
     * @param path the system file, for file:line:column in problems
     */
    public static Optional<SigningConfig> of(Path path, Optional<Node> section)
            throws ConfigException {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        SigningConfigFile file = new SigningConfigFile(path);
        SigningConfig config = file.section(section.get());
        if (!file.problems.isEmpty()) {
            throw new ConfigException(file.problems);
        }
        return Optional.of(config);
    }

    private SigningConfig section(Node node) {
        Map<String, Node> map = mapping(node, "signing", SECTION_KEYS);
        String check = word(map.get("check"), "envelope", Set.of("envelope", "from"));
        String onKeyError = word(map.get("on_key_error"), "defer",
                Set.of("defer", "send-unsigned"));
        SigningConfig.Origin origin = origin(map.get("origin"));
        Map<String, SigningConfig.Rule> domains = new LinkedHashMap<>();
        if (map.get("domains") != null) {
            for (NodeTuple entry : mappingNode(map.get("domains"), "domains")) {
                String domain = scalar(entry.getKeyNode());
                if (domain == null) {
                    continue;
                }
                rule(domain.toLowerCase(Locale.ROOT), entry.getKeyNode(), entry.getValueNode())
                        .ifPresent(rule -> domains.put(rule.senderDomain(), rule));
            }
        }
        Map<String, Set<String>> grants = grants(map.get("grants"), domains);
        if (!domains.isEmpty() && !origin.configured()) {
            problems.add(where(node) + ": signing needs origin: (sasl, trusted_networks,"
                    + " authserv_id or all_mail), or relayed mail could be signed");
        }
        return new SigningConfig(check.equals("from"), onKeyError.equals("send-unsigned"),
                origin, domains, grants);
    }

    /** Each user's granted rows; a grant must name a row of the table. */
    private Map<String, Set<String>> grants(Node node, Map<String, SigningConfig.Rule> rows) {
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        if (node == null) {
            return grants;
        }
        for (NodeTuple entry : mappingNode(node, "grants")) {
            String login = scalar(entry.getKeyNode());
            if (login == null) {
                continue;
            }
            Node value = entry.getValueNode();
            List<Node> items = value instanceof SequenceNode sequence ? sequence.getValue()
                    : List.of(value);
            Set<String> granted = new LinkedHashSet<>();
            for (Node item : items) {
                String domain = scalar(item);
                if (domain == null) {
                    continue;
                }
                domain = domain.toLowerCase(Locale.ROOT);
                if (rows.containsKey(domain)) {
                    granted.add(domain);
                } else {
                    problems.add(where(item) + ": grants " + login + " \"" + domain
                            + "\", which is not a row of domains:");
                }
            }
            grants.put(login, Set.copyOf(granted));
        }
        return grants;
    }

    private SigningConfig.Origin origin(Node node) {
        if (node == null) {
            return new SigningConfig.Origin(false, List.of(), Optional.empty(), false);
        }
        Map<String, Node> map = mapping(node, "origin", ORIGIN_KEYS);
        List<Cidr> networks = new ArrayList<>();
        Node list = map.get("trusted_networks");
        if (list != null) {
            if (list instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    try {
                        String value = scalar(item);
                        if (value != null) {
                            networks.add(Cidr.parse(value));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(where(item) + ": " + e.getMessage());
                    }
                }
            } else {
                problems.add(where(list) + ": trusted_networks must be a list");
            }
        }
        Optional<String> authserv = Optional.ofNullable(map.get("authserv_id"))
                .map(this::scalar).map(s -> s.toLowerCase(Locale.ROOT));
        return new SigningConfig.Origin(bool(map.get("sasl")), networks, authserv,
                bool(map.get("all_mail")));
    }

    private Optional<SigningConfig.Rule> rule(String domain, Node keyNode, Node node) {
        if (domain.startsWith("*") || domain.startsWith(".")) {
            problems.add(where(keyNode) + ": \"" + domain + "\": no wildcards; name the"
                    + " domain and set subdomains: true");
            return Optional.empty();
        }
        Map<String, Node> map = mapping(node, domain, RULE_KEYS);
        List<SignatureSpec> specs = new ArrayList<>();
        if (map.containsKey("signatures")) {
            Node list = map.get("signatures");
            if (list instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
                for (Node item : sequence.getValue()) {
                    signature(domain, mapping(item, "signature", SIGNATURE_KEYS))
                            .ifPresent(specs::add);
                }
            } else {
                problems.add(where(list) + ": signatures must be a list of signatures");
            }
        } else {
            signature(domain, map).ifPresent(specs::add);
        }
        if (specs.isEmpty()) {
            return Optional.empty();
        }
        try {
            new SignatureSpec(domain, "x", Path.of("x"), DkimAlgorithm.RSA_SHA256);
        } catch (IllegalArgumentException e) {
            problems.add(where(keyNode) + ": \"" + domain + "\" is not a domain name");
            return Optional.empty();
        }
        return Optional.of(new SigningConfig.Rule(domain, bool(map.get("subdomains")), specs));
    }

    private Optional<SignatureSpec> signature(String senderDomain, Map<String, Node> map) {
        String selector = required(map, "selector");
        String key = required(map, "key");
        if (selector == null || key == null) {
            return Optional.empty();
        }
        if (!key.startsWith("/")) {
            // The MTA runs mailfwd from a directory of its own choosing (the user's home
            // under Postfix, / elsewhere), so a relative name would find another file or none.
            problems.add(where(map.get("key")) + ": key \"" + key + "\" must be an absolute"
                    + " path (start with /)");
            return Optional.empty();
        }
        Node at = map.get("selector");
        try {
            DkimAlgorithm algorithm = DkimAlgorithm.parse(Optional.ofNullable(
                    map.get("algorithm")).map(this::scalar).orElse("rsa-sha256"));
            String domain = Optional.ofNullable(map.get("domain")).map(this::scalar)
                    .orElse(senderDomain);
            String c = Optional.ofNullable(map.get("canonicalization")).map(this::scalar)
                    .orElse(SignatureSpec.DEFAULT_CANONICALIZATION);
            return Optional.of(new SignatureSpec(domain, selector, Path.of(key), algorithm, c));
        } catch (IllegalArgumentException e) {
            problems.add(where(at) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private String required(Map<String, Node> map, String key) {
        Node node = map.get(key);
        if (node == null) {
            if (!map.isEmpty()) {
                problems.add(where(map.values().iterator().next()) + ": signature needs "
                        + key + ":");
            }
            return null;
        }
        String value = scalar(node);
        if (value != null && value.isBlank()) {
            problems.add(where(node) + ": " + key + " is empty");
            return null;
        }
        return value;
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        Map<String, Node> map = new LinkedHashMap<>();
        for (NodeTuple entry : mappingNode(node, what)) {
            String key = scalar(entry.getKeyNode());
            if (key == null) {
                continue;
            }
            if (!allowed.contains(key)) {
                problems.add(where(entry.getKeyNode()) + ": unknown key " + key + " in "
                        + what + " (known: " + String.join(", ", allowed.stream().sorted()
                                .toList()) + ")");
            } else {
                map.put(key, entry.getValueNode());
            }
        }
        return map;
    }

    private List<NodeTuple> mappingNode(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            return mapping.getValue();
        }
        problems.add(where(node) + ": " + what + " must be a mapping");
        return List.of();
    }

    private String scalar(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problems.add(where(node) + ": expected a single value");
        return null;
    }

    private boolean bool(Node node) {
        if (node == null) {
            return false;
        }
        String value = scalar(node);
        if ("true".equals(value)) {
            return true;
        }
        if (!"false".equals(value) && value != null) {
            problems.add(where(node) + ": expected true or false, not \"" + value + "\"");
        }
        return false;
    }

    private String word(Node node, String fallback, Set<String> allowed) {
        if (node == null) {
            return fallback;
        }
        String value = scalar(node);
        if (value != null && !allowed.contains(value)) {
            problems.add(where(node) + ": \"" + value + "\" must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()));
            return fallback;
        }
        return value == null ? fallback : value;
    }

    private String where(Node node) {
        return node.getStartMark().map(m -> path + ":" + (m.getLine() + 1) + ":"
                + (m.getColumn() + 1)).orElse(path.toString());
    }
}
