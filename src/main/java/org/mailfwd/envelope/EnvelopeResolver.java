package org.mailfwd.envelope;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;

/**
 * Finds the one envelope sender of the message being forwarded.
 *
 * <p>The sources, in this order and no others: the --sender argument; the SENDER variable
 * that qmail, Postfix and Exim set; the mbox From_ line when it is the first line; the
 * topmost Return-Path field. The first source that is present decides. If its value is not
 * one valid reverse-path, the answer is "no sender" with the reason: a lower source is never
 * tried instead, because a broken SENDER means we cannot know which lower value is current.
 * A From_ line with no address is such a broken source, not the null sender (MTAs write
 * MAILER-DAEMON there for that).
 * Lower Return-Path fields are copies left by earlier hops; Sender:, From: and Reply-To: name
 * authors, not the envelope, and are never read.
 *
 * <p>One exception is Postfix's: it replaces characters outside command_expansion_filter
 * with '_' before it exports SENDER. When SENDER and the topmost Return-Path differ only at
 * such places, the Return-Path holds the true address and wins.
 */
public final class EnvelopeResolver {
    static final String ARGUMENT = "--sender";
    static final String ENVIRONMENT = "SENDER";
    static final String FROM_LINE = "From_ line";
    static final String RETURN_PATH = "Return-Path";

    /** Postfix's default command_expansion_filter: what it leaves alone in SENDER. */
    private static final String POSTFIX_SAFE = "1234567890!@%-_=+:,./"
            + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";


    private final List<SenderResolution.RejectedSource> rejected = new ArrayList<>();

    private EnvelopeResolver() {
    }

    /**
     * Resolves the sender.
     *
     * @param argument the --sender value, if given
     * @param environment the process environment, for SENDER
     */
    public static SenderResolution resolve(Optional<String> argument,
            Map<String, String> environment, Message message) {
        return new EnvelopeResolver().resolveSender(argument, environment, message);
    }

    private SenderResolution resolveSender(Optional<String> argument,
            Map<String, String> environment, Message message) {
        List<HeaderField> returnPaths = message.fields(RETURN_PATH);
        for (HeaderField stale : returnPaths.subList(Math.min(1, returnPaths.size()),
                returnPaths.size())) {
            reject(RETURN_PATH, stale.value(), "lower Return-Path: a copy from an earlier hop");
        }
        Optional<String> topReturnPath = returnPaths.isEmpty()
                ? Optional.empty() : Optional.of(returnPaths.get(0).rawValue());
        if (argument.isPresent()) {
            // TODO(#2): Postfix pipe(8) passes ${sender} unquoted unless its "q" flag is set,
            // so "john doe@example.com" there is refused here and the mail waits; read as a
            // field, the argument cannot be told from a raw value by its text alone.
            return decide(ARGUMENT, argument.get(), false);
        }
        String senderVariable = environment.get(ENVIRONMENT);
        if (senderVariable != null) {
            Optional<EnvelopeSender> restored = postfixOriginal(senderVariable, topReturnPath);
            if (restored.isPresent()) {
                reject(ENVIRONMENT, senderVariable,
                        "Postfix replaced characters with _; the Return-Path has the original");
                return new SenderResolution(restored, RETURN_PATH, Optional.empty(), rejected);
            }
            return decide(ENVIRONMENT, senderVariable, true);
        }
        if (message.fromLine().isPresent()) {
            String address = fromLineAddress(message.fromLine().get());
            if (address.isBlank()) {
                // MTAs write MAILER-DAEMON there for the null sender; a line with no
                // address at all is broken, and taking it for <> would lose every bounce.
                return unusable(FROM_LINE, message.fromLine().get(), "no address");
            }
            return decide(FROM_LINE, address, true);
        }
        if (topReturnPath.isPresent()) {
            return decide(RETURN_PATH, topReturnPath.get(), false);
        }
        return new SenderResolution(Optional.empty(), "none",
                Optional.of("no envelope sender: no --sender, SENDER, From_ line or Return-Path"),
                rejected);
    }

    private SenderResolution decide(String source, String value, boolean raw) {
        try {
            EnvelopeSender sender = raw ? ReversePathParser.parseRawSender(value)
                    : ReversePathParser.parseSender(value);
            return new SenderResolution(Optional.of(sender), source, Optional.empty(), rejected);
        } catch (AddressSyntaxException e) {
            return unusable(source, value, e.getMessage());
        }
    }

    private SenderResolution unusable(String source, String value, String reason) {
        reject(source, value, reason);
        return new SenderResolution(Optional.empty(), source,
                Optional.of("unusable envelope sender in " + source + ": " + reason), rejected);
    }

    /**
     * The topmost Return-Path, when SENDER is exactly what Postfix's filter made of it and
     * differs from it; otherwise empty.
     */
    private static Optional<EnvelopeSender> postfixOriginal(String senderVariable,
            Optional<String> returnPath) {
        if (returnPath.isEmpty() || senderVariable.indexOf('_') < 0) {
            return Optional.empty();
        }
        EnvelopeSender original;
        try {
            original = ReversePathParser.parseSender(returnPath.get());
        } catch (AddressSyntaxException e) {
            return Optional.empty();
        }
        String internal = ReversePathParser.internalForm(original);
        boolean filtered = isPostfixFiltered(senderVariable, internal)
                || isPostfixFiltered(senderVariable, original.address());
        return filtered ? Optional.of(original) : Optional.empty();
    }

    /**
     * Whether {@code filtered} is {@code original} after Postfix's filter, which works on
     * bytes: each byte of a UTF-8 character outside the safe set becomes its own '_'.
     */
    private static boolean isPostfixFiltered(String filtered, String original) {
        byte[] f = filtered.getBytes(StandardCharsets.UTF_8);
        byte[] o = original.getBytes(StandardCharsets.UTF_8);
        if (Arrays.equals(f, o) || f.length != o.length) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i] != o[i] && !(f[i] == '_' && (o[i] < 0 || POSTFIX_SAFE.indexOf(o[i]) < 0))) {
                return false;
            }
        }
        return true;
    }

    /** The address on "From address date": the text before the asctime date. */
    static String fromLineAddress(String fromLine) {
        Matcher date = FromLineDate.PATTERN.matcher(fromLine);
        if (date.matches()) {
            return date.group(1).strip();
        }
        String rest = fromLine.substring("From ".length()).strip();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    /**
     * The asctime(3) date that ends a From_ line, with an optional zone. In a holder class
     * so that it is compiled only for a message that has a From_ line, not at every start.
     */
    private static final class FromLineDate {
        static final Pattern PATTERN = Pattern.compile(
                "^From (.*?)\\s+[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]?\\d \\d\\d:\\d\\d(:\\d\\d)?"
                        + "( [A-Z]{3,4}| [+-]\\d{4})? \\d{4}.*$");
    }

    private void reject(String source, String value, String reason) {
        rejected.add(new SenderResolution.RejectedSource(source, value, reason));
    }
}
