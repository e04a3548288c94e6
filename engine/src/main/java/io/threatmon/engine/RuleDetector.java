package io.threatmon.engine;

import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleDirection;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules as a {@link Detector}: every compiled rule, run in every view it asks for (prefilter,
 * then RE2/J), plus the engine's own {@code engine.evasion} evidence when a rule fired only in a
 * folded or decoded view.
 *
 * <pre>{@code
 * Detector rules = new RuleDetector(RuleLoader.load(RuleLoader.bundled()).orThrow());
 * List<Match> evidence = rules.detect(text, TextViews.of(text), Direction.PROMPT);
 * }</pre>
 */
public final class RuleDetector implements Detector {

    /**
     * Texts longer than two chunks are read in overlapping chunks of this many characters. A rule
     * then runs only where its atoms occur together within a few thousand characters, so a 100 KB
     * document costs about what its pieces cost, not every regex over the whole document; and an
     * {@code unless} exemption or a {@code requires} partner counts only near the match, so
     * padding a document with an exemption phrase far from the attack does not hide it. A match
     * up to {@link #OVERLAP} characters long always lies wholly within one chunk.
     */
    static final int CHUNK = 4096;
    static final int OVERLAP = 1024;

    private final RuleSet rules;
    /** Hit buffers are sized by the rule set, so each thread reuses one rather than allocating per text. */
    private final ThreadLocal<AtomHits> hits;

    public RuleDetector(RuleSet rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.hits = ThreadLocal.withInitial(rules::newHits);
    }

    public RuleSet rules() {
        return rules;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public DetectionMethod method() {
        return DetectionMethod.RULES;
    }

    @Override
    public List<Match> detect(String text, List<TextView> views, Direction direction) {
        List<CompiledRule> all = rules.rules();
        java.util.Set<Integer> fired = new java.util.HashSet<>();
        List<Match> matches = new ArrayList<>();
        boolean evasive = false;
        Match firstEvasive = null;
        // Views in order (raw first), so each rule reports the least-transformed view it fired in.
        AtomHits hits = this.hits.get();
        for (TextView view : views) {
          String whole = view.text();
          for (int from = 0; ; from += CHUNK - OVERLAP) {
            int to = whole.length() <= 2 * CHUNK ? whole.length() : Math.min(whole.length(), from + CHUNK);
            String part = from == 0 && to == whole.length() ? whole : whole.substring(from, to);
            rules.scan(part, hits);
            for (int i : rules.candidates(hits)) {
                CompiledRule rule = all.get(i);
                if (fired.contains(i) || !appliesTo(rule, direction) || !view.scannedBy(rule.definition().views())) {
                    continue;
                }
                int[] span = rules.find(rule, part, hits);
                if (span == null) {
                    continue;
                }
                span = new int[] {span[0] + from, span[1] + from};
                fired.add(i);
                Match m = match(rule, view, span, text);
                matches.add(m);
                if (view.isEvasive() && !"obfuscation".equals(rule.category())) {
                    evasive = true;
                    if (firstEvasive == null) {
                        firstEvasive = m;
                    }
                }
            }
            if (to == whole.length()) {
                break;
            }
          }
        }
        if (evasive) {
            matches.add(new Match(Analyzer.EVASION_RULE_ID, "Attack text hidden by encoding or obfuscation", "obfuscation",
                    "medium", Scoring.EVASION_RISK, firstEvasive.view(), firstEvasive.start(), firstEvasive.end(),
                    firstEvasive.excerpt(), List.of("LLM01:2025", "AML.T0068")));
        }
        return matches;
    }

    private static boolean appliesTo(CompiledRule rule, Direction direction) {
        RuleDirection d = rule.definition().direction();
        return d == RuleDirection.BOTH
                || (d == RuleDirection.PROMPT && direction == Direction.PROMPT)
                || (d == RuleDirection.RESPONSE && direction == Direction.RESPONSE);
    }

    private static Match match(CompiledRule rule, TextView view, int[] span, String original) {
        int start = view.originalStart(span[0]);
        int end = view.originalEnd(span[1], original);
        var d = rule.definition();
        return new Match(d.id(), d.name(), d.category(), d.severity().id(), d.risk(), view.label(), start, end,
                Analyzer.excerpt(view.text(), span[0], span[1]), d.tags());
    }
}
