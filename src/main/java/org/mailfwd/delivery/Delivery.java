package org.mailfwd.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mailfwd.dkim.DkimStep;
import org.mailfwd.dkim.SigningConfig;
import org.mailfwd.dkim.SigningConfigFile;
import org.mailfwd.envelope.AddressSyntaxException;
import org.mailfwd.envelope.EnvelopeResolver;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.ReversePathParser;
import org.mailfwd.envelope.SenderResolution;
import org.mailfwd.handoff.Handoff;
import org.mailfwd.handoff.SendmailHandoff;
import org.mailfwd.handoff.SmtpHandoff;
import org.mailfwd.journal.Retries;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;
import org.mailfwd.message.MessageTooLargeException;
import org.mailfwd.mailbox.LocalCopy;
import org.mailfwd.rules.Decision;
import org.mailfwd.rules.KeepTarget;
import org.mailfwd.rules.MessageFacts;
import org.mailfwd.rules.RuleFile;
import org.mailfwd.rules.RuleFileException;
import org.mailfwd.rules.RuleSet;
import org.mailfwd.rules.SystemConfig;
import org.mailfwd.spam.SpamVerdict;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.MailFailure;
import org.mailfwd.status.PermanentFailure;
import org.mailfwd.status.TemporaryFailure;

/**
 * One delivery, top to bottom: read the message, load the system file and the rules, find
 * the envelope sender, let the rules decide, refuse loops, edit the header, keep local
 * copies, hand off.
 *
 * <p>{@link #plan} does every step but the last and never throws: a failure ends up in the
 * plan as its outcome. {@link #execute} hands a ready plan off. Anything unexpected becomes
 * a temporary failure, so a bug defers mail rather than losing or bouncing it.
 */
public final class Delivery {
    /** sysexits(3) EX_DATAERR: Postfix, Exim and sendmail bounce on it. */
    static final int EX_DATAERR = 65;
    static final Path DEFAULT_SENDMAIL = Path.of("/usr/sbin/sendmail");
    static final String DEFAULT_RULES = ".mailfwd.yaml";
    static final String DEFAULT_JOURNAL = ".mailfwd/journal";
    /** sysexits(3) EX_NOPERM: a rule refuses the message; every MTA bounces on it. */
    static final int EX_NOPERM = 77;
    /** RFC 3463: delivery not authorized, message refused. */
    static final EnhancedStatus REFUSED = new EnhancedStatus(5, 7, 1);
    /** RFC 3463: other or undefined security or policy status, temporary. */
    static final EnhancedStatus DEFERRED_BY_RULE = new EnhancedStatus(4, 7, 0);

    private final DeliveryRequest request;
    private final Mta mta;
    private Optional<RuleSet> rules = Optional.empty();
    private Optional<SystemConfig> systemConfig = Optional.empty();
    /** For a shutdown hook's log line: the plan under way, the hand-off under way or done. */
    private volatile Plan current;
    private volatile Handoff handingOff;
    private volatile boolean handedOff;

    public Delivery(DeliveryRequest request) {
        this.request = request;
        this.mta = request.effectiveMta();
    }

    /** Works out everything short of handing off. The message is read to its end first. */
    public Plan plan(InputStream stdin) {
        Plan plan = new Plan();
        current = plan;
        try {
            Message message = read(stdin);
            plan.message(message);
            plan.messageId(message.topmost("Message-ID").map(HeaderField::value));
            SystemConfig system = loadSystemConfig();
            systemConfig = Optional.of(system);
            RuleSet ruleSet = loadRules(system);
            rules = Optional.of(ruleSet);
            refuseIfTooBig(message, ruleSet);
            Optional<EnvelopeSender> original = originalSender(message, ruleSet, plan);
            Optional<SpamVerdict> verdict = ruleSet.spam().verdict(message);
            plan.spam(verdict);
            Decision decision = ruleSet.decide(MessageFacts.of(message, original,
                    plan.senderProblem(), thisRecipient(), request.environment())
                    .withSpam(verdict));
            plan.decision(decision);
            refuseIfRulesSaySo(decision);
            plan.keep(decision.keep());
            if (!decision.forward().isEmpty()) {
                plan.sender(forwardSender(decision, original, plan), senderSource(decision, plan));
                refuseLoops(message, ruleSet);
                plan.recipients(decision.forward());
                plan.forwarded(rewrite(message));
                if (decision.tag()) {
                    // Before signing: our own signature must cover the tagged Subject.
                    plan.tagging(ruleSet.spam().tag().apply(plan.forwarded().orElseThrow()));
                }
                sign(plan);
                Handoff handoff = handoff(ruleSet);
                plan.handoff(handoff);
                handoff.checkReady();
            }
        } catch (MailFailure failure) {
            plan.fail(Outcome.of(failure));
        } catch (RuntimeException bug) {
            plan.fail(Outcome.of(internalError(bug)));
        }
        return plan;
    }

