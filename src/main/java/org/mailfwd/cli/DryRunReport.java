package org.mailfwd.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailfwd.delivery.Outcome;
import org.mailfwd.delivery.Plan;
import org.mailfwd.envelope.EnvelopeSender;
import org.mailfwd.envelope.Recipient;
import org.mailfwd.envelope.SenderResolution.RejectedSource;
import org.mailfwd.handoff.SmtpSettings;
import org.mailfwd.message.HeaderField;
import org.mailfwd.rules.Condition;
import org.mailfwd.rules.Decision;
import org.mailfwd.rules.KeepTarget;
import org.mailfwd.spam.SpamVerdict;
import org.mailfwd.spam.Tagging;
import org.mailfwd.status.DeliveryStatus;
import org.mailfwd.text.Printable;

/**
 * What --dry-run prints: the envelope sender and where it came from, each candidate that
 * was not used, each rule looked at and why it matched or not, the decision, the local
 * copies, the recipients, the exact argv (or the SMTP envelope), the header edits and the
 * exit status the run would have. Values come from the message, so they are made printable
 * first.
 */
final class DryRunReport {
    private final Plan plan;
    private final Outcome outcome;
    private final int exitCode;

    DryRunReport(Plan plan, Outcome outcome, int exitCode) {
        this.plan = plan;
        this.outcome = outcome;
        this.exitCode = exitCode;
    }

    String text() {
        StringBuilder out = new StringBuilder("mailfwd dry run: nothing is sent\n");
        line(out, "envelope sender", plan.sender().map(EnvelopeSender::reversePath)
                .orElse("none") + " (from " + plan.senderSource() + ")");
        for (RejectedSource rejected : plan.rejectedSources()) {
            line(out, "not used", rejected.source() + " \"" + rejected.value() + "\": "
                    + rejected.reason());
        }
        if (plan.decision().isPresent() && !forwardsAll(plan.decision().get())) {
            for (Decision.Trace rule : plan.decision().get().trace()) {
                line(out, "rule " + rule.rule(), rule.matched()
                        ? "matched: " + rule.why() + " -> " + rule.actions()
                        : "no match: " + rule.why());
            }
            Decision decision = plan.decision().get();
            line(out, "decision", decision.kind().name().toLowerCase(Locale.ROOT)
                    + " (" + decision.reason() + ")");
        }
        for (KeepTarget target : plan.keep()) {
            line(out, "keep", target.toString());
        }
        line(out, "recipients", String.join(" ", plan.recipients().stream()
                .map(Recipient::forwardPath).toList()));
        if (plan.smtp().isPresent()) {
            for (String step : plan.smtpEnvelope()) {
                line(out, "smtp", step);
            }
        } else {
            line(out, "argv", String.join(" ", plan.argv().stream().map(DryRunReport::quote)
                    .toList()));
        }
        for (HeaderField field : plan.removedHeaders()) {
            line(out, "remove header", field.display());
        }
        for (HeaderField field : plan.addedHeaders()) {
            line(out, "add header", field.display());
        }
        line(out, "spam", plan.spam().map(SpamVerdict::display).orElse("no verdict"));
        plan.tagging().ifPresent(tagging -> line(out, "spam tag", tagging.describe()));
        for (HeaderField field : plan.replacedHeaders()) {
            line(out, "replace header", field.display());
        }
        line(out, "dkim", plan.signing());
        // A discard counts as delivered for the MTA, but "sent" would say the opposite.
        line(out, "exit status", exitCode + " (" + (discards() ? ""
                : outcome.status().word() + ": ") + outcome.statusLine() + ")");
        return out.toString();
    }

    String json() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("envelopeSender", plan.sender().map(EnvelopeSender::address).orElse(null));
        object.put("senderSource", plan.senderSource());
        List<Object> rejected = new ArrayList<>();
        for (RejectedSource source : plan.rejectedSources()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("source", source.source());
            entry.put("value", source.value());
            entry.put("reason", source.reason());
            rejected.add(entry);
        }
        object.put("rejectedSources", rejected);
        List<Object> rules = new ArrayList<>();
        for (Decision.Trace rule : plan.decision().map(Decision::trace).orElse(List.of())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", rule.rule());
            entry.put("matched", rule.matched());
            entry.put("why", rule.why());
            entry.put("actions", rule.actions());
            rules.add(entry);
        }
        object.put("rules", rules);
        object.put("decision", plan.decision().map(d -> d.kind().name()
                .toLowerCase(Locale.ROOT)).orElse(null));
        List<Object> keep = new ArrayList<>();
        for (KeepTarget target : plan.keep()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", target.path().toString());
            entry.put("format", target.maildir() ? "maildir" : "mbox");
            keep.add(entry);
        }
        object.put("keep", keep);
        object.put("recipients", plan.recipients().stream().map(Recipient::address).toList());
        object.put("argv", plan.argv());
        object.put("smtp", plan.smtp().map(this::smtpEnvelope).orElse(null));
        object.put("removedHeaders", plan.removedHeaders().stream().map(HeaderField::display)
                .toList());
        object.put("addedHeaders", plan.addedHeaders().stream().map(HeaderField::display)
                .toList());
        object.put("spam", plan.spam().map(SpamVerdict::display).orElse(null));
        object.put("spamTag", plan.tagging().map(Tagging::describe).orElse(null));
        object.put("replacedHeaders", plan.replacedHeaders().stream().map(HeaderField::display)
                .toList());
        object.put("dkim", plan.signing());
        object.put("status", outcome.status().word());
        object.put("statusLine", outcome.statusLine());
        object.put("exitCode", exitCode);
        return Json.write(object) + "\n";
    }

    /** The SMTP envelope as JSON; the password file is never shown. */
    private Map<String, Object> smtpEnvelope(SmtpSettings settings) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("relay", settings.host() + ":" + settings.port());
        smtp.put("tls", settings.tls().word());
        smtp.put("auth", settings.credentials().map(SmtpSettings.Credentials::username)
                .orElse(null));
        smtp.put("mailFrom", plan.sender().map(EnvelopeSender::reversePath).orElse(null));
        smtp.put("rcptTo", plan.recipients().stream().map(Recipient::forwardPath).toList());
        return smtp;
    }

    /** Whether the run would end with the rules' discard: success with nothing sent. */
    private boolean discards() {
        return outcome.status() == DeliveryStatus.SENT && plan.decision()
                .filter(decision -> decision.kind() == Decision.Kind.DISCARD).isPresent();
    }

    /**
     * Whether the rules are one rule without if: (the forward: shorthand): then the
     * recipients line says it all, and a trace would only repeat it.
     */
    private static boolean forwardsAll(Decision decision) {
        return decision.kind() == Decision.Kind.DELIVER
                && decision.trace().size() == 1 && decision.trace().get(0).matched()
                && decision.trace().get(0).why().equals(Condition.Always.REASON)
                && decision.keep().isEmpty();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-16s %s%n", label + ":", Printable.of(value, 2000)));
    }

    /** Shows an argument so that its bounds are plain: quoted when it holds odd characters. */
    private static String quote(String argument) {
        if (!argument.isEmpty() && argument.matches("[A-Za-z0-9@%+=:,./_-]+")) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
