package org.mailfwd.rules;

import java.util.List;

/**
 * A rule file that cannot be used. Each problem is one line in the form
 * {@code file:line:column: what is wrong (hint)}, as compilers print them.
 */
public final class RuleFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    RuleFileException(List<String> problems) {
        super(problems.get(0) + (problems.size() > 1
                ? " (and " + (problems.size() - 1) + " more problem(s))" : ""));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
