package io.threatmon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.ViewKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules back to the documented YAML rule format (rules/README.md), for {@code rules show} and {@code rules export}. */
final class RuleYaml {

    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RuleYaml() {}

    /** A rule's fields in rule-file order; empty optional fields are left out. */
    static Map<String, Object> toMap(RuleDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("category", d.category());
        m.put("severity", d.severity().id());
        m.put("risk", d.risk());
        m.put("patterns", d.patterns());
        putIfAny(m, "requires", d.requires());
        putIfAny(m, "unless", d.unless());
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
        if (!d.matchExamples().isEmpty() || !d.noMatchExamples().isEmpty()) {
            Map<String, Object> ex = new LinkedHashMap<>();
            putIfAny(ex, "match", d.matchExamples());
            putIfAny(ex, "no_match", d.noMatchExamples());
            m.put("examples", ex);
        }
        return m;
    }

    /** A whole pack in the structured form. */
    static Map<String, Object> pack(String name, String version, String description, List<RuleDefinition> rules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pack", name);
        m.put("version", version);
        m.put("description", description);
        m.put("rules", rules.stream().map(RuleYaml::toMap).toList());
        return m;
    }

    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static void putIfAny(Map<String, Object> m, String key, List<?> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }
}
