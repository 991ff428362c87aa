package org.mailfwd.handoff;

import java.util.List;

/**
 * An {@code smtp:} block that cannot be used. Each problem is one line that starts with the
 * key, e.g. {@code smtp.port: must be a whole number from 1 to 65535, got "x"}; the rule
 * file loader prefixes its file:line:column.
 */
public final class SmtpSettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    SmtpSettingsException(List<String> problems) {
        super(problems.get(0) + (problems.size() > 1
                ? " (and " + (problems.size() - 1) + " more problem(s))" : ""));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
