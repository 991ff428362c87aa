package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.message.HeaderField;
import org.mailfwd.message.Message;
import org.mailfwd.message.MessageLimits;
import org.mailfwd.message.MessageReader;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;

class SigningPolicyTest {
    static final String CONFIG = """
            max_received: 50            # the rest of the file is the system loader's
            signing:
              origin:
                sasl: true
                trusted_networks: [192.0.2.0/24, "2001:db8::/32"]
                authserv_id: mx.example.org
              domains:
                example.org:
                  signatures:
                    - {selector: rsa2026, key: KEYDIR/rsa-sha256.pem}
                    - {selector: ed2026, key: KEYDIR/ed25519-sha256.pem,
                       algorithm: ed25519-sha256}
                lists.example.org:
                  selector: rsa2026
                  key: KEYDIR/rsa-sha256.pem
                  domain: example.org
                corp.example:
                  subdomains: true
                  domain: corp.example
                  selector: s1
                  key: KEYDIR/rsa-sha256.pem
            """;

    @TempDir
    Path dir;

    static Message message(String header) throws IOException {
        return new MessageReader(MessageLimits.DEFAULT).read(new ByteArrayInputStream(
                (header + "\nbody\n").getBytes(StandardCharsets.UTF_8)));
    }

    SigningConfig config() throws Exception {
        TestKeys.writePem(dir, DkimAlgorithm.RSA_SHA256);
        TestKeys.writePem(dir, DkimAlgorithm.ED25519_SHA256);
        Path file = Files.writeString(dir.resolve("config.yaml"),
                CONFIG.replace("KEYDIR", dir.toString()));
        return SigningConfigFile.load(file).orElseThrow();
    }

    static Stream<Arguments> cases() {
        String from = "From: a@example.org\n";
        Map<String, String> sasl = Map.of("SASL_USERNAME", "alice");
        return Stream.of(
                Arguments.of("our user, authenticated", "example.org", from, sasl, false,
                        "signed d=example.org s=rsa2026, d=example.org s=ed2026"),
                Arguments.of("trusted network", "example.org", from,
                        Map.of("CLIENT_ADDRESS", "192.0.2.7"), false,
                        "signed d=example.org s=rsa2026, d=example.org s=ed2026"),
                Arguments.of("trusted IPv6 network", "example.org", from,
                        Map.of("CLIENT_ADDRESS", "2001:db8::25"), false,
                        "signed d=example.org s=rsa2026, d=example.org s=ed2026"),
                Arguments.of("our Authentication-Results on top", "example.org",
                        "Authentication-Results: mx.example.org; auth=pass smtp.auth=a\n"
                                + from, Map.of(), false,
                        "signed d=example.org s=rsa2026, d=example.org s=ed2026"),
                Arguments.of("forged Authentication-Results below a foreign one", "example.org",
                        "Authentication-Results: mx.other.net; spf=pass\n"
                                + "Authentication-Results: mx.example.org; auth=pass\n" + from,
                        Map.of(), false, "not from us"),
                Arguments.of("outside client forging our domain", "example.org", from,
                        Map.of("CLIENT_ADDRESS", "203.0.113.9"), false, "not from us"),
                Arguments.of("spam is never signed", "example.org", from, sasl, true,
                        "message is spam"),
                Arguments.of("relayed Gmail mail", "gmail.com", "From: x@gmail.com\n"
                        + "Sender: owner@example.org\nList-Id: <l.example.org>\n", sasl, false,
                        "gmail.com is not in the signing table"),
                Arguments.of("list mail of our list domain is signed by its row", "lists.example.org",
                        "From: x@gmail.com\nSender: owner@lists.example.org\n"
                                + "List-Id: <l.lists.example.org>\n", sasl, false,
                        "signed d=example.org s=rsa2026"),
                Arguments.of("explicit subdomain rule", "mail.corp.example", from, sasl, false,
                        "signed d=corp.example s=s1"),
                Arguments.of("no subdomain without the rule", "sub.example.org", from, sasl,
                        false, "sub.example.org is not in the signing table"),
                Arguments.of("look-alike domain", "badexample.org", from, sasl, false,
                        "badexample.org is not in the signing table"),
                Arguments.of("null sender", "", from, sasl, false,
                        "no envelope sender domain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signsOnlyTableDomainsOfOurOwnMail(String name, String senderDomain, String header,
            Map<String, String> env, boolean spam, String expected) throws Exception {
        SigningPolicy.Decision decision = SigningPolicy.decide(config(),
                senderDomain.isEmpty() ? Optional.empty() : Optional.of(senderDomain),
                message(header).fields(), env, spam);
        String got = decision.signs() ? "signed " + String.join(", ", decision.signatures()
                .stream().map(s -> "d=" + s.domain() + " s=" + s.selector()).toList())
                : decision.reason();
        assertThat(got).contains(expected);
    }

    @Test
    void fromDomainIsCheckedWhenConfigured() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), """
                signing:
                  check: from
                  origin: {all_mail: true}
                  domains:
                    example.org: {selector: s, key: /k}
                """);
        SigningConfig config = SigningConfigFile.load(file).orElseThrow();
        List<HeaderField> header = message("From: \"x@evil.test\" <a@Example.ORG>\n").fields();
        assertThat(SigningPolicy.decide(config, Optional.of("evil.test"), header, Map.of(),
                false).signs()).isTrue();
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("wildcard row", "signing:\n  origin: {sasl: true}\n  domains:\n"
                        + "    \"*.example.org\": {selector: s, key: /k}\n", ":4:5: ", "wildcard"),
                Arguments.of("unknown key", "signing:\n  origin: {sasl: true}\n  colour: red\n",
                        ":3:3: ", "unknown key colour"),
                Arguments.of("no origin test", "signing:\n  domains:\n"
                        + "    example.org: {selector: s, key: /k}\n", ":2:3: ", "origin"),
                Arguments.of("bad algorithm", "signing:\n  origin: {sasl: true}\n  domains:\n"
                        + "    example.org: {selector: s, key: /k, algorithm: rsa-sha1}\n",
                        ":4:", "unknown DKIM algorithm"),
                Arguments.of("bad network", "signing:\n  origin:\n"
                        + "    trusted_networks: [evil.example]\n", ":3:24: ",
                        "not an IP address block"),
                Arguments.of("grant of a domain with no row", "signing:\n  origin: {sasl: true}\n"
                        + "  domains:\n    example.org: {selector: s, key: /k}\n"
                        + "  grants:\n    alice: [example.org, example.net]\n", ":6:26: ",
                        "grants alice \"example.net\", which is not a row of domains:"),
                Arguments.of("relative key path", "signing:\n  origin: {sasl: true}\n"
                        + "  domains:\n    example.org: {selector: s, key: keys/s.pem}\n",
                        ":4:37: ", "key \"keys/s.pem\" must be an absolute path"),
                Arguments.of("YAML syntax", "signing:\n  origin: [\n", ":", "expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badSigningSectionIsRefusedWithFileLineAndColumn(String name, String yaml,
            String where, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        assertThatThrownBy(() -> SigningConfigFile.load(file))
                .hasMessageContaining(file + where).hasMessageContaining(problem);
    }

