package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real signed mail that nobody on this project wrote (Mail::DKIM's corpus): after mailfwd
 * adds its own signature, every verdict on the signatures already there is what it was, and
 * ours passes too.
 */
class CorpusSignaturesIT {
    static final Path CORPUS = Path.of("..", "shared", "corpus", "mail-dkim");

    @TempDir
    Path dir;

    static Stream<String> messages() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but the corpus is missing: " + CORPUS.toAbsolutePath());
            }
            return Stream.of("(corpus absent)");
        }
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void existingVerdictsStayAndOursPasses(String name) throws IOException {
        assumeTrue(!name.startsWith("("), "skipped: ../shared/corpus/mail-dkim is not here");
        byte[] original = Files.readAllBytes(CORPUS.resolve(name));
        String keys = Files.readString(CORPUS.resolve("FAKE_DNS.dat")) + "\n" + Signed.keys();
        byte[] signed = Signed.sign(original, List.of(
                Signed.spec(dir, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed")));
        for (boolean python : new boolean[] {true, false}) {
            List<String> before = python ? ExternalVerifiers.dkimpy(original, keys)
                    : ExternalVerifiers.mailDkim(original, keys);
            List<String> after = python ? ExternalVerifiers.dkimpy(signed, keys)
                    : ExternalVerifiers.mailDkim(signed, keys);
            List<String> expected = new ArrayList<>();
            expected.add("pass d=example.org s=rsa2026");
            expected.addAll(before);
            assertThat(after).as(python ? "dkimpy" : "Mail::DKIM").isEqualTo(expected);
        }
    }
}
