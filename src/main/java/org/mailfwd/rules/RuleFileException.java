package org.mailfwd.rules;

import java.util.List;
import org.mailfwd.text.Printable;

/**
 * A rule file that cannot be used. Each problem is one line in the form
 * {@code file:line:column: what is wrong (hint)}, as compilers print them.
 */
public final class RuleFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** A problem quoting a multi-line value is still one line: it goes to stderr and logs. */
    private static final int MAX_LINE = 2000;

    RuleFileException(List<String> problems) {
        super(summary(oneLineEach(problems)));
        this.problems = oneLineEach(problems);
    }

    private static List<String> oneLineEach(List<String> problems) {
        return problems.stream().map(line -> Printable.of(line, MAX_LINE)).toList();
    }

    private static String summary(List<String> lines) {
        return lines.get(0) + (lines.size() > 1
                ? " (and " + (lines.size() - 1) + " more problem(s))" : "");
    }

    public List<String> problems() {
        return problems;
    }
}
