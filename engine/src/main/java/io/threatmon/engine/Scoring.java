package io.threatmon.engine;

import java.util.List;

/**
 * How evidence becomes a risk score. Each fired rule has a base risk r (its {@code risk}, or
 * from its severity: critical 95, high 80, medium 60, low 35). Rules are taken strongest first:
 * the score starts at the strongest r, and each further rule closes half of the remaining gap in
 * proportion to its own risk: {@code risk += (100 − risk) × r/100 × 0.5}. One high rule alone is
 * a threat at the default threshold 70; one medium rule is not; two medium rules together are
 * (60 → 72); more evidence never lowers the score and it never exceeds 100.
 *
 * <p>In a long document, pieces of evidence corroborate each other only within a passage
 * ({@link #combineNear}): two medium rules 50 KB apart are two unrelated weak signals, not one
 * attack seen twice, and the chance of finding some pair grows with the document's length.
 *
 * <pre>{@code
 * int risk = Scoring.combine(List.of(80, 60)); // 80 + 20 × 0.6 × 0.5 = 86
 * }</pre>
 */
public final class Scoring {

    /** Default threat threshold: a risk score at or above it is a threat. */
    public static final int DEFAULT_THRESHOLD = 70;

    /** Base risk of the engine's own evidence that a rule fired only after decoding or de-obfuscating. */
    public static final int EVASION_RISK = 60;

    /** How much each further rule closes of the remaining gap to 100, at full strength. */
    static final double CORROBORATION = 0.5;

    private Scoring() {}

    /**
     * The risk of the riskiest passage: {@link #combine} over the matches that start within
     * {@code passage} characters of each other (from each match's start on), the highest of those.
     * With every match in one passage this is {@code combine} of all of them.
     *
     * <pre>{@code
     * // two medium matches 30,000 characters apart: 60, not the 72 they make together
     * int risk = Scoring.combineNear(matches, 1_000);
     * }</pre>
     */
    public static int combineNear(List<Match> matches, int passage) {
        return riskiestPassage(matches, passage).risk();
    }

    /** A passage of evidence: where it starts (-1: no evidence at all) and its combined risk. */
    public record Passage(int start, int risk) {}

    /**
     * The riskiest passage of {@link #combineNear}: it starts at a match's start (the first such on
     * a tie).
     */
    public static Passage riskiestPassage(List<Match> matches, int passage) {
        int[] starts = matches.stream().mapToInt(Match::start).sorted().distinct().toArray();
        Passage best = new Passage(-1, 0);
        for (int from : starts) {
            int risk = combine(risksIn(matches, from, passage));
            if (best.start() < 0 || risk > best.risk()) {
                best = new Passage(from, risk);
            }
        }
        return best;
    }

    /** The risks of the matches that start in {@code [from, from + passage)}, one per rule (its highest). */
    private static List<Integer> risksIn(List<Match> matches, int from, int passage) {
        java.util.Map<String, Integer> byRule = new java.util.HashMap<>();
        for (Match m : matches) {
            if (m.start() >= from && m.start() < from + passage) {
                byRule.merge(m.ruleId(), m.risk(), Math::max);
            }
        }
        return List.copyOf(byRule.values());
    }

    /** Combines base risks (any order) into a score 0-100. */
    public static int combine(List<Integer> risks) {
        if (risks.isEmpty()) {
            return 0;
        }
        int[] sorted = risks.stream().mapToInt(Integer::intValue).sorted().toArray();
        double risk = sorted[sorted.length - 1];
        for (int k = sorted.length - 2; k >= 0; k--) {
            risk += (100 - risk) * (sorted[k] / 100.0) * CORROBORATION;
        }
        return (int) Math.min(100, Math.round(risk));
    }
}