    /**
     * Carries out a ready plan: local copies first, then the forward; returns the failure a
     * failed plan already carries. Copies go first because they rarely fail; when the forward
     * then fails, the MTA retries the whole message, and the journal lets that retry skip the
     * copy already written (without a usable journal: a duplicate, never a loss).
     */
    public Outcome execute(Plan plan) {
        if (plan.failure().isPresent()) {
            plan.message().ifPresent(Delivery::closeQuietly);
            return plan.failure().get();
        }
        try {
            Retries retries = retries(plan);
            try {
                for (KeepTarget target : plan.keep()) {
                    String done = "keep " + target;
                    if (!retries.alreadyDone(done)) {
                        keep(plan, target);
                        retries.done(done);
                    }
                }
                if (!plan.recipients().isEmpty()) {
                    String done = "forward " + plan.sender().orElseThrow() + " "
                            + plan.recipients();
                    if (!retries.alreadyDone(done)) {
                        handingOff = plan.handoff().orElseThrow();
                        handingOff.handOff(plan.sender().orElseThrow(), plan.recipients(),
                                plan.forwarded().orElseThrow());
                        handedOff = true;
                        retries.done(done);
                    }
                }
            } finally {
                retries.note().ifPresent(plan::journal);
            }
            return Outcome.sent(summary(plan));
        } catch (MailFailure failure) {
            return Outcome.of(failure);
        } catch (RuntimeException bug) {
            return Outcome.of(internalError(bug));
        } finally {
            plan.message().ifPresent(Delivery::closeQuietly);
        }
    }

    /**
     * The journal of targets done (issue 7): a retry after a partial failure skips what an
     * earlier attempt finished. Its file: journal:, else $HOME/.mailfwd/journal.
     */
    private Retries retries(Plan plan) {
        int targets = plan.keep().size() + (plan.recipients().isEmpty() ? 0 : 1);
        Optional<Path> file = rules.flatMap(RuleSet::journal)
                .or(() -> request.home().map(home -> home.resolve(DEFAULT_JOURNAL)));
        String delivery = request.recipient()
                .or(() -> Optional.ofNullable(request.environment().get("RECIPIENT")))
                .orElse("");
        return Retries.start(plan.message().orElseThrow(), targets, file, delivery);
    }

