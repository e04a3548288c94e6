package io.threatmon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.server.RuleDocuments;
import java.util.List;
import java.util.Map;

/**
 * Rules back to the documented YAML rule format (rules/README.md), for {@code rules show} and
 * {@code rules export}; the format itself lives in {@link RuleDocuments}, shared with the MCP resources.
 */
final class RuleYaml {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RuleYaml() {}

    /** A rule's fields in rule-file order; empty optional fields are left out. */
    static Map<String, Object> toMap(RuleDefinition d) {
        return RuleDocuments.toMap(d);
    }

    /** A whole pack in the structured form. */
    static Map<String, Object> pack(String name, String version, String description, List<RuleDefinition> rules) {
        return RuleDocuments.pack(name, version, description, rules);
    }

    static String yaml(Object value) {
        return RuleDocuments.yaml(value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
