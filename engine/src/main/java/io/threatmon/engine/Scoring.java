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