    /** The step as a delivery runs it, with the signing section read from {@code config}. */
    private static String apply(Path config, ForwardedMessage forwarded,
            Optional<String> senderDomain, Map<String, String> environment, boolean spam,
            List<String> requested) {
        Optional<SigningConfig> loaded;
        try {
            loaded = SigningConfigFile.load(config);
        } catch (SigningConfigFile.ConfigException e) {
            throw new TemporaryFailure(EnhancedStatus.CONFIGURATION, e.getMessage(), e);
        }
        return DkimStep.apply(config, loaded, forwarded, senderDomain, environment, spam,
                requested);
    }

    private static String apply(Path config, ForwardedMessage forwarded,
            Optional<String> senderDomain, Map<String, String> environment, boolean spam) {
        return apply(config, forwarded, senderDomain, environment, spam, List.of());
    }

    @Test
    void unusableKeyDefersByDefaultAndSendsUnsignedWhenConfigured() throws Exception {
        String yaml = "signing:\n  origin: {all_mail: true}\n%s  domains:\n"
                + "    example.org: {selector: s, key: " + dir.resolve("missing.pem") + "}\n";
        Path defer = Files.writeString(dir.resolve("defer.yaml"), yaml.formatted(""));
        Path unsigned = Files.writeString(dir.resolve("unsigned.yaml"),
                yaml.formatted("  on_key_error: send-unsigned\n"));
        Message message = message("From: a@example.org\n");
        ForwardedMessage forwarded = new ForwardedMessage(message);
        assertThatThrownBy(() -> apply(defer, forwarded, Optional.of("example.org"),
                Map.of(), false)).isInstanceOf(TemporaryFailure.class)
                .hasMessageContaining("does not exist");
        assertThat(apply(unsigned, forwarded, Optional.of("example.org"), Map.of(),
                false)).startsWith("not signed (on_key_error: send-unsigned): key file");
        assertThat(forwarded.added()).isEmpty();
    }

    @Test
    void missingConfigFileSignsNothing() throws Exception {
        ForwardedMessage forwarded = new ForwardedMessage(message("From: a@example.org\n"));
        assertThat(apply(dir.resolve("none.yaml"), forwarded,
                Optional.of("example.org"), Map.of(), false)).startsWith("not signed");
        assertThat(forwarded.added()).isEmpty();
    }

    @Test
    void signedStepAddsOnlyDkimSignatureFields() throws Exception {
        SigningConfig unused = config();
        assertThat(unused.domains()).hasSize(3);
        ForwardedMessage forwarded = new ForwardedMessage(message("From: a@example.org\n"));
        String done = apply(dir.resolve("config.yaml"), forwarded,
                Optional.of("example.org"), Map.of("SASL_USERNAME", "alice"), false);
        assertThat(done).startsWith("signed d=example.org s=rsa2026 a=rsa-sha256");
        assertThat(forwarded.added()).extracting(HeaderField::name)
                .containsExactly("DKIM-Signature", "DKIM-Signature");
    }

