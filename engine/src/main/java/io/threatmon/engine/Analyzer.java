package io.threatmon.engine;

import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleDirection;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextView;
import io.threatmon.engine.text.TextViews;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pure detection core: a compiled rule set and a threshold, nothing else (no cache, no
 * logging, no I/O). Immutable and thread-safe; {@link ThreatClient} wraps it for applications and
 * the stream operators use it directly.
 *
 * <pre>{@code
 * Analyzer analyzer = Analyzer.of(RuleLoader.load(RuleLoader.bundled()).orThrow(), 70);
 * AnalysisResult r = analyzer.analyze("Ignore previous instructions", Direction.PROMPT);
 * }</pre>
 */
public final class Analyzer {

    /** Id of the engine's own evidence that a rule fired only in a decoded or de-obfuscated view. */
    public static final String EVASION_RULE_ID = "engine.evasion";

    static final int EXCERPT_CONTEXT = 40;
    static final int EXCERPT_MAX_MATCH = 80;

    private final RuleSet rules;
    private final int threshold;

    private Analyzer(RuleSet rules, int threshold) {
        this.rules = rules;
        this.threshold = threshold;
    }

    /**
     * An analyzer over {@code rules} that calls a risk score at or above {@code threshold} a threat.
     *
     * @throws IllegalArgumentException if the threshold is not 1-100
     */
    public static Analyzer of(RuleSet rules, int threshold) {
        Objects.requireNonNull(rules, "rules");
        if (threshold < 1 || threshold > 100) {
            throw new IllegalArgumentException("threshold must be 1-100, not " + threshold);
        }
        return new Analyzer(rules, threshold);
    }

    public RuleSet rules() {
        return rules;
    }

    public int threshold() {
        return threshold;
    }

    /** Analyzes one text; metadata is left empty. */
    public AnalysisResult analyze(String text, Direction direction) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(direction, "direction");
        long start = System.nanoTime();
        List<TextView> views = TextViews.of(text);
        List<CompiledRule> all = rules.rules();
        boolean[] fired = new boolean[all.size()];
        List<Match> matches = new ArrayList<>();
        boolean evasive = false;
        Match firstEvasive = null;
        // Views in order (raw first), so each rule reports the least-transformed view it fired in.
        for (TextView view : views) {
            AtomHits hits = rules.scan(view.text());
            for (int i = 0; i < all.size(); i++) {
                CompiledRule rule = all.get(i);
                if (fired[i] || !appliesTo(rule, direction) || !view.scannedBy(rule.definition().views())) {
                    continue;
                }
                int[] span = rules.find(rule, view.text(), hits);
                if (span == null) {
                    continue;
                }
                fired[i] = true;
                Match m = match(rule, view, span, text);
                matches.add(m);
                if (view.isEvasive() && !"obfuscation".equals(rule.category())) {
                    evasive = true;
                    if (firstEvasive == null) {
                        firstEvasive = m;
                    }
                }
            }
        }
        if (evasive) {
            matches.add(new Match(EVASION_RULE_ID, "Attack text hidden by encoding or obfuscation", "obfuscation",
                    "medium", Scoring.EVASION_RISK, firstEvasive.view(), firstEvasive.start(), firstEvasive.end(),
                    firstEvasive.excerpt(), List.of("LLM01:2025", "AML.T0068")));
        }
        matches.sort(Comparator.comparingInt(Match::risk).reversed());
        int risk = Scoring.combine(matches.stream().map(Match::risk).toList());
        LinkedHashSet<String> categories = new LinkedHashSet<>();
        List<String> ruleIds = new ArrayList<>(matches.size());
        for (Match m : matches) {
            categories.add(m.category());
            ruleIds.add(m.ruleId());
        }
        long micros = (System.nanoTime() - start) / 1_000;
        return new AnalysisResult(risk >= threshold, risk, RiskLevel.of(risk),
                matches.isEmpty() ? null : matches.get(0).category(), List.copyOf(categories), ruleIds, matches,
                micros, matches.isEmpty() ? DetectionMethod.NONE : DetectionMethod.RULES,
                Action.of(risk, threshold), direction, false, Map.of());
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
                excerpt(view.text(), span[0], span[1]), d.tags());
    }

    /** The matched text with a little context, on one line, shortened in the middle if long. */
    static String excerpt(String text, int start, int end) {
        int from = Math.max(0, start - EXCERPT_CONTEXT);
        int to = Math.min(text.length(), end + EXCERPT_CONTEXT);
        String matched = text.substring(start, end);
        if (matched.length() > EXCERPT_MAX_MATCH) {
            matched = matched.substring(0, EXCERPT_MAX_MATCH / 2) + "…" + matched.substring(matched.length() - EXCERPT_MAX_MATCH / 2);
        }
        String s = (from > 0 ? "…" : "") + text.substring(from, start) + matched + text.substring(end, to) + (to < text.length() ? "…" : "");
        return s.replaceAll("\\s+", " ").strip();
    }
}
