package org.mailfwd.delivery;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run is told from outside the message: arguments and environment.
 *
 * @param rules the rule file, when --rules names one (else $HOME/.mailfwd.yaml)
 * @param config the system file, when --config names one (else /etc/mailfwd/config.yaml,
 *     which may be absent)
 * @param sender --sender, which beats every other source of the envelope sender
 * @param recipient --recipient, the address this delivery is for (else RECIPIENT)
 * @param sendmail --sendmail, which beats the rule file
 * @param log --log, which beats the rule file
 * @param mta --mta, when not auto
 * @param environment the process environment; untrusted, as qmail-command(8) warns
 */
public record DeliveryRequest(
        Optional<Path> rules,
        Optional<Path> config,
        Optional<String> sender,
        Optional<String> recipient,
        Optional<Path> sendmail,
        Optional<Path> log,
        Optional<Mta> mta,
        Map<String, String> environment) {

    public DeliveryRequest {
        environment = Map.copyOf(environment);
    }

    /** A request without --config: the system file is the default one, if it exists. */
    public DeliveryRequest(Optional<Path> rules, Optional<String> sender,
            Optional<String> recipient, Optional<Path> sendmail, Optional<Path> log,
            Optional<Mta> mta, Map<String, String> environment) {
        this(rules, Optional.empty(), sender, recipient, sendmail, log, mta, environment);
    }

    /** The MTA that runs us: --mta, else guessed from the environment. */
    public Mta effectiveMta() {
        return mta.orElseGet(() -> Mta.detect(environment));
    }

    Optional<Path> home() {
        String home = environment.get("HOME");
        // A relative HOME would put the rule file and the log wherever the MTA's cwd is.
        return home == null || !home.startsWith("/") ? Optional.empty()
                : Optional.of(Path.of(home));
    }
}
