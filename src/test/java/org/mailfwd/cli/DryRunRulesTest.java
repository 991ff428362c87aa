package org.mailfwd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dry run names the rule that matched and why each earlier rule did not. */
class DryRunRulesTest {
    private static final String LIST_MAIL = "List-Id: Team <team.example.org>\n"
            + "Subject: minutes\n\nbody\n";

    @TempDir
    Path dir;

    private String dryRun(String rules, String... more) throws Exception {
        Path file = Files.writeString(dir.resolve("rules.yaml"), rules);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = new String[more.length + 5];
        System.arraycopy(new String[] {"--dry-run", "--rules", file.toString(), "--sender",
            "bob@example.org"}, 0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        int status = Main.run(args, new ByteArrayInputStream(LIST_MAIL.getBytes(
                StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of("HOME", dir.toString()));
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final String RULES = "rules:\n"
            + "  - {name: bounces, if: {bounce: true}, keep: true}\n"
            + "  - {name: lists, if: {list: true}, keep: ~/lists/}\n"
            + "  - {name: rest, forward: alice@example.net}\n";

    @Test
    void textNamesEachRuleWithItsReason() throws Exception {
        String text = dryRun(RULES);

        assertThat(text.lines()).containsSubsequence(
                "rule bounces:    no match: the envelope sender is not null (not a bounce)",
                "rule lists:      matched: List-Id is present -> keep in " + dir
                        + "/lists/ (maildir)",
                "decision:        deliver (rules chose a delivery)",
                "keep:            " + dir + "/lists/ (maildir)");
        assertThat(text).doesNotContain("rule rest");
    }

    @Test
    void jsonCarriesTheTraceAndTheCopies() throws Exception {
        String json = dryRun(RULES, "--json");

        assertThat(json).contains("\"rules\":[{\"name\":\"bounces\",\"matched\":false,"
                + "\"why\":\"the envelope sender is not null (not a bounce)\"")
                .contains("\"decision\":\"deliver\"")
                .contains("\"keep\":[{\"path\":\"" + dir + "/lists\",\"format\":\"maildir\"}]");
    }
}
