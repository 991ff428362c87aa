package org.mailfwd.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;
import org.mailfwd.spam.SpamVerdict;

/**
 * What conditions look at: the header fields, the envelope and the size of one message.
 *
 * @param fields the header fields in order
 * @param sender the envelope sender, empty when no source gave a usable one
 * @param senderProblem why there is no sender, when there is none
 * @param recipient the address this delivery is for (--recipient or RECIPIENT)
 * @param extension the address extension: qmail's EXT, Postfix's EXTENSION or Exim's
 *     LOCAL_PART_SUFFIX without its separator
 * @param size the message size in bytes, as received
 * @param spam our own spam filter's verdict, empty when there is none to believe
 */
public record MessageFacts(
        List<HeaderField> fields,
        Optional<EnvelopeSender> sender,
        Optional<String> senderProblem,
        Optional<String> recipient,
        Optional<String> extension,
        long size,
        Optional<SpamVerdict> spam) {

    public MessageFacts {
        fields = List.copyOf(fields);
    }

    /** Facts without a spam verdict. */
    public MessageFacts(List<HeaderField> fields, Optional<EnvelopeSender> sender,
            Optional<String> senderProblem, Optional<String> recipient,
            Optional<String> extension, long size) {
        this(fields, sender, senderProblem, recipient, extension, size, Optional.empty());
    }

    /** The same facts with this spam verdict. */
    public MessageFacts withSpam(Optional<SpamVerdict> verdict) {
        return new MessageFacts(fields, sender, senderProblem, recipient, extension, size,
                verdict);
    }

    /** Facts about a message as the MTA gave it to us. */
    public static MessageFacts of(Message message, Optional<EnvelopeSender> sender,
            Optional<String> senderProblem, Optional<String> recipient,
            Map<String, String> environment) {
        return new MessageFacts(message.fields(), sender, senderProblem, recipient,
                extension(environment), message.size());
    }

    /** The extension from the variables qmail-local, Postfix local(8) and Exim set. */
    static Optional<String> extension(Map<String, String> environment) {
        String qmail = environment.get("EXT");
        if (qmail != null && !qmail.isEmpty()) {
            return Optional.of(qmail);
        }
        String postfix = environment.get("EXTENSION");
        if (postfix != null && !postfix.isEmpty()) {
            return Optional.of(postfix);
        }
        // Exim's suffix keeps its separator: "-work" or "+work".
        String exim = environment.get("LOCAL_PART_SUFFIX");
        if (exim != null && exim.length() > 1) {
            return Optional.of(exim.substring(1));
        }
        return Optional.empty();
    }

    /** The RFC 2047-decoded values of every field with this name, topmost first. */
    List<String> decodedValues(String name) {
        List<String> values = new java.util.ArrayList<>();
        for (HeaderField field : fields) {
            if (field.hasName(name)) {
                values.add(EncodedWords.decode(field.value()));
            }
        }
        return values;
    }
}
