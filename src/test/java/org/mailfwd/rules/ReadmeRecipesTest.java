package org.mailfwd.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipes in the README are real files: each one loads without a problem. */
class ReadmeRecipesTest {
    @TempDir
    Path dir;

    @Test
    void everyReadmeRecipeLoads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> recipes = new ArrayList<>();
        // Only these sections hold rule files; DKIM signing shows the system file.
        for (String title : List.of("Rules", "SMTP hand-off")) {
            int start = readme.indexOf("\n## " + title + "\n");
            int end = readme.indexOf("\n## ", start + 1);
            Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL)
                    .matcher(readme.substring(start, end < 0 ? readme.length() : end));
            while (block.find()) {
                recipes.add(block.group(1));
            }
        }

        assertThat(recipes).hasSize(8);
        for (String recipe : recipes) {
            RuleSet loaded = Fixtures.load(dir, recipe);
            assertThat(loaded.rules()).as(recipe).isNotEmpty();
        }
    }
}
