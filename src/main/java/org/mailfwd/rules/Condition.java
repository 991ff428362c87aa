package org.mailfwd.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.spam.SpamVerdict;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * The "if:" of a rule: a test on a message that answers with a reason either way, so that
 * the dry run can say why a rule did or did not match.
 *
 * <p>A condition that needs the envelope sender when there is no usable one raises a
 * {@link TemporaryFailure}: guessing could forward a bounce or keep what should go on.
 */
public sealed interface Condition {
    Result test(MessageFacts facts);

    /** The answer and, in words, why. */
    record Result(boolean matched, String why) {
        static Result of(boolean matched, String why) {
            return new Result(matched, why);
        }
    }

    /** A rule without "if:": every message. */
    record Always() implements Condition {
        /** The reason it gives, by which the dry run knows a rule that matches all. */
        public static final String REASON = "the rule has no if:";

        @Override
        public Result test(MessageFacts facts) {
            return Result.of(true, REASON);
        }
    }

    /** A header field's decoded value matches; with no pattern, the field is present. */
    record Header(String name, Optional<TextPattern> pattern) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            List<String> values = facts.decodedValues(name);
            if (values.isEmpty()) {
                return Result.of(false, "no " + name + " field");
            }
            if (pattern.isEmpty()) {
                return Result.of(true, name + " is present");
            }
            for (String value : values) {
                if (pattern.get().matches(value)) {
                    return Result.of(true, name + " \"" + value + "\" matches " + pattern.get());
                }
            }
            return Result.of(false, name + " \"" + values.get(0) + "\" does not match "
                    + pattern.get());
        }
    }

    /** An envelope address (sender, recipient or extension) matches. */
    record Address(String what, Function<MessageFacts, Optional<String>> value,
            TextPattern pattern) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            Optional<String> text = value.apply(facts);
            if (text.isEmpty()) {
                return Result.of(false, "no " + what + " known");
            }
            boolean matched = pattern.matches(text.get());
            return Result.of(matched, what + " \"" + text.get() + "\""
                    + (matched ? " matches " : " does not match ") + pattern);
        }

        static Address sender(TextPattern pattern) {
            return new Address("envelope sender",
                    facts -> Optional.of(requireSender(facts).address()), pattern);
        }

        static Address recipient(TextPattern pattern) {
            return new Address("recipient", MessageFacts::recipient, pattern);
        }

        static Address extension(TextPattern pattern) {
            return new Address("address extension", MessageFacts::extension, pattern);
        }
    }

    /** The message is larger than {@code over} and smaller than {@code under} bytes. */
    record Size(Optional<Long> over, Optional<Long> under) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            long size = facts.size();
            if (over.isPresent() && size <= over.get()) {
                return Result.of(false, "size " + size + " is not over " + over.get());
            }
            if (under.isPresent() && size >= under.get()) {
                return Result.of(false, "size " + size + " is not under " + under.get());
            }
            return Result.of(true, "size " + size + " is"
                    + over.map(o -> " over " + o).orElse("")
                    + under.map(u -> " under " + u).orElse(""));
        }
    }

    /** The envelope sender is (or is not) null: a bounce or auto-reply (RFC 5321 4.5.5). */
    record Bounce(boolean wanted) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            boolean isBounce = requireSender(facts).isNull();
            return Result.of(isBounce == wanted, isBounce
                    ? "the envelope sender is null (a bounce)"
                    : "the envelope sender is not null (not a bounce)");
        }
    }

    /** The message is (or is not) list mail: List-Id (RFC 2919), or Precedence list/bulk. */
    record ListMail(boolean wanted) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            String why = "no List-Id field and no Precedence: list or bulk";
            boolean isList = false;
            if (!facts.decodedValues("List-Id").isEmpty()) {
                isList = true;
                why = "List-Id is present";
            } else {
                for (String precedence : facts.decodedValues("Precedence")) {
                    String word = precedence.strip().toLowerCase(Locale.ROOT);
                    if (word.equals("list") || word.equals("bulk")) {
                        isList = true;
                        why = "Precedence is " + word;
                    }
                }
            }
            return Result.of(isList == wanted, why);
        }
    }

    /**
     * Our own filter's verdict (issue 4): spam or not, or its score over and/or under the
     * bounds. A message without a believable verdict is not spam and has no score.
     */
    record Spam(boolean wanted, Optional<Double> over, Optional<Double> under)
            implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            if (facts.spam().isEmpty()) {
                return Result.of(!wanted && over.isEmpty() && under.isEmpty(),
                        over.isEmpty() && under.isEmpty() ? "no spam verdict (not spam)"
                                : "no spam verdict, so no score");
            }
            SpamVerdict verdict = facts.spam().get();
            if (over.isEmpty() && under.isEmpty()) {
                return Result.of(verdict.spam() == wanted, "spam verdict " + verdict.display());
            }
            if (verdict.score().isEmpty()) {
                return Result.of(false, "spam verdict " + verdict.display() + " has no score");
            }
            double score = verdict.score().getAsDouble();
            if (over.isPresent() && score <= over.get()) {
                return Result.of(false, "spam score " + score + " is not over " + over.get());
            }
            if (under.isPresent() && score >= under.get()) {
                return Result.of(false, "spam score " + score + " is not under " + under.get());
            }
            return Result.of(true, "spam score " + score + " is"
                    + (over.isPresent() ? " over " + over.get() : "")
                    + (under.isPresent() ? " under " + under.get() : ""));
        }
    }

    /** Every condition matches; the first one that does not says why. */
    record All(List<Condition> conditions) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            List<String> reasons = new ArrayList<>();
            for (Condition condition : conditions) {
                Result result = condition.test(facts);
                if (!result.matched()) {
                    return result;
                }
                reasons.add(result.why());
            }
            return Result.of(true, String.join(" and ", reasons));
        }
    }

    /** At least one condition matches. */
    record Any(List<Condition> conditions) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            List<String> reasons = new ArrayList<>();
            for (Condition condition : conditions) {
                Result result = condition.test(facts);
                if (result.matched()) {
                    return result;
                }
                reasons.add(result.why());
            }
            return Result.of(false, String.join(", and ", reasons));
        }
    }

    /** The condition does not match. */
    record Not(Condition condition) implements Condition {
        @Override
        public Result test(MessageFacts facts) {
            Result result = condition.test(facts);
            return Result.of(!result.matched(), "not: " + result.why());
        }
    }

    private static EnvelopeSender requireSender(MessageFacts facts) {
        return facts.sender().orElseThrow(() -> new TemporaryFailure(
                EnhancedStatus.BAD_SENDER, "a rule tests the envelope sender, which is unusable: "
                        + facts.senderProblem().orElse("none given")));
    }
}
