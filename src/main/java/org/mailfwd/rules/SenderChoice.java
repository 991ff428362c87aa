package org.mailfwd.rules;

import java.util.Optional;
import org.mailfwd.envelope.EnvelopeSender;

/**
 * The envelope sender a rule's forward goes out with: the original one (the default), or a
 * fixed one from the rule file, which may be the null sender.
 *
 * @param fixed the fixed sender; empty means "keep the original"
 */
public record SenderChoice(Optional<EnvelopeSender> fixed) {
    public static final SenderChoice ORIGINAL = new SenderChoice(Optional.empty());

    public boolean isOriginal() {
        return fixed.isEmpty();
    }

    @Override
    public String toString() {
        return fixed.map(EnvelopeSender::reversePath).orElse("original");
    }
}
