package io.threatmon.engine.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The second stage of loading: merges packs in order. A later pack's rule with an existing id
 * replaces the earlier rule (with a warning naming both places); a toggle switches it on or off.
 * Not thread-safe: build, then {@link #compile()}.
 *
 * <pre>{@code
 * RuleCollector c = new RuleCollector();
 * for (RuleLoader.Source s : RuleLoader.bundled()) {
 *     c.add(RulePackReader.read(s.content(), s.name()).pack());
 * }
 * c.add(RulePackReader.read(yaml, "custom.yml").pack());
 * RuleSet rules = c.compile();
 * }</pre>
 */
public final class RuleCollector {

    private final Map<String, RuleDefinition> rules = new LinkedHashMap<>();
    private final List<RulePack> packs = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    /** Adds a pack on top of those added before. */
    public RuleCollector add(RulePack pack) {
        if (pack == null) {
            throw new IllegalArgumentException("pack is null: a pack that failed to read cannot be added");
        }
        for (RuleDefinition r : pack.rules()) {
            RuleDefinition earlier = rules.remove(r.id());
            if (earlier != null) {
                problems.add(Problem.warning(r.source(), r.line(),
                        "rule '" + r.id() + "' overrides the one at " + earlier.location()));
            }
            rules.put(r.id(), r);
        }
        for (RulePack.Toggle t : pack.toggles()) {
            RuleDefinition earlier = rules.get(t.ruleId());
            if (earlier == null) {
                problems.add(Problem.warning(pack.source(), t.line(),
                        "cannot " + (t.enabled() ? "enable" : "disable") + " rule '" + t.ruleId()
                                + "': no earlier pack defines it"));
            } else {
                rules.put(t.ruleId(), earlier.withEnabled(t.enabled()));
            }
        }
        packs.add(pack);
        return this;
    }

    /** Warnings from merging (overrides, toggles of unknown rules). */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Every rule after merging, enabled or not, in load order. */
    public List<RuleDefinition> rules() {
        return List.copyOf(rules.values());
    }

    /**
     * The third stage: compiles the merged, enabled rules into an immutable, thread-safe set.
     *
     * @throws RuleLoadException if a regex fails to compile (the reader normally catches this first)
     */
    public RuleSet compile() {
        return compile(List.of());
    }

    RuleSet compile(List<Problem> readerWarnings) {
        List<Problem> warnings = new ArrayList<>(readerWarnings);
        warnings.addAll(problems);
        return RuleSet.compile(rules(), packs, warnings);
    }
}