    private static void keep(Plan plan, KeepTarget target) {
        Message message = plan.message().orElseThrow();
        String sender = plan.originalSender().map(EnvelopeSender::address).orElse("");
        try (InputStream bytes = new ForwardedMessage(message).openStream()) {
            LocalCopy.keep(target.path(), target.maildir(), sender, bytes);
        } catch (IOException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "keep a copy in " + target + ": " + e.getMessage(), e);
        }
    }

    private static String summary(Plan plan) {
        Decision decision = plan.decision().orElseThrow();
        if (decision.kind() == Decision.Kind.DISCARD) {
            return decision.reason();
        }
        List<String> done = new java.util.ArrayList<>();
        if (!plan.recipients().isEmpty()) {
            done.add("forwarded to " + plan.recipients().size() + " recipient(s)");
        }
        if (!plan.keep().isEmpty()) {
            done.add("kept " + plan.keep().size() + " local copy(ies)");
        }
        return String.join(", ", done);
    }

    /** The plan under way, for a log line written while it is (by a shutdown hook). */
    public Optional<Plan> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Whether the next MTA may have the whole message already: the hand-off returned, or
     * it is under way and says so. A signal after that leaves the outcome unknown.
     */
    public boolean mayHaveSent() {
        Handoff handoff = handingOff;
        return handedOff || handoff != null && handoff.mayHaveSent();
    }

    /** The log file: --log, else the rule file's log:, else $HOME/.mailfwd.log. */
    public Optional<Path> logFile() {
        return request.log()
                .or(() -> rules.flatMap(RuleSet::log))
                .or(() -> request.home().map(home -> home.resolve(".mailfwd.log")));
    }

    public Mta mta() {
        return mta;
    }

    private static Message read(InputStream stdin) {
        Message message;
        try {
            message = new MessageReader(MessageLimits.DEFAULT).read(stdin);
        } catch (MessageTooLargeException e) {
            throw new PermanentFailure(EnhancedStatus.TOO_BIG, EX_DATAERR, e.getMessage());
        } catch (IOException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY, "read message: "
                    + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()), e);
        }
        if (message.size() == 0) {
            // An MTA never runs us without a message: the input went missing on the way.
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "read message: standard input is empty, which is no message");
        }
        return message;
    }

    /** max_message_size: checked once the rules are known, which come after the message. */
    private static void refuseIfTooBig(Message message, RuleSet ruleSet) {
        // TODO(#7): stop reading at the limit; today a too-big message is spooled whole first.
        long limit = ruleSet.maxMessageSize();
        if (limit > 0 && message.size() > limit) {
            throw new PermanentFailure(EnhancedStatus.TOO_BIG, EX_DATAERR, "message of "
                    + message.size() + " bytes is larger than max_message_size (" + limit
                    + " bytes)");
        }
    }

    /** The system file: --config, else /etc/mailfwd/config.yaml when it exists. */
    private SystemConfig loadSystemConfig() {
        try {
            return SystemConfig.load(request.config().orElse(SystemConfig.DEFAULT_PATH),
                    request.config().isPresent());
        } catch (RuleFileException e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION, e.getMessage(), e);
        }
    }

    private RuleSet loadRules(SystemConfig system) {
        Path path = request.rules().or(() -> request.home().map(h -> h.resolve(DEFAULT_RULES)))
                .orElseThrow(() -> new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                        "no rule file: HOME is not set and --rules is not given"));
        try {
            return RuleFile.load(path, request.environment(), system);
        } catch (RuleFileException e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION, e.getMessage(), e);
        }
    }

    /**
     * The sender that the resolver found, or the rule file's fallback_sender when the
     * deciding source was unusable; empty (with the reason in the plan) when neither.
     */
    private Optional<EnvelopeSender> originalSender(Message message, RuleSet ruleSet,
            Plan plan) {
        SenderResolution resolution = EnvelopeResolver.resolve(request.sender(),
                request.environment(), message);
        plan.resolution(resolution);
        if (resolution.sender().isPresent()) {
            plan.originalSender(resolution.sender().get(), resolution.source());
            return resolution.sender();
        }
        if (ruleSet.fallbackSender().isPresent()) {
            plan.originalSender(ruleSet.fallbackSender().get(), "fallback_sender");
            return ruleSet.fallbackSender();
        }
        return Optional.empty();
    }

    /** Bounce and defer end here; discard goes on as a delivery of nothing. */
    private static void refuseIfRulesSaySo(Decision decision) {
        switch (decision.kind()) {
            case BOUNCE -> throw new PermanentFailure(REFUSED, EX_NOPERM, decision.reason());
            case DEFER -> throw new TemporaryFailure(DEFERRED_BY_RULE, decision.reason());
            default -> {
                // DELIVER and DISCARD go on.
            }
        }
    }

    /** The rule's fixed sender, or the original, which must then be known. */
    private static EnvelopeSender forwardSender(Decision decision,
            Optional<EnvelopeSender> original, Plan plan) {
        if (decision.sender().fixed().isPresent()) {
            return decision.sender().fixed().get();
        }
        return original.orElseThrow(() -> new TemporaryFailure(EnhancedStatus.BAD_SENDER,
                plan.senderProblem().orElse("no envelope sender")));
    }

    private static String senderSource(Decision decision, Plan plan) {
        return decision.sender().isOriginal() ? plan.senderSource() : "the rule's sender:";
    }

    /**
     * RFC 5321 section 6.3: a message that already passed through this recipient, or that
     * has more hops than any honest route, is looping. Postfix's local(8) writes the
     * Delivered-To of this very delivery on top before running us; that one is not a loop.
     */
    private void refuseLoops(Message message, RuleSet ruleSet) {
        int hops = message.fields("Received").size();
        if (hops > ruleSet.maxReceived()) {
            throw new PermanentFailure(EnhancedStatus.LOOP, EX_DATAERR, "mail forwarding loop: "
                    + hops + " Received fields, more than " + ruleSet.maxReceived());
        }
        Optional<String> recipient = thisRecipient();
        if (recipient.isEmpty()) {
            return;
        }
        List<HeaderField> deliveredTo = message.fields("Delivered-To");
        int first = mta == Mta.POSTFIX && !deliveredTo.isEmpty()
                && names(deliveredTo.get(0), recipient.get()) ? 1 : 0;
        for (HeaderField field : deliveredTo.subList(first, deliveredTo.size())) {
            if (names(field, recipient.get())) {
                throw new PermanentFailure(EnhancedStatus.LOOP, EX_DATAERR,
                        "mail forwarding loop for " + recipient.get());
            }
        }
    }

    private Optional<String> thisRecipient() {
        Optional<String> raw = request.recipient()
                .or(() -> Optional.ofNullable(request.environment().get("RECIPIENT")));
        try {
            return raw.isEmpty() ? raw : Optional.of(ReversePathParser.normalizeRaw(raw.get()))
                    .filter(value -> !value.isEmpty());
        } catch (AddressSyntaxException e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                    "unusable recipient of this delivery: " + e.getMessage());
        }
    }

    private static boolean names(HeaderField deliveredTo, String recipient) {
        String value = deliveredTo.value().strip();
        if (value.startsWith("<") && value.endsWith(">")) {
            value = value.substring(1, value.length() - 1).strip();
        }
        return value.equalsIgnoreCase(recipient);
    }

    /**
     * RFC 5321 section 4.4: a new submission carries no Return-Path; the next final
     * delivery writes its own. qmail's own forwarding puts its Delivered-To line on top,
     * which is how the next qmail sees a loop; we do the same.
     */
    private ForwardedMessage rewrite(Message message) {
        ForwardedMessage forwarded = new ForwardedMessage(message).removeAll("Return-Path");
        String dtline = request.environment().get("DTLINE");
        if (mta == Mta.QMAIL && dtline != null) {
            try {
                forwarded.prependLine("Delivered-To", dtline);
            } catch (IllegalArgumentException e) {
                throw new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                        "qmail's DTLINE is unusable: " + e.getMessage());
            }
        }
        // Input that held only what an MTA adds on delivery (a From_ line, Return-Path) is
        // no message either: handing sendmail nothing would "deliver" an empty mail.
        if (message.fields().size() == forwarded.removed().size()
                && message.body().size() == 0) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "read message: nothing but a From_ line or Return-Path, which is no message");
        }
        return forwarded;
    }

    /**
     * DKIM (issue 5): adds signatures on top of the rewritten header, or records why not.
     * The domain comes from the system config's signing table only.
     */
    private void sign(Plan plan) {
        // House rule 5: whatever the rules say, a message our filter calls spam goes unsigned.
        boolean spam = plan.spam().isPresent() && plan.spam().get().spam();
        Optional<String> senderDomain = plan.sender().filter(s -> !s.isNull())
                .map(EnvelopeSender::domain);
        // The signing: section comes from the system file read once, in plan().
        SystemConfig system = systemConfig.orElseThrow();
        Path file = system.path().orElse(request.config().orElse(SystemConfig.DEFAULT_PATH));
        Optional<SigningConfig> signing;
        try {
            signing = SigningConfigFile.of(file, system.signing());
        } catch (SigningConfigFile.ConfigException e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION, e.getMessage(), e);
        }
        plan.signing(DkimStep.apply(file, signing, plan.forwarded().orElseThrow(),
                senderDomain, request.environment(), spam,
                rules.map(RuleSet::signRequests).orElse(List.of())));
    }

    /** SMTP when the rules say handoff: smtp, else sendmail (--sendmail names which one). */
    private Handoff handoff(RuleSet ruleSet) {
        if (ruleSet.smtp().isPresent()) {
            return new SmtpHandoff(ruleSet.smtp().get());
        }
        Path program = request.sendmail().or(ruleSet::sendmail).orElse(DEFAULT_SENDMAIL);
        return new SendmailHandoff(program, ruleSet.sendmailTimeout(), request.environment());
    }

    private static TemporaryFailure internalError(RuntimeException bug) {
        return new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                "internal error: " + bug, bug);
    }

    private static void closeQuietly(Message message) {
        try {
            message.close();
        } catch (IOException ignored) {
            // A temporary file left behind in TMPDIR costs disk, not mail.
        }
    }

}
