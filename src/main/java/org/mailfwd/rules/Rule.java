package org.mailfwd.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailfwd.envelope.Recipient;

/**
 * One checked rule: a name, a condition, and what to do when it matches. A rule either
 * delivers (forward, keep, or both) or ends (discard, bounce, defer); only a delivering rule
 * may continue to the next rule. {@code tag} marks the forwarded copy as spam (issue 4), as
 * the spam: settings say.
 */
public record Rule(
        String name,
        Condition condition,
        List<Recipient> forward,
        Optional<KeepTarget> keep,
        Optional<Ending> ending,
        SenderChoice sender,
        boolean continues,
        boolean tag) {

    public Rule {
        forward = List.copyOf(forward);
    }

    /** The actions in words, for the dry run. */
    public String actions() {
        List<String> words = new ArrayList<>();
        if (!forward.isEmpty()) {
            words.add("forward to " + String.join(" ", forward.stream()
                    .map(Recipient::forwardPath).toList())
                    + (sender.isOriginal() ? "" : " with sender " + sender)
                    + (tag ? " tagged as spam" : ""));
        }
        keep.ifPresent(target -> words.add("keep in " + target));
        ending.ifPresent(end -> words.add(end.toString()));
        if (continues) {
            words.add("continue");
        }
        return String.join(", ", words);
    }
}
