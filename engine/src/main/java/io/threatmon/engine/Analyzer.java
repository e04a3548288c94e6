package io.threatmon.engine;

import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.Normalizer;
import io.threatmon.engine.text.TextView;
import io.threatmon.engine.text.TextViews;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pure detection core: detectors (the rules, and optionally the statistical model or any other
 * {@link Detector}) and a threshold, nothing else (no cache, no logging, no I/O). Immutable and
 * thread-safe; {@link ThreatClient} wraps it for applications and the stream operators use it
 * directly.
 *
 * <p>Each text's views are computed once and given to every detector; their evidence is combined
 * with {@link Scoring#combine} (strongest first, each further piece corroborates), so a model score
 * just under the threshold plus a medium rule is a threat, and neither alone is.
 *
 * <pre>{@code
 * Analyzer rulesOnly = Analyzer.of(RuleLoader.load(RuleLoader.bundled()).orThrow(), 70);
 * Analyzer combined = Analyzer.of(rules, 70, List.of(ModelDetector.bundled()));
 * AnalysisResult r = combined.analyze("Ignore previous instructions", Direction.PROMPT);
 * }</pre>
 */
public final class Analyzer {

    /** Id of the engine's own evidence that a rule fired only in a decoded or de-obfuscated view. */
    public static final String EVASION_RULE_ID = "engine.evasion";

    static final int EXCERPT_CONTEXT = 40;
    static final int EXCERPT_MAX_MATCH = 80;

    private final RuleSet rules;
    private final List<Detector> detectors;
    private final int threshold;

    private Analyzer(RuleSet rules, List<Detector> detectors, int threshold) {
        this.rules = rules;
        this.detectors = detectors;
        this.threshold = threshold;
    }

    /**
     * An analyzer over {@code rules} alone that calls a risk score at or above {@code threshold} a threat.
     *
     * @throws IllegalArgumentException if the threshold is not 1-100
     */
    public static Analyzer of(RuleSet rules, int threshold) {
        return of(rules, threshold, List.of());
    }

    /**
     * An analyzer over {@code rules} and further detectors (the statistical model, a remote
     * detector …), whose evidence is combined with the rules'.
     *
     * @throws IllegalArgumentException if the threshold is not 1-100
     */
    public static Analyzer of(RuleSet rules, int threshold, List<? extends Detector> more) {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(more, "more");
        if (threshold < 1 || threshold > 100) {
            throw new IllegalArgumentException("threshold must be 1-100, not " + threshold);
        }
        List<Detector> all = new ArrayList<>();
        all.add(new RuleDetector(rules));
        for (Detector d : more) {
            all.add(Objects.requireNonNull(d, "detector"));
        }
        return new Analyzer(rules, List.copyOf(all), threshold);
    }

    public RuleSet rules() {
        return rules;
    }

    /** Every detector, the rules first. */
    public List<Detector> detectors() {
        return detectors;
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
        List<Match> matches = new ArrayList<>();
        List<Match> ruleMatches = new ArrayList<>();
        boolean byRules = false;
        boolean byModel = false;
        for (Detector d : detectors) {
            List<Match> found = d.detect(text, views, direction);
            if (found.isEmpty()) {
                continue;
            }
            matches.addAll(found);
            if (d.method() == DetectionMethod.RULES) {
                byRules = true;
                ruleMatches.addAll(found);
            } else {
                byModel = true;
            }
        }
        int risk;
        if (RuleDetector.isDocument(text.length())) {
            // A document's evidence corroborates only within a passage (Scoring.combineNear). A rule
            // may have matched in several places; each is reported once, where the risk is.
            int passage = 2 * RuleDetector.PASSAGE_RADIUS;
            Scoring.Passage riskiest = Scoring.riskiestPassage(matches, passage);
            risk = riskiest.risk();
            matches = onePerRule(matches, riskiest.start(), passage);
            ruleMatches = onePerRule(ruleMatches, riskiest.start(), passage);
        } else {
            risk = Scoring.combine(matches.stream().map(Match::risk).toList());
        }
        // Stable sort: on equal risk, rules come before model evidence.
        matches.sort(Comparator.comparingInt(Match::risk).reversed());
        ruleMatches.sort(Comparator.comparingInt(Match::risk).reversed());
        LinkedHashSet<String> categories = new LinkedHashSet<>();
        List<String> ruleIds = new ArrayList<>(ruleMatches.size());
        for (Match m : ruleMatches) {
            categories.add(m.category());
            ruleIds.add(m.ruleId());
        }
        for (Match m : matches) {
            categories.add(m.category());
        }
        String threatType = categories.isEmpty() ? null : categories.iterator().next();
        long micros = (System.nanoTime() - start) / 1_000;
        return new AnalysisResult(risk >= threshold, risk, RiskLevel.of(risk), threatType, List.copyOf(categories),
                ruleIds, matches, micros, DetectionMethod.of(byRules, byModel), Action.of(risk, threshold), direction,
                false, Map.of());
    }

    /**
     * Each rule's match in the passage {@code [at, at + passage)} when it has one there, else its
     * first, in the order found. Evidence without a rule id (none today) is kept as it is.
     */
    private static List<Match> onePerRule(List<Match> found, int at, int passage) {
        Map<String, Match> chosen = new java.util.LinkedHashMap<>();
        for (Match m : found) {
            Match prev = chosen.get(m.ruleId());
            boolean inPassage = m.start() >= at && m.start() < at + passage;
            if (prev == null || (inPassage && !(prev.start() >= at && prev.start() < at + passage))) {
                chosen.put(m.ruleId(), m);
            }
        }
        return new ArrayList<>(chosen.values());
    }

    /** The matched text with a little context, on one line, shortened in the middle if long. */
    static String excerpt(String text, int start, int end) {
        // every cut is moved off the middle of a surrogate pair
        int from = Normalizer.charBoundary(text, Math.max(0, start - EXCERPT_CONTEXT));
        int to = Normalizer.charBoundary(text, Math.min(text.length(), end + EXCERPT_CONTEXT));
        String matched = text.substring(start, end);
        if (matched.length() > EXCERPT_MAX_MATCH) {
            int head = Normalizer.charBoundary(matched, EXCERPT_MAX_MATCH / 2);
            int tail = Normalizer.charBoundary(matched, matched.length() - EXCERPT_MAX_MATCH / 2);
            matched = matched.substring(0, head) + "…" + matched.substring(tail);
        }
        String s = (from > 0 ? "…" : "") + text.substring(from, start) + matched + text.substring(end, to) + (to < text.length() ? "…" : "");
        return s.replaceAll("\\s+", " ").strip();
    }
}
