package org.mailfwd.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailfwd.spam.Messages.message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailfwd.message.ForwardedMessage;
import org.mailfwd.spam.SubjectTag.Policy;
import org.mailfwd.spam.Tagging.Edit;

/**
 * A tag must not break the signatures on a message unless the policy says so, judged by
 * dkimpy (Debian's python3-dkim, run as /usr/bin/python3 because pyenv's python3 lacks it),
 * which shares no code with mailfwd. testmails/gmail-relayed.eml carries two signatures
 * that both cover the Subject: the author domain's (relaxed) and the relay's (simple).
 */
class SignedMessageTaggingIT {
    private static final Path PROJECT = Prerequisites.projectDir();
    private static final Path RELAYED = PROJECT.resolve("testmails/gmail-relayed.eml");
    private static final Path DKIM = PROJECT.resolve("src/test/resources/dkim");

    @TempDir
    Path work;

    @BeforeEach
    void requireDkimpy() throws InterruptedException {
        Prerequisites.require("python3-dkim", "/usr/bin/python3", "-c", "import dkim");
    }

    @Test
    void untaggedSignedMessageVerifies() throws Exception {
        assertThat(verify(Files.readAllBytes(RELAYED))).isEqualTo("sigs=pass,pass");
    }

    @Test
    void defaultPolicyAddsTheHeaderAndBothSignaturesStillVerify() throws Exception {
        ForwardedMessage forwarded = new ForwardedMessage(message(Files.readAllBytes(RELAYED)));

        Tagging tagging = SubjectTag.defaults().apply(forwarded);

        assertThat(tagging.edit()).isEqualTo(Edit.HEADER_ADDED);
        assertThat(tagging.broken()).isEmpty();
        assertThat(tagging.subjectSigners()).extracting(DkimSignature::display)
                .containsExactly("d=example.net s=fwd2026", "d=example.com s=mailfwd-test");
        assertThat(verify(Messages.bytes(forwarded))).isEqualTo("sigs=pass,pass");
    }

    @Test
    void headerPolicyKeepsBothSignatures() throws Exception {
        ForwardedMessage forwarded = new ForwardedMessage(message(Files.readAllBytes(RELAYED)));

        new SubjectTag(Policy.HEADER, "[SPAM] ").apply(forwarded);

        assertThat(verify(Messages.bytes(forwarded))).isEqualTo("sigs=pass,pass");
    }

    @Test
    void subjectTagBreaksExactlyTheSignaturesItReports() throws Exception {
        ForwardedMessage forwarded = new ForwardedMessage(message(Files.readAllBytes(RELAYED)));

        Tagging tagging = new SubjectTag(Policy.SUBJECT, "[SPAM] ").apply(forwarded);

        assertThat(tagging.broken()).extracting(DkimSignature::display)
                .containsExactly("d=example.net s=fwd2026", "d=example.com s=mailfwd-test");
        assertThat(verify(Messages.bytes(forwarded))).isEqualTo("sigs=fail,fail");
    }

    /** dkimpy's verdicts for one message, e.g. "sigs=pass,pass". */
    private String verify(byte[] message) throws Exception {
        Path file = Files.write(work.resolve("message.eml"), message);
        Path output = work.resolve("verdicts.txt");
        Process process = new ProcessBuilder(List.of("/usr/bin/python3",
                DKIM.resolve("verify-dkimpy.py").toString(),
                DKIM.resolve("testmails.dns").toString(), file.toString()))
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        String line = Files.readString(output, StandardCharsets.UTF_8).strip();
        return line.substring(line.lastIndexOf(' ') + 1);
    }
}
