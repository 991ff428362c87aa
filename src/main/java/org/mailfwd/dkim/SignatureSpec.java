package org.mailfwd.dkim;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One signature to make: signing domain (d=), selector (s=), key file, algorithm and
 * canonicalization (c=, header/body). Only what configuration or the command line said;
 * nothing in a message ever fills these in.
 */
public record SignatureSpec(String domain, String selector, Path keyFile,
        DkimAlgorithm algorithm, String canonicalization) {
    public static final String DEFAULT_CANONICALIZATION = "relaxed/relaxed";
    private static final Set<String> CANONICALIZATIONS = Set.of("relaxed/relaxed",
            "relaxed/simple", "simple/relaxed", "simple/simple");
    /** RFC 6376 section 3.5: d= is a domain name; only LDH labels, no trailing dot. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    /** s= is one or more labels; underscores are common in selectors and harmless. */
    private static final Pattern SELECTOR = Pattern.compile(
            "(?i)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}"
                    + "[a-z0-9_])?)*");

    /**
     * Checks every value, so that nothing invalid can ever reach a DKIM-Signature field.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public SignatureSpec {
        domain = domain.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches() || domain.length() > 253) {
            throw new IllegalArgumentException("signing domain \"" + domain
                    + "\" is not a domain name");
        }
        if (!SELECTOR.matcher(selector).matches() || selector.length() > 253) {
            throw new IllegalArgumentException("selector \"" + selector
                    + "\" is not a DNS label");
        }
        if (!CANONICALIZATIONS.contains(canonicalization)) {
            throw new IllegalArgumentException("canonicalization \"" + canonicalization
                    + "\" must be header/body, each relaxed or simple");
        }
    }

    public SignatureSpec(String domain, String selector, Path keyFile, DkimAlgorithm algorithm) {
        this(domain, selector, keyFile, algorithm, DEFAULT_CANONICALIZATION);
    }

    /** For logs and the dry run: d=, s=, a= and the key file. */
    public String describe() {
        return "d=" + domain + " s=" + selector + " a=" + algorithm + " c=" + canonicalization
                + " key=" + keyFile;
    }
}
