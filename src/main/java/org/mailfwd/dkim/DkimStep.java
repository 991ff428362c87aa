package org.mailfwd.dkim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

/**
 * The signing step of delivery: reads the signing section of the system config, decides,
 * and signs. Returns one line for the dry run and the log saying what was signed and why,
 * or why not. jDKIM is loaded only when a message is actually signed.
 *
 * <p>Failures: a broken signing section defers the message (the operator fixes it while
 * the MTA keeps the mail). A key that cannot be used defers too, unless the config says
 * {@code on_key_error: send-unsigned}, in which case the message goes unsigned and the
 * returned line says why. Either way the message is unchanged unless every signature was
 * made. A rule file's {@code sign:} request that the system file does not grant the user
 * defers the message with 4.7.0 and the reason: the owner asked for signatures, and sending
 * without them in silence would hide the mistake.
 */
public final class DkimStep {
    /** RFC 3463 X.7.0, temporary: a security policy (the grants) stops the delivery. */
    static final EnhancedStatus NOT_GRANTED = new EnhancedStatus(4, 7, 0);

    private DkimStep() {
    }

    /**
     * The step with the signing section already checked, as a delivery has it from the
     * system file it read once.
     *
     * @param config the system config file, named in texts
     * @param loaded its signing section; empty means no signing
     * @param senderDomain the envelope sender's domain, empty for the null sender
     * @param spam a spam verdict that says spam; such mail is never signed
     * @param requested the rule file's {@code sign:} domains
     * @return what was done, for the dry run and the log
     * @throws TemporaryFailure when the message must wait
     */
    public static String apply(Path config, Optional<SigningConfig> loaded,
            ForwardedMessage forwarded, Optional<String> senderDomain,
            Map<String, String> environment, boolean spam, List<String> requested) {
        List<String> refusals = SigningPolicy.refusals(loaded, config.toString(),
                SigningPolicy.login(environment), requested);
        if (!refusals.isEmpty()) {
            throw new TemporaryFailure(NOT_GRANTED, "dkim: " + String.join("; ", refusals));
        }
        if (loaded.isEmpty()) {
            return "not signed: no signing section in " + config;
        }
        SigningPolicy.Decision decision = SigningPolicy.decide(loaded.get(), senderDomain,
                forwarded.message().fields(), environment, spam, requested);
        if (!decision.signs()) {
            return "not signed: " + decision.reason();
        }
        Optional<String> note;
        try {
            List<MessageSigner.Signing> signings = new ArrayList<>();
            for (SignatureSpec spec : decision.signatures()) {
                signings.add(new MessageSigner.Signing(spec,
                        SigningKey.open(spec.keyFile(), spec.algorithm())));
            }
            note = Signatures.addTo(forwarded, signings, System.currentTimeMillis() / 1000);
        } catch (SigningKeyException e) {
            // Found before signing (the file) or while signing (the JDK cannot use the key);
            // either way nothing was added to the message.
            if (loaded.get().sendUnsigned()) {
                return "not signed (on_key_error: send-unsigned): " + e.getMessage();
            }
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                    "dkim: " + e.getMessage(), e);
        } catch (MessageSigner.SigningException e) {
            // A message we cannot sign (no From field, say) goes as it is, never half-signed.
            return "not signed: " + e.getMessage();
        } catch (IOException e) {
            throw new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "dkim: read message: " + e.getMessage(), e);
        }
        StringBuilder done = new StringBuilder("signed");
        for (SignatureSpec spec : decision.signatures()) {
            done.append(' ').append(spec.describe()).append(';');
        }
        done.append(" because ").append(decision.reason());
        note.ifPresent(text -> done.append(" (").append(text).append(')'));
        return done.toString();
    }
}
