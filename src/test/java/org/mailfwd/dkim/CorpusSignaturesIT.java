package org.mailfwd.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
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

    /** Verdicts per verifier: originals, then signed copies, each from one run. */
    private static Map<String, List<String>> verdicts;

    @BeforeAll
    static void verifyWholeCorpusOnce(@TempDir Path keys) throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return;
        }
        List<String> names = messages().toList();
        List<byte[]> originals = new ArrayList<>();
        List<byte[]> signed = new ArrayList<>();
        SignatureSpec spec = Signed.spec(keys, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed");
        for (String name : names) {
            byte[] original = Files.readAllBytes(CORPUS.resolve(name));
            originals.add(original);
            signed.add(Signed.sign(original, List.of(spec)));
        }
        String dns = Files.readString(CORPUS.resolve("FAKE_DNS.dat")) + "\n" + Signed.keys();
        verdicts = new HashMap<>();
        record(names, "dkimpy before", ExternalVerifiers.dkimpy(originals, dns));
        record(names, "dkimpy after", ExternalVerifiers.dkimpy(signed, dns));
        record(names, "Mail::DKIM before", ExternalVerifiers.mailDkim(originals, dns));
        record(names, "Mail::DKIM after", ExternalVerifiers.mailDkim(signed, dns));
    }

    private static void record(List<String> names, String what, List<List<String>> results) {
        for (int i = 0; i < names.size(); i++) {
            verdicts.put(what + " " + names.get(i), results.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void existingVerdictsStayAndOursPasses(String name) {
        assumeTrue(!name.startsWith("("), "skipped: ../shared/corpus/mail-dkim is not here");
        for (String verifier : List.of("dkimpy", "Mail::DKIM")) {
            List<String> expected = new ArrayList<>();
            expected.add("pass d=example.org s=rsa2026");
            expected.addAll(verdicts.get(verifier + " before " + name));
            assertThat(verdicts.get(verifier + " after " + name)).as(verifier)
                    .isEqualTo(expected);
        }
    }
}
