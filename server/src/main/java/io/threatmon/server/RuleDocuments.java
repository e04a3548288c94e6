package io.threatmon.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.PackInfo;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.rules.ViewKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rules as documents: back to the rule-file YAML format (rules/README.md), and the summaries the
 * MCP resources, the HTTP API and {@code threatmon rules} show.
 *
 * <pre>{@code
 * String yaml = RuleDocuments.yaml(RuleDocuments.toMap(ruleSet.rule("pi.ignore_previous").orElseThrow()));
 * Map<String, Object> index = RuleDocuments.index(ruleSet);
 * }</pre>
 */
public final class RuleDocuments {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private RuleDocuments() {}

    /** A rule's fields in rule-file order; empty optional fields are left out. */
    public static Map<String, Object> toMap(RuleDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("category", d.category());
        m.put("severity", d.severity().id());
        m.put("risk", d.risk());
        m.put("patterns", d.patterns());
        putIfAny(m, "requires", d.requires());
        if (d.requiresAtLeast() > 1) {
            m.put("requires_at_least", d.requiresAtLeast());
        }
        putIfAny(m, "unless", d.unless());
        putIfAny(m, "unless_overlapping", d.unlessOverlapping());
        m.put("direction", d.direction().id());
        if (!d.views().equals(ViewKind.ALL)) {
            m.put("views", d.views().stream().map(ViewKind::id).toList());
        }
        putIfAny(m, "tags", d.tags());
        if (d.description() != null && !d.description().isBlank()) {
            m.put("description", d.description());
        }
        putIfAny(m, "references", d.references());
        m.put("status", d.status());
        m.put("enabled", d.enabled());
        if (d.liftsExemptions()) {
            m.put("lifts_exemptions", true);
        }
        if (!d.matchExamples().isEmpty() || !d.noMatchExamples().isEmpty()) {
            Map<String, Object> ex = new LinkedHashMap<>();
            putIfAny(ex, "match", d.matchExamples());
            putIfAny(ex, "no_match", d.noMatchExamples());
            m.put("examples", ex);
        }
        return m;
    }

    /** A whole pack in the structured rule-file form. */
    public static Map<String, Object> pack(String name, String version, String description, List<RuleDefinition> rules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pack", name);
        m.put("version", version);
        m.put("description", description);
        m.put("rules", rules.stream().map(RuleDocuments::toMap).toList());
        return m;
    }

    /** One line per rule: id, name, category, severity, risk, enabled, source. */
    public static Map<String, Object> summary(RuleDefinition d) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", d.id());
        r.put("name", d.name());
        r.put("category", d.category());
        r.put("severity", d.severity().id());
        r.put("risk", d.risk());
        r.put("enabled", d.enabled());
        r.put("tags", d.tags());
        r.put("source", d.location());
        return r;
    }

    /** Every rule (including disabled ones) of {@code category}, sorted by id; empty if none. */
    public static List<RuleDefinition> inCategory(RuleSet rules, String category) {
        return rules.definitions().stream().filter(d -> d.category().equalsIgnoreCase(category.trim())).toList();
    }

    /** Every category with its number of enabled rules, sorted by name. */
    public static Map<String, Integer> categoryCounts(RuleSet rules) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CompiledRule r : rules.rules()) {
            counts.merge(r.category(), 1, Integer::sum);
        }
        return counts;
    }

    /** The rule set's packs, categories (with their resource URIs) and a summary of every rule. */
    public static Map<String, Object> index(RuleSet rules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_count", rules.size());
        m.put("pattern_count", rules.patternCount());
        m.put("packs", packs(rules));
        List<Map<String, Object>> categories = new ArrayList<>();
        categoryCounts(rules).forEach((c, n) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("category", c);
            e.put("rules", n);
            e.put("uri", "rules://category/" + c);
            categories.add(e);
        });
        m.put("categories", categories);
        List<Map<String, Object>> all = new ArrayList<>();
        for (RuleDefinition d : rules.definitions()) {
            Map<String, Object> s = summary(d);
            s.put("uri", "rules://rule/" + d.id());
            all.add(s);
        }
        m.put("rules", all);
        return m;
    }

    /** The packs in load order: name, version, source, rule count. */
    public static List<Map<String, Object>> packs(RuleSet rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PackInfo p : rules.packs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("version", p.version());
            m.put("source", p.source());
            m.put("rule_count", p.ruleCount());
            out.add(m);
        }
        return out;
    }

    /** YAML text of a value (no document marker). */
    public static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    private static void putIfAny(Map<String, Object> m, String key, List<?> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }
}
