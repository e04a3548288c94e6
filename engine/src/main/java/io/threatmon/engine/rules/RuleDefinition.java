package io.threatmon.engine.rules;

import java.util.List;

/**
 * One rule as written in a rule pack, before compilation. Produced by {@link RulePackReader}.
 *
 * <pre>{@code
 * RuleDefinition r = pack.rules().get(0);
 * System.out.println(r.id() + " " + r.category() + " risk " + r.risk() + " at " + r.source() + ":" + r.line());
 * }</pre>
 *
 * @param id          unique id ({@code pi.ignore_previous})
 * @param name        human-readable name
 * @param category    threat category ({@code prompt_injection})
 * @param severity    severity band
 * @param risk        base risk 0-100 (explicit, or from the severity)
 * @param patterns    regexes; any may match
 * @param requires    co-occurrence: when not empty, {@code requiresAtLeast} of these must match too
 * @param unless      exceptions: when one of these matches in the match's sentence, the match does not count
 * @param unlessOverlapping exceptions that count only where their match overlaps the pattern's match
 * @param direction   which traffic the rule applies to
 * @param views       the text views it scans
 * @param tags        OWASP LLM / MITRE ATLAS ids and free tags
 * @param description what the rule detects
 * @param references  links
 * @param status      stable, test, experimental or deprecated
 * @param enabled     false to keep the rule but not run it
 * @param matchExamples   texts the rule must fire on
 * @param noMatchExamples texts the rule must not fire on
 * @param source      the file or resource it was read from
 * @param line        1-based line of the rule in that source
 * @param matchExampleLines   1-based line of each match example in the source (0 where unknown); same
 *                            length as {@code matchExamples}
 * @param noMatchExampleLines the same for the no_match examples
 * @param liftsExemptions     when this rule fires on a text, the other rules' exemptions do not
 *                            count there ({@code lifts_exemptions: true}): an order to carry out a
 *                            quoted attack makes the quote an attack
 * @param requiresAtLeast     how many different {@code requires} regexes must match (1 unless the
 *                            rule says {@code requires_at_least}): signals that mean little alone
 *                            and much together
 */
public record RuleDefinition(
        String id,
        String name,
        String category,
        Severity severity,
        int risk,
        List<String> patterns,
        List<String> requires,
        List<String> unless,
        List<String> unlessOverlapping,
        RuleDirection direction,
        List<ViewKind> views,
        List<String> tags,
        String description,
        List<String> references,
        String status,
        boolean enabled,
        List<String> matchExamples,
        List<String> noMatchExamples,
        String source,
        int line,
        List<Integer> matchExampleLines,
        List<Integer> noMatchExampleLines,
        boolean liftsExemptions,
        int requiresAtLeast) {

    public RuleDefinition {
        patterns = List.copyOf(patterns);
        requires = List.copyOf(requires);
        unless = List.copyOf(unless);
        unlessOverlapping = List.copyOf(unlessOverlapping);
        views = List.copyOf(views);
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        matchExamples = List.copyOf(matchExamples);
        noMatchExamples = List.copyOf(noMatchExamples);
        matchExampleLines = lines(matchExampleLines, matchExamples.size(), "match");
        noMatchExampleLines = lines(noMatchExampleLines, noMatchExamples.size(), "no_match");
        if (requiresAtLeast < 1 || (requiresAtLeast > 1 && requiresAtLeast > requires.size())) {
            throw new IllegalArgumentException("requires_at_least " + requiresAtLeast + " with " + requires.size()
                    + " requires regexes");
        }
    }

    /** A definition whose examples' lines are not known (built in code, not read from a file). */
    public RuleDefinition(String id, String name, String category, Severity severity, int risk, List<String> patterns,
            List<String> requires, List<String> unless, List<String> unlessOverlapping, RuleDirection direction,
            List<ViewKind> views, List<String> tags, String description, List<String> references, String status,
            boolean enabled, List<String> matchExamples, List<String> noMatchExamples, String source, int line) {
        this(id, name, category, severity, risk, patterns, requires, unless, unlessOverlapping, direction, views, tags,
                description, references, status, enabled, matchExamples, noMatchExamples, source, line,
                List.of(), List.of(), false, 1);
    }

    private static List<Integer> lines(List<Integer> lines, int examples, String kind) {
        if (lines == null || lines.isEmpty()) {
            return List.copyOf(java.util.Collections.nCopies(examples, 0));
        }
        if (lines.size() != examples) {
            throw new IllegalArgumentException(lines.size() + " " + kind + " example lines for " + examples + " examples");
        }
        return List.copyOf(lines);
    }

    /** This rule with {@code enabled} set. */
    public RuleDefinition withEnabled(boolean on) {
        return new RuleDefinition(id, name, category, severity, risk, patterns, requires, unless, unlessOverlapping,
                direction, views, tags, description, references, status, on, matchExamples,
                noMatchExamples, source, line, matchExampleLines, noMatchExampleLines, liftsExemptions, requiresAtLeast);
    }

    /**
     * Every regex of the rule in the order its compiled form numbers them: patterns, requires,
     * unless, unless_overlapping.
     */
    public List<String> regexes() {
        List<String> all = new java.util.ArrayList<>(patterns);
        all.addAll(requires);
        all.addAll(unless);
        all.addAll(unlessOverlapping);
        return all;
    }

    /** {@code source:line}, for messages. */
    public String location() {
        return source + ":" + line;
    }

    /**
     * {@code source:line} of one example ({@code match} or {@code no_match}, by index), or of the rule
     * when the example's line is not known.
     */
    public String exampleLocation(boolean match, int index) {
        int at = (match ? matchExampleLines : noMatchExampleLines).get(index);
        return source + ":" + (at > 0 ? at : line);
    }
}
