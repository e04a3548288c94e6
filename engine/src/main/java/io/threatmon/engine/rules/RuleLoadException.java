package io.threatmon.engine.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Rules could not be loaded; nothing was loaded. The message lists every error as
 * {@code file:line: error: reason}.
 *
 * <pre>{@code
 * try { client = ThreatClient.builder().rulesPath(path).build(); }
 * catch (RuleLoadException e) { e.problems().forEach(System.err::println); }
 * }</pre>
 */
public final class RuleLoadException extends RuntimeException {

    private final List<Problem> problems;

    public RuleLoadException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, errors and warnings. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        String head = errors.size() == 1 ? "rule file error: " : errors.size() + " rule file errors:\n";
        return head + errors.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }
}
