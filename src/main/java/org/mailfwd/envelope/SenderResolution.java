package org.mailfwd.envelope;

import java.util.List;
import java.util.Optional;

/**
 * What {@link EnvelopeResolver} decided: the sender and the source that gave it, or the
 * reason there is none, and every candidate that was looked at and not used.
 *
 * @param sender the envelope sender, empty when the deciding source was unusable
 * @param source where the sender came from (for example "Return-Path"), or the unusable one
 * @param failure why the deciding source was unusable, empty when {@code sender} is present
 * @param rejected candidates not used, each with its reason
 */
public record SenderResolution(
        Optional<EnvelopeSender> sender,
        String source,
        Optional<String> failure,
        List<RejectedSource> rejected) {

    public SenderResolution {
        rejected = List.copyOf(rejected);
    }

    /** A candidate value that was not used, and why. */
    public record RejectedSource(String source, String value, String reason) {
    }
}
