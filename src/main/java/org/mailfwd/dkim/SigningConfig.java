package org.mailfwd.dkim;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code signing:} section of the system configuration file: which sender domains are
 * signed, with which d=, s=, key and algorithm, and how a message proves it came from us.
 *
 * @param checkFrom check the From: domain instead of the envelope sender's domain
 * @param sendUnsigned on a key that cannot be used, send unsigned (logged) instead of
 *     deferring the message
 * @param origin the tests that make a message ours; at least one must pass
 * @param domains sender domain (lowercase) to its signing rule
 * @param grants login name to the table rows (sender domains) whose signatures that user's
 *     rule file may ask for with {@code sign:}
 */
public record SigningConfig(boolean checkFrom, boolean sendUnsigned, Origin origin,
        Map<String, Rule> domains, Map<String, Set<String>> grants) {

    public SigningConfig {
        domains = Map.copyOf(domains);
        grants = Map.copyOf(grants);
    }

    /** The rows granted to {@code login}; none for an unknown user. */
    public Set<String> grantedTo(String login) {
        return grants.getOrDefault(login, Set.of());
    }

    /**
     * One table row.
     *
     * @param subdomains whether mail from any subdomain of the key is signed too; only an
     *     explicit {@code subdomains: true} does that
     */
    public record Rule(String senderDomain, boolean subdomains, List<SignatureSpec> signatures) {
        public Rule {
            signatures = List.copyOf(signatures);
        }
    }

    /**
     * What makes a message ours, so that relayed and forged mail is never signed.
     *
     * @param sasl Postfix exported a non-empty SASL_USERNAME (the client logged in)
     * @param trustedNetworks CIDR blocks that CLIENT_ADDRESS must fall in
     * @param authservId our own authserv-id: the topmost Authentication-Results field must
     *     be ours and report auth=pass
     * @param allMail the operator states that every message this runs for is ours
     */
    public record Origin(boolean sasl, List<Cidr> trustedNetworks, Optional<String> authservId,
            boolean allMail) {
        public Origin {
            trustedNetworks = List.copyOf(trustedNetworks);
        }

        boolean configured() {
            return sasl || !trustedNetworks.isEmpty() || authservId.isPresent() || allMail;
        }
    }
}
