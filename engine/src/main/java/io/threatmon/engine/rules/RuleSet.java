package io.threatmon.engine.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A compiled, immutable, thread-safe set of rules: what the analyzer runs. Build one with
 * {@link RuleCollector}, or let {@code ThreatClient.builder()} do it.
 *
 * <pre>{@code
 * RuleSet rules = new RuleCollector().add(pack).compile();
 * rules.rule("pi.ignore_previous").ifPresent(r -> System.out.println(r.name()));
 * }</pre>
 */
public final class RuleSet {

    private final List<CompiledRule> enabled;
    private final Map<String, RuleDefinition> all;
    private final List<PackInfo> packs;
    private final List<Problem> warnings;

    private RuleSet(List<CompiledRule> enabled, Map<String, RuleDefinition> all, List<PackInfo> packs,
            List<Problem> warnings) {
        this.enabled = List.copyOf(enabled);
        this.all = all;
        this.packs = List.copyOf(packs);
        this.warnings = List.copyOf(warnings);
    }

    static RuleSet compile(List<RuleDefinition> definitions, List<RulePack> packs, List<Problem> warnings) {
        List<CompiledRule> compiled = new ArrayList<>();
        List<Problem> errors = new ArrayList<>();
        Map<String, RuleDefinition> all = new LinkedHashMap<>();
        for (RuleDefinition d : definitions) {
            all.put(d.id(), d);
            if (!d.enabled()) {
                continue;
            }
            try {
                compiled.add(new CompiledRule(d));
            } catch (RuntimeException e) {
                errors.add(Problem.error(d.source(), d.line(), "rule '" + d.id() + "' does not compile: " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleLoadException(errors);
        }
        List<PackInfo> infos = new ArrayList<>();
        for (RulePack p : packs) {
            infos.add(new PackInfo(p.name(), p.version(), p.source(), p.rules().size()));
        }
        return new RuleSet(compiled, Map.copyOf(all), infos, warnings);
    }

    /** The enabled rules, in load order. */
    public List<CompiledRule> rules() {
        return enabled;
    }

    /** Every rule, including disabled ones, by id. */
    public Optional<RuleDefinition> rule(String id) {
        return Optional.ofNullable(all.get(id));
    }

    /** Every rule definition, including disabled ones. */
    public List<RuleDefinition> definitions() {
        return all.values().stream()
                .sorted(java.util.Comparator.comparing(RuleDefinition::id))
                .toList();
    }

    /** Number of enabled rules. */
    public int size() {
        return enabled.size();
    }

    /** Total number of regexes across enabled rules (patterns, requires and unless). */
    public int patternCount() {
        return enabled.stream()
                .mapToInt(r -> r.definition().patterns().size() + r.definition().requires().size()
                        + r.definition().unless().size())
                .sum();
    }

    /** The categories the enabled rules detect, sorted. */
    public List<String> categories() {
        return List.copyOf(new TreeSet<>(enabled.stream().map(CompiledRule::category).toList()));
    }

    /** The packs this set was built from, in load order. */
    public List<PackInfo> packs() {
        return packs;
    }

    /** Warnings from reading and merging (the set loaded despite them). */
    public List<Problem> warnings() {
        return warnings;
    }
}
