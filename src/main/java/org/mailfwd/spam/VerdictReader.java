package org.mailfwd.spam;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * Reads the verdict that our own spam filter wrote into the header, and nothing else.
 *
 * <p>Which instance counts: for each header name of the configured filter, only its topmost
 * instance is read, and only when it stands above the {@code ownReceived}-th Received field
 * from the top, the one our own MTA wrote when it took the message in. Every field below that
 * Received came with the message from outside, where anyone can write "X-Spam-Flag: NO".
 * SpamAssassin writes its fields on top of the header and first deletes any X-Spam-* fields
 * it finds, so after it ran the topmost instance is its own; a filter that runs at the MTA
 * sits between the Received fields of our own hops. A lower instance is never read, not even
 * when the topmost is unreadable: then that header gives no verdict. With {@code ownReceived}
 * 0 the position is not checked (for a filter that adds its fields at the bottom and removes
 * every older copy itself); a message with fewer Received fields than {@code ownReceived}
 * has no believable verdict at all.
 *
 * <p>Within a filter's headers the most complete one decides: SpamAssassin's X-Spam-Status,
 * else X-Spam-Flag, else X-Spam-Level (counted stars against SpamAssassin's default
 * required_score of 5); rspamd's X-Spamd-Result, else X-Spam.
 *
 * <p>Numbers are read only as plain decimals ({@link #decimal}); any other spelling is no
 * score, so a score condition never sees a misread number.
 */
public final class VerdictReader {
    /** SpamAssassin's default required_score; X-Spam-Level alone carries no threshold. */
    static final double SPAMASSASSIN_REQUIRED = 5.0;

    /**
     * The value patterns, compiled only when a verdict field is present: most messages
     * carry none, and each run is a fresh JVM.
     */
    private static final class Patterns {
        static final String NUMBER = "([-+]?\\d+(?:\\.\\d+)?)";
        /**
         * A score as SpamAssassin, rspamd and amavis print it: "-2.3", "15.0". Also "+5",
         * "5." and ".5", which say one number unmistakably. No exponent, NaN or Infinity:
         * such a value is no score rather than a guess.
         */
        static final Pattern DECIMAL = Pattern.compile("[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)");
        static final Pattern YES_NO = Pattern.compile("(?i)^\\s*(yes|no)\\b");
        /** The whole value token after the key, checked against DECIMAL on its own. */
        static final Pattern SCORE = Pattern.compile("(?i)\\b(?:score|hits)=([^\\s,;]*)");
        static final Pattern REQUIRED = Pattern.compile("(?i)\\brequired=([^\\s,;]*)");
        static final Pattern FLAG = Pattern.compile("(?i)^\\s*(yes|no|true|false)\\s*$");
        static final Pattern LEVEL = Pattern.compile("^\\s*(\\**)\\s*$");
        /** rspamd's "default: True [7.50 / 15.00]; SYMBOL(1.0)[...]; ...". */
        static final Pattern SPAMD_RESULT = Pattern.compile("(?i)^\\s*[\\w-]+:\\s*"
                + "(true|false)\\s*\\[\\s*" + NUMBER + "\\s*/\\s*" + NUMBER + "\\s*\\]");
        /** The first token of a configured score field: "6.2" in "6.2 (******)" or "6.2/5.0". */
        static final Pattern FIRST_TOKEN = Pattern.compile("^\\s*([^\\s,;(/]*)");
    }

    /** The filters whose fields we know how to read. */
    public enum Filter { SPAMASSASSIN, RSPAMD, HEADER }

    private final Filter filter;
    private final String headerName;
    private final double threshold;
    private final int ownReceived;

    private VerdictReader(Filter filter, String headerName, double threshold, int ownReceived) {
        if (ownReceived < 0) {
            throw new IllegalArgumentException("own_received must not be negative");
        }
        this.filter = filter;
        this.headerName = headerName;
        this.threshold = threshold;
        this.ownReceived = ownReceived;
    }

    /** X-Spam-Status, X-Spam-Flag and X-Spam-Level as SpamAssassin writes them. */
    public static VerdictReader spamAssassin(int ownReceived) {
        return new VerdictReader(Filter.SPAMASSASSIN, "X-Spam-Status", SPAMASSASSIN_REQUIRED,
                ownReceived);
    }

    /** X-Spamd-Result and X-Spam as rspamd's milter_headers module writes them. */
    public static VerdictReader rspamd(int ownReceived) {
        return new VerdictReader(Filter.RSPAMD, "X-Spamd-Result", Double.NaN, ownReceived);
    }

    /**
     * A field whose value starts with a score, such as "X-Spam-Score: 6.2"; spam when the
     * score is at least {@code threshold}.
     */
    public static VerdictReader header(String name, double threshold, int ownReceived) {
        if (!isFieldName(name)) {
            throw new IllegalArgumentException("invalid header name for a spam score");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("spam threshold must be a number");
        }
        return new VerdictReader(Filter.HEADER, name, threshold, ownReceived);
    }

    private static boolean isFieldName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 32 || c >= 127 || c == ':') {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** The header names this reader looks at, most complete first. */
    public List<String> headerNames() {
        return switch (filter) {
            case SPAMASSASSIN -> List.of("X-Spam-Status", "X-Spam-Flag", "X-Spam-Level");
            case RSPAMD -> List.of("X-Spamd-Result", "X-Spam");
            case HEADER -> List.of(headerName);
        };
    }

    /** The verdict of our own filter, or empty when there is none we can believe. */
    public Optional<SpamVerdict> read(Message message) {
        // Plain loops, no lambdas: this runs in every delivery, where start-up time counts.
        for (String name : headerNames()) {
            Optional<HeaderField> field = trusted(message, name);
            Optional<SpamVerdict> verdict = field.isPresent() ? parse(field.get())
                    : Optional.empty();
            if (verdict.isPresent()) {
                return verdict;
            }
        }
        return Optional.empty();
    }

    /** The topmost field of this name, if it stands where only our own system writes. */
    Optional<HeaderField> trusted(Message message, String name) {
        List<HeaderField> fields = message.fields();
        int seenReceived = 0;
        for (HeaderField field : fields) {
            if (ownReceived > 0 && seenReceived >= ownReceived) {
                return Optional.empty();
            }
            if (field.hasName(name)) {
                boolean boundaryBelow = ownReceived == 0
                        || message.fields("Received").size() >= ownReceived;
                return boundaryBelow ? Optional.of(field) : Optional.empty();
            }
            if (field.hasName("Received")) {
                seenReceived++;
            }
        }
        return Optional.empty();
    }

    private Optional<SpamVerdict> parse(HeaderField field) {
        String value = field.value();
        String source = field.name();
        if (filter == Filter.HEADER) {
            return score(value, source);
        }
        return switch (field.name().toLowerCase(Locale.ROOT)) {
            case "x-spam-status" -> status(value, source);
            case "x-spam-flag", "x-spam" -> flag(value, source);
            case "x-spam-level" -> level(value, source);
            default -> spamdResult(value, source);
        };
    }

    /**
     * The Yes/No word alone decides spam or not; the score, when readable, feeds score
     * conditions even without {@code required=} (SpamAssassin always writes both, other
     * tools may not). The first {@code score=} is the only one read: when its value is not a
     * plain decimal the verdict has no score, never a number from elsewhere in the field.
     */
    private static Optional<SpamVerdict> status(String value, String source) {
        Matcher yesNo = Patterns.YES_NO.matcher(value);
        if (!yesNo.find()) {
            return Optional.empty();
        }
        boolean spam = yesNo.group(1).equalsIgnoreCase("yes");
        OptionalDouble score = keyed(Patterns.SCORE, value);
        if (score.isEmpty()) {
            return Optional.of(SpamVerdict.flag(spam, source));
        }
        return Optional.of(new SpamVerdict(spam, score, keyed(Patterns.REQUIRED, value),
                source));
    }

    /** The value of the first {@code key=} in the field, if it is a plain finite decimal. */
    private static OptionalDouble keyed(Pattern key, String value) {
        Matcher matcher = key.matcher(value);
        return matcher.find() ? decimal(matcher.group(1)) : OptionalDouble.empty();
    }

    /**
     * The number a plain decimal token says, or empty for anything else. Finite only: a
     * 400-digit score would parse to Infinity, which no filter means.
     */
    static OptionalDouble decimal(String token) {
        if (!Patterns.DECIMAL.matcher(token).matches()) {
            return OptionalDouble.empty();
        }
        double number = Double.parseDouble(token);
        return Double.isFinite(number) ? OptionalDouble.of(number) : OptionalDouble.empty();
    }

    private static Optional<SpamVerdict> flag(String value, String source) {
        Matcher flag = Patterns.FLAG.matcher(value);
        if (!flag.find()) {
            return Optional.empty();
        }
        String word = flag.group(1).toLowerCase(Locale.ROOT);
        return Optional.of(SpamVerdict.flag(word.equals("yes") || word.equals("true"), source));
    }

    private static Optional<SpamVerdict> level(String value, String source) {
        Matcher level = Patterns.LEVEL.matcher(value);
        if (!level.find()) {
            return Optional.empty();
        }
        int stars = level.group(1).length();
        return Optional.of(SpamVerdict.of(stars >= SPAMASSASSIN_REQUIRED, stars,
                SPAMASSASSIN_REQUIRED, source));
    }

    private static Optional<SpamVerdict> spamdResult(String value, String source) {
        Matcher result = Patterns.SPAMD_RESULT.matcher(value);
        if (!result.find()) {
            return Optional.empty();
        }
        boolean spam = result.group(1).equalsIgnoreCase("true");
        OptionalDouble score = decimal(result.group(2));
        if (score.isEmpty()) {
            return Optional.of(SpamVerdict.flag(spam, source));
        }
        return Optional.of(new SpamVerdict(spam, score, decimal(result.group(3)), source));
    }

    private Optional<SpamVerdict> score(String value, String source) {
        Matcher token = Patterns.FIRST_TOKEN.matcher(value);
        OptionalDouble number = token.find() ? decimal(token.group(1)) : OptionalDouble.empty();
        if (number.isEmpty()) {
            return Optional.empty();
        }
        double score = number.getAsDouble();
        return Optional.of(SpamVerdict.of(score >= threshold, score, threshold, source));
    }
}
