package io.threatmon.benchmarks;

import io.threatmon.connectors.BenchmarkTexts;
import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.rules.RuleSet;

/**
 * What every benchmark measures on: the texts (a small rotation of distinct texts per size and
 * kind, so the JIT and the branch predictor cannot learn one input) and the clients (no cache
 * unless asked, no logging: a benchmark measures the analysis, not the log handler).
 *
 * <pre>{@code
 * String[] texts = BenchmarkInputs.texts("medium", "attack");
 * ThreatClient client = BenchmarkInputs.client("rules+model");
 * }</pre>
 */
public final class BenchmarkInputs {

    /** Distinct texts each benchmark cycles through. */
    public static final int ROTATION = 16;
    /** Seed of the first text; text i uses SEED + i. */
    public static final long SEED = 7;

    private static final BenchmarkTexts TEXTS = BenchmarkTexts.load();

    private BenchmarkInputs() {}

    /**
     * {@link #ROTATION} texts of {@code size} (short, medium, long) and {@code kind} (benign, or
     * attack: an injection inside benign context, at the end of long texts).
     */
    public static String[] texts(String size, String kind) {
        BenchmarkTexts.Size s = BenchmarkTexts.Size.parse(size);
        String[] out = new String[ROTATION];
        for (int i = 0; i < ROTATION; i++) {
            out[i] = switch (kind) {
                case "benign" -> TEXTS.benign(s, SEED + i);
                case "attack" -> TEXTS.attack(s, SEED + i);
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "' (expected benign or attack)");
            };
        }
        return out;
    }

    /** A client without cache: {@code rules} (bundled rules only) or {@code rules+model} (and the bundled model). */
    public static ThreatClient client(String detectors) {
        boolean model = switch (detectors) {
            case "rules" -> false;
            case "rules+model" -> true;
            default -> throw new IllegalArgumentException("unknown detectors '" + detectors + "' (expected rules or rules+model)");
        };
        return ThreatClient.builder().model(model).cacheSize(0).logDetections(false).build();
    }

    /** A client without cache or model on a given rule set. */
    public static ThreatClient client(RuleSet rules) {
        return ThreatClient.builder().ruleSet(rules).cacheSize(0).logDetections(false).build();
    }
}