    /** The system file of the grant tests: CONFIG with example.org granted to GRANTEE. */
    Path grantingConfig(String grantee) throws Exception {
        config();
        return Files.writeString(dir.resolve("granting.yaml"), CONFIG.replace("KEYDIR",
                dir.toString()) + "  grants:\n    " + grantee + ": [example.org]\n"
                + "    someone-else: [corp.example]\n");
    }

    static String me() {
        return SigningPolicy.login(Map.of()).orElseThrow();
    }

    @Test
    void grantedRequestSignsWithTheTablesKeysAndVerifiesWithDkimpy() throws Exception {
        Path config = grantingConfig(me());
        // The envelope sender's domain has no row: only the user's request signs.
        ForwardedMessage forwarded = new ForwardedMessage(message(
                "From: a@example.org\nTo: b@example.net\nSubject: hi\n"));

        String done = apply(config, forwarded, Optional.of("elsewhere.example"),
                Map.of("SASL_USERNAME", "alice"), false, List.of("example.org"));

        assertThat(done).startsWith("signed d=example.org s=rsa2026 a=rsa-sha256")
                .contains("the rule file's sign: example.org is granted to this user");
        byte[] signed;
        try (var in = forwarded.openStream()) {
            signed = in.readAllBytes();
        }
        assertThat(ExternalVerifiers.dkimpy(signed, Signed.keys()))
                .containsExactly("pass d=example.org s=rsa2026", "pass d=example.org s=ed2026");
    }

    @Test
    void requestNotGrantedDefersWithTheReasonAndLeavesTheMessageAlone() throws Exception {
        Path config = grantingConfig("not-" + me());
        ForwardedMessage forwarded = new ForwardedMessage(message("From: a@example.org\n"));

        assertThatThrownBy(() -> apply(config, forwarded, Optional.of("example.org"),
                Map.of("SASL_USERNAME", "alice"), false, List.of("example.org")))
                .isInstanceOf(TemporaryFailure.class)
                .hasMessage("dkim: sign: example.org is not granted to user " + me() + " by "
                        + config + " (signing: grants:; ask the administrator)")
                .extracting(e -> ((TemporaryFailure) e).status().toString())
                .isEqualTo("4.7.0");
        assertThat(forwarded.added()).isEmpty();
    }

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                Arguments.of("domain granted to someone else", "corp.example",
                        "sign: corp.example is not granted to user"),
                Arguments.of("domain with no row at all", "example.net",
                        "sign: example.net is not granted to user"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void requestOutsideTheGrantIsRefused(String name, String domain, String expected)
            throws Exception {
        SigningConfig config = SigningConfigFile.load(grantingConfig(me())).orElseThrow();

        assertThat(SigningPolicy.refusals(Optional.of(config), "config.yaml",
                Optional.of(me()), List.of("example.org", domain)))
                .singleElement().asString().startsWith(expected);
    }

    @Test
    void requestWithoutAnySigningSectionIsRefused() {
        assertThat(SigningPolicy.refusals(Optional.empty(), "/etc/mailfwd/config.yaml",
                Optional.of("alice"), List.of("example.org"))).containsExactly(
                "sign: example.org is not granted: /etc/mailfwd/config.yaml has no signing:"
                        + " section");
    }

    @Test
    void grantedRequestStillNeedsAnOriginTest() throws Exception {
        SigningConfig config = SigningConfigFile.load(grantingConfig(me())).orElseThrow();

        SigningPolicy.Decision decision = SigningPolicy.decide(config,
                Optional.of("gmail.com"), message("From: x@gmail.com\n").fields(),
                Map.of("CLIENT_ADDRESS", "203.0.113.9"), false, List.of("example.org"));

        assertThat(decision.signs()).isFalse();
        assertThat(decision.reason()).isEqualTo("not from us: no origin test passed (relayed"
                + " or forged mail is never signed, sign: example.org granted but not used)");
    }

    @Test
    void requestAddsToTheTableAndNeverChangesItsRows() throws Exception {
        SigningConfig config = SigningConfigFile.load(grantingConfig(me())).orElseThrow();
        Map<String, String> ours = Map.of("SASL_USERNAME", "alice");
        List<HeaderField> header = message("From: a@mail.corp.example\n").fields();

        SigningPolicy.Decision withRequest = SigningPolicy.decide(config,
                Optional.of("mail.corp.example"), header, ours, false, List.of("example.org"));
        SigningPolicy.Decision spam = SigningPolicy.decide(config,
                Optional.of("mail.corp.example"), header, ours, true, List.of("example.org"));

        // The table's own row still signs first, then the granted row, each with the
        // selector and key of the system file; the request cannot name either.
        assertThat(withRequest.signatures()).isEqualTo(List.of(
                config.domains().get("corp.example").signatures().get(0),
                config.domains().get("example.org").signatures().get(0),
                config.domains().get("example.org").signatures().get(1)));
        assertThat(spam.signs()).isFalse();
    }
}
