package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's minimal signing setup is a real system file that does what the text says. */
class ReadmeSigningExampleTest {
    @TempDir
    Path dir;

    private SigningConfig readmeConfig() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## DKIM signing\n");
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(start, readme.indexOf("\n## ", start + 1)));
        assertThat(block.find()).as("a yaml block under DKIM signing").isTrue();
        Path file = Files.writeString(dir.resolve("config.yaml"), block.group(1));
        return SigningConfigFile.load(file).orElseThrow();
    }

    @Test
    void readmeSetupSignsMailOfLoggedInUsers() throws Exception {
        SigningPolicy.Decision decision = SigningPolicy.decide(readmeConfig(),
                Optional.of("example.org"), List.of(), Map.of("SASL_USERNAME", "alice"), false);

        assertThat(decision.signatures()).extracting(SignatureSpec::domain,
                SignatureSpec::selector).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("example.org", "mail2026"));
    }

    @Test
    void readmeSetupNeverSignsRelayedMailWithOurDomain() throws Exception {
        SigningPolicy.Decision decision = SigningPolicy.decide(readmeConfig(),
                Optional.of("example.org"), List.of(), Map.of("CLIENT_ADDRESS", "192.0.2.7"),
                false);

        assertThat(decision.signs()).isFalse();
        assertThat(decision.reason()).contains("relayed or forged mail is never signed");
    }

    @Test
    void readmeSetupNeverSignsSpam() throws Exception {
        SigningPolicy.Decision decision = SigningPolicy.decide(readmeConfig(),
                Optional.of("example.org"), List.of(), Map.of("SASL_USERNAME", "alice"), true);

        assertThat(decision.signs()).isFalse();
    }
}
