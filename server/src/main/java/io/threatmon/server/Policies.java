package io.threatmon.server;

import io.threatmon.engine.Action;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Policy templates ({@code policy://template/{name}}): a threshold and what each action means at
 * that threshold, in the engine's own terms (block ≥ T, review ≥ T−20, warn ≥ T−40), with the flags
 * that apply them. strict catches more at the cost of more reviews; permissive blocks only what is
 * near-certain.
 *
 * <pre>{@code
 * Map<String, Object> strict = Policies.template("strict").orElseThrow();
 * }</pre>
 */
public final class Policies {

    /** The template names, strictest first. */
    public static final List<String> NAMES = List.of("strict", "balanced", "permissive");

    private Policies() {}

    /** The template called {@code name} (any case), or empty. */
    public static Optional<Map<String, Object>> template(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "strict" -> Optional.of(policy(n, 50, true,
                    "High-risk applications (agents with tools, access to private data): block on one medium "
                            + "rule, review anything a low rule flags, and add the statistical model."));
            case "balanced" -> Optional.of(policy(n, 70, false,
                    "The default: one high or critical rule, or two medium rules together, block; a single "
                            + "medium rule goes to review."));
            case "permissive" -> Optional.of(policy(n, 85, false,
                    "Low-risk, high-volume traffic (internal tools, research): block only critical rules or "
                            + "strongly corroborated evidence; everything else is logged for review."));
            default -> Optional.empty();
        };
    }

    private static Map<String, Object> policy(String name, int threshold, boolean model, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", name);
        m.put("description", description);
        m.put("threshold", threshold);
        Map<String, Object> actions = new LinkedHashMap<>();
        actions.put(Action.BLOCK.id(), "risk >= " + threshold);
        actions.put(Action.REVIEW.id(), "risk >= " + Math.max(0, threshold - 20) + " and < " + threshold);
        actions.put(Action.WARN.id(), "risk >= " + Math.max(1, threshold - 40) + " and < " + Math.max(0, threshold - 20)
                + " (when any rule fired)");
        actions.put(Action.ALLOW.id(), "everything else");
        m.put("actions", actions);
        m.put("model", model);
        m.put("hybrid_band", "risk >= " + Math.max(1, threshold - 20) + " and < " + Math.min(101, threshold + 10)
                + " goes to the server in HYBRID mode");
        Map<String, Object> apply = new LinkedHashMap<>();
        apply.put("cli", "--threshold " + threshold + (model ? " --model" : ""));
        apply.put("environment", "THREATMON_THRESHOLD=" + threshold + (model ? " THREATMON_MODEL=true" : ""));
        apply.put("java", "ThreatClient.builder().threshold(" + threshold + ")" + (model ? ".model(true)" : "") + ".build()");
        m.put("apply", apply);
        return m;
    }
}
