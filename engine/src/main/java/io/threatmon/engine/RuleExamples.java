package io.threatmon.engine;

import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextView;
import io.threatmon.engine.text.TextViews;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code examples} rules carry: each {@code match} text must make its rule fire, each
 * {@code no_match} text must not. This is a per-rule check, independent of the threshold.
 *
 * <pre>{@code
 * List<RuleExamples.Failure> failures = RuleExamples.check(ruleSet);
 * failures.forEach(System.err::println);
 * }</pre>
 */
public final class RuleExamples {

    private RuleExamples() {}

    /**
     * An example that did not behave as the rule says it should.
     *
     * @param location {@code source:line} of the example (of the rule when the example's line is unknown)
     */
    public record Failure(RuleDefinition rule, String example, boolean expectedMatch, String location) {
        @Override
        public String toString() {
            return location + ": rule " + rule.id() + (expectedMatch ? " should match " : " should not match ")
                    + quote(example);
        }

        private static String quote(String s) {
            String one = s.replaceAll("\\s+", " ");
            return "\"" + (one.length() > 100 ? one.substring(0, 100) + "…" : one) + "\"";
        }
    }

    /** Every failing example of every enabled rule. */
    public static List<Failure> check(RuleSet rules) {
        List<Failure> failures = new ArrayList<>();
        for (CompiledRule rule : rules.rules()) {
            failures.addAll(check(rules, rule));
        }
        return failures;
    }

    /** The failing examples of one rule of {@code rules}. */
    public static List<Failure> check(RuleSet rules, CompiledRule rule) {
        List<Failure> failures = new ArrayList<>();
        RuleDefinition d = rule.definition();
        for (int i = 0; i < d.matchExamples().size(); i++) {
            String text = d.matchExamples().get(i);
            if (!fires(rules, rule, text)) {
                failures.add(new Failure(d, text, true, d.exampleLocation(true, i)));
            }
        }
        for (int i = 0; i < d.noMatchExamples().size(); i++) {
            String text = d.noMatchExamples().get(i);
            if (fires(rules, rule, text)) {
                failures.add(new Failure(d, text, false, d.exampleLocation(false, i)));
            }
        }
        return failures;
    }

    /** Whether {@code rule} fires on {@code text} in any view it scans, exactly as analysis decides it. */
    public static boolean fires(RuleSet rules, CompiledRule rule, String text) {
        for (TextView view : TextViews.of(text)) {
            if (view.scannedBy(rule.definition().views()) && rules.find(rule, view.text()) != null) {
                return true;
            }
        }
        return false;
    }

    /** Rules with fewer than {@code min} match or no_match examples. */
    public static List<RuleDefinition> underExampled(RuleSet rules, int min) {
        return rules.rules().stream().map(CompiledRule::definition)
                .filter(d -> d.matchExamples().size() < min || d.noMatchExamples().size() < min)
                .toList();
    }
}
