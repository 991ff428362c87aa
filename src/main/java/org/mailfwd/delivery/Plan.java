package org.mailfwd.delivery;

import java.util.List;
import java.util.Optional;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.envelope.SenderResolution;
import org.mailfwd.handoff.Handoff;
import org.mailfwd.handoff.SmtpHandoff;
import org.mailfwd.handoff.SmtpSettings;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;
import org.mailfwd.rules.Decision;
import org.mailfwd.rules.KeepTarget;
import org.mailfwd.spam.SpamVerdict;
import org.mailfwd.spam.Tagging;

/**
 * What a run has worked out before handing off: everything the dry run prints and the log
 * line records. A plan either is ready to hand off or carries the outcome that ended it.
 */
public final class Plan {
    private Optional<String> messageId = Optional.empty();
    private Optional<SenderResolution> resolution = Optional.empty();
    private Optional<EnvelopeSender> sender = Optional.empty();
    private String senderSource = "none";
    private List<Recipient> recipients = List.of();
    private Optional<ForwardedMessage> forwarded = Optional.empty();
    private Optional<Handoff> handoff = Optional.empty();
    private Optional<Outcome> failure = Optional.empty();
    private String signing = "not signed: not reached";
    private Optional<Message> message = Optional.empty();
    private Optional<EnvelopeSender> originalSender = Optional.empty();
    private Optional<Decision> decision = Optional.empty();
    private List<KeepTarget> keep = List.of();
    private Optional<SpamVerdict> spam = Optional.empty();
    private Optional<Tagging> tagging = Optional.empty();
    private Optional<String> journal = Optional.empty();

    void spam(Optional<SpamVerdict> verdict) {
        spam = verdict;
    }

    /** Our own filter's verdict (issue 4); empty when none was believed or asked for. */
    public Optional<SpamVerdict> spam() {
        return spam;
    }

    void tagging(Tagging value) {
        tagging = Optional.of(value);
    }

    /** What the spam tag did to the forwarded copy; empty when no rule asked for it. */
    public Optional<Tagging> tagging() {
        return tagging;
    }

    void message(Message value) {
        message = Optional.of(value);
    }

    /** The sender the message came with (or fallback_sender), which mbox copies record. */
    void originalSender(EnvelopeSender value, String source) {
        originalSender = Optional.of(value);
        sender = Optional.of(value);
        senderSource = source;
    }

    void decision(Decision value) {
        decision = Optional.of(value);
    }

    void keep(List<KeepTarget> value) {
        keep = List.copyOf(value);
    }

    Optional<Message> message() {
        return message;
    }

    Optional<EnvelopeSender> originalSender() {
        return originalSender;
    }

    /** Why no original sender is known: the resolver's reason. */
    Optional<String> senderProblem() {
        return resolution.flatMap(SenderResolution::failure);
    }

    /** What the rules decided, once they ran. */
    public Optional<Decision> decision() {
        return decision;
    }

    /** The local copies to write. */
    public List<KeepTarget> keep() {
        return keep;
    }

    void messageId(Optional<String> id) {
        messageId = id;
    }

    void resolution(SenderResolution value) {
        resolution = Optional.of(value);
    }

    void sender(EnvelopeSender value, String source) {
        sender = Optional.of(value);
        senderSource = source;
    }

    void recipients(List<Recipient> value) {
        recipients = List.copyOf(value);
    }

    void forwarded(ForwardedMessage value) {
        forwarded = Optional.of(value);
    }

    void handoff(Handoff value) {
        handoff = Optional.of(value);
    }

    void signing(String value) {
        signing = value;
    }

    /** DKIM: what was signed with which domain, selector and key and why, or why not. */
    public String signing() {
        return signing;
    }

    void journal(String note) {
        journal = Optional.of(note);
    }

    /** Targets that the journal skipped, or why it could not help; empty when silent. */
    public Optional<String> journal() {
        return journal;
    }

    void fail(Outcome outcome) {
        failure = Optional.of(outcome);
    }

    public Optional<String> messageId() {
        return messageId;
    }

    public Optional<EnvelopeSender> sender() {
        return sender;
    }

    public String senderSource() {
        return senderSource;
    }

    public List<SenderResolution.RejectedSource> rejectedSources() {
        return resolution.map(SenderResolution::rejected).orElse(List.of());
    }

    public List<Recipient> recipients() {
        return recipients;
    }

    /** The sendmail command, once sender and recipients are known; empty for SMTP. */
    public List<String> argv() {
        return smtp().isPresent() ? List.of() : described();
    }

    /** The relay, when the hand-off is SMTP. */
    public Optional<SmtpSettings> smtp() {
        return handoff.filter(SmtpHandoff.class::isInstance)
                .map(h -> ((SmtpHandoff) h).settings());
    }

    /** The SMTP envelope (connect, MAIL FROM, RCPT TO lines); empty for sendmail. */
    public List<String> smtpEnvelope() {
        return smtp().isPresent() ? described() : List.of();
    }

    private List<String> described() {
        if (handoff.isEmpty() || sender.isEmpty() || recipients.isEmpty()) {
            return List.of();
        }
        return handoff.get().describe(sender.get(), recipients);
    }

    public String relay() {
        return handoff.map(Handoff::relay).orElse("none");
    }

    public List<HeaderField> removedHeaders() {
        return forwarded.map(ForwardedMessage::removed).orElse(List.of());
    }

    /** Fields whose bytes an edit replaced in place (the spam tag's Subject), new bytes. */
    public List<HeaderField> replacedHeaders() {
        return forwarded.map(ForwardedMessage::replaced).orElse(List.of());
    }

    public List<HeaderField> addedHeaders() {
        return forwarded.map(ForwardedMessage::added).orElse(List.of());
    }

    /** The outcome that ended planning, if one did; empty when ready to hand off. */
    public Optional<Outcome> failure() {
        return failure;
    }

    /**
     * What the real run would end with if the hand-off worked, for the dry run: the failure
     * that ended planning, the rule's discard (nothing is handed off), else a hand-off.
     */
    public Outcome wouldBe() {
        if (failure.isPresent()) {
            return failure.get();
        }
        if (decision.isPresent() && decision.get().kind() == Decision.Kind.DISCARD) {
            return Outcome.sent(decision.get().reason());
        }
        return Outcome.sent("would hand off");
    }

    Optional<ForwardedMessage> forwarded() {
        return forwarded;
    }

    Optional<Handoff> handoff() {
        return handoff;
    }
}
