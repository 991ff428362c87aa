package org.mailfwd.rules;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.handoff.SmtpSettings;
import org.mailfwd.spam.SpamSettings;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * A checked rule file merged with the system file: the rules in order, what happens when
 * none matches, and the settings of the run.
 *
 * <p>{@link #decide} runs the rules top to bottom. A matching rule stops the run unless it
 * says continue; forward targets and local copies of every matching rule add up, and
 * duplicates collapse. Discard ends the run keeping what earlier rules already chose (as
 * Sieve's discard only cancels the implicit keep); bounce and defer end it failing the whole
 * message. When no rule chose anything, the default (keep, unless the file says defer)
 * applies: a message is never dropped silently.
 *
 * @param rules the rules in file order
 * @param defaultAction what happens to a message no rule delivered or ended
 * @param mailbox the local mailbox for "keep: true" and the keep default; empty when
 *     neither mailbox: nor HOME is set
 * @param maxTargets at most this many forward targets per message
 * @param sendmail the sendmail program, when a file names one
 * @param log the log file, when a file names one
 * @param fallbackSender the envelope sender to use when no source gives a valid one
 * @param maxReceived more Received fields than this is a loop (Postfix's hopcount_limit)
 * @param sendmailTimeout how long sendmail may take, well under the MTA's own limit
 * @param smtp the relay when {@code handoff: smtp} is set; empty hands off to sendmail
 * @param signRequests the domains the rule file's {@code sign:} asks signatures for
 *     (lowercase); the DKIM signer refuses those the system file does not grant the user
 * @param spam whose spam verdict to believe, whether to ask spamc, and how to tag
 * @param journal where the record of targets already done lives, when a file names it
 *     (else $HOME/.mailfwd/journal)
 * @param maxMessageSize a larger message, in bytes as received, is refused (5.3.4); 0
 *     means no limit
 */
public record RuleSet(
        List<Rule> rules,
        Default defaultAction,
        Optional<KeepTarget> mailbox,
        int maxTargets,
        Optional<Path> sendmail,
        Optional<Path> log,
        Optional<EnvelopeSender> fallbackSender,
        int maxReceived,
        Duration sendmailTimeout,
        Optional<SmtpSettings> smtp,
        List<String> signRequests,
        SpamSettings spam,
        Optional<Path> journal,
        long maxMessageSize) {

    /** Postfix's hopcount_limit default. */
    public static final int DEFAULT_MAX_RECEIVED = 50;
    /** Postfix gives a pipe command 1000 s; we finish well before it gives up on us. */
    public static final Duration DEFAULT_SENDMAIL_TIMEOUT = Duration.ofSeconds(300);
    /** Ten targets cover a family or a team; more is a mailing list, which this is not. */
    public static final int DEFAULT_MAX_TARGETS = 10;

    /** What happens when no rule chose anything. */
    public enum Default {
        KEEP, DEFER
    }

    public RuleSet {
        rules = List.copyOf(rules);
        signRequests = List.copyOf(signRequests);
    }

    /**
     * Runs the rules against one message.
     *
     * @throws TemporaryFailure when a condition cannot be answered (no usable envelope
     *     sender, a regular expression that runs away)
     */
    public Decision decide(MessageFacts facts) {
        Set<Recipient> forward = new LinkedHashSet<>();
        Set<KeepTarget> keep = new LinkedHashSet<>();
        SenderChoice sender = SenderChoice.ORIGINAL;
        boolean tag = false;
        List<Decision.Trace> trace = new ArrayList<>();
        for (Rule rule : rules) {
            Condition.Result result = test(rule, facts);
            trace.add(new Decision.Trace(rule, result.matched(), result.why()));
            if (!result.matched()) {
                continue;
            }
            if (rule.ending().isPresent()) {
                Ending ending = rule.ending().get();
                if (ending.kind() != Ending.Kind.DISCARD || forward.isEmpty() && keep.isEmpty()) {
                    return end(ending, rule, trace);
                }
                break;
            }
            forward.addAll(rule.forward());
            if (rule.keep().isPresent()) {
                keep.add(rule.keep().get());
            }
            sender = rule.forward().isEmpty() ? sender : rule.sender();
            tag |= rule.tag();
            if (!rule.continues()) {
                break;
            }
        }
        return deliver(forward, keep, sender, trace, tag);
    }

    private static Condition.Result test(Rule rule, MessageFacts facts) {
        try {
            return rule.condition().test(facts);
        } catch (TextPattern.PatternTooCostly e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                    "rule " + rule.name() + ": " + e.getMessage());
        }
    }

    private static Decision end(Ending ending, Rule rule, List<Decision.Trace> trace) {
        Decision.Kind kind = switch (ending.kind()) {
            case DISCARD -> Decision.Kind.DISCARD;
            case BOUNCE -> Decision.Kind.BOUNCE;
            case DEFER -> Decision.Kind.DEFER;
        };
        // A bounce text reaches the sender, so it never names the rule; the others go to
        // the log and the MTA's queue, where the rule's name helps the owner.
        String text = switch (ending.kind()) {
            case DISCARD -> "discarded by rule " + rule.name()
                    + (ending.text().isEmpty() ? "" : ": " + ending.text());
            case BOUNCE -> ending.text().isEmpty()
                    ? "message refused by the recipient's rules" : ending.text();
            case DEFER -> ending.text().isEmpty()
                    ? "deferred by rule " + rule.name() : ending.text();
        };
        return new Decision(kind, text, List.of(), List.of(), SenderChoice.ORIGINAL, trace,
                false);
    }

    private Decision deliver(Set<Recipient> forward, Set<KeepTarget> keep,
            SenderChoice sender, List<Decision.Trace> trace, boolean tag) {
        if (forward.isEmpty() && keep.isEmpty()) {
            if (defaultAction == Default.DEFER) {
                return new Decision(Decision.Kind.DEFER, "no rule matched and default is defer",
                        List.of(), List.of(), sender, trace, false);
            }
            if (mailbox.isEmpty()) {
                return new Decision(Decision.Kind.DEFER, "no rule matched and there is no"
                        + " mailbox to keep it in (set mailbox: or HOME)",
                        List.of(), List.of(), sender, trace, false);
            }
            return new Decision(Decision.Kind.DELIVER, "no rule matched: default keep",
                    List.of(), List.of(mailbox.get()), sender, trace, false);
        }
        if (forward.size() > maxTargets) {
            return new Decision(Decision.Kind.DEFER, "rules chose " + forward.size()
                    + " forward targets, more than max_targets " + maxTargets,
                    List.of(), List.of(), sender, trace, false);
        }
        return new Decision(Decision.Kind.DELIVER, "rules chose a delivery",
                new ArrayList<>(forward), new ArrayList<>(keep), sender, trace, tag);
    }
}
