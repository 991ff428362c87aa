package org.mailfwd.rules;

import java.util.List;

/**
 * What the rules decided for one message, and the trail that led there.
 *
 * @param kind deliver (forward and/or keep), or one of the endings
 * @param reason the text of a bounce or defer, or a summary in words
 * @param forward the forward targets, duplicates collapsed, in rule order
 * @param keep the local copies to write
 * @param sender the envelope sender choice for the forward
 * @param trace every rule looked at, in order, with why it did or did not match
 * @param tag whether a rule that chose a forward target asked to tag it as spam
 */
public record Decision(
        Kind kind,
        String reason,
        List<org.mailfwd.envelope.Recipient> forward,
        List<KeepTarget> keep,
        SenderChoice sender,
        List<Trace> trace,
        boolean tag) {

    public Decision {
        forward = List.copyOf(forward);
        keep = List.copyOf(keep);
        trace = List.copyOf(trace);
    }

    /** The four ways a message can go. */
    public enum Kind {
        DELIVER, DISCARD, BOUNCE, DEFER
    }

    /** One rule's verdict: the rule, whether it matched, and why. */
    public record Trace(Rule source, boolean matched, String why) {
        public String rule() {
            return source.name();
        }

        /** The rule's actions in words; made only when asked, for the dry run. */
        public String actions() {
            return source.actions();
        }
    }
}
