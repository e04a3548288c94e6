package io.threatmon.server.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools' JSON input schemas. Size limits are checked by the tools, so their errors can name the flag. */
final class Schemas {

    /** upstream's {@code mode} values; this server analyses with its own configured mode whatever is asked. */
    static final List<String> MODES = List.of("auto", "local", "api", "hybrid");

    private Schemas() {}

    static Map<String, Object> analyzePrompt() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("prompt", prop("string", "The text to analyse (a user prompt, a document, a tool output …)."));
        p.put("include_details", withDefault(prop("boolean", "Also return the matched rules and their evidence "
                + "(view, offsets, excerpt, OWASP/ATLAS tags)."), false));
        p.put("include_confidence", withDefault(prop("boolean", "Return confidence_score: how far the risk is from "
                + "the threshold (0.5 on it, 1.0 at 0 or 100), not a probability."), true));
        Map<String, Object> mode = prop("string", "Accepted for compatibility; this server analyses with its own "
                + "configured mode, reported in detection_method.");
        mode.put("enum", MODES);
        p.put("mode", withDefault(mode, "auto"));
        Map<String, Object> dir = prop("string", "prompt (default) or response: scan a model's answer for leaks.");
        dir.put("enum", List.of("prompt", "response"));
        p.put("direction", withDefault(dir, "prompt"));
        return object(p, List.of("prompt"));
    }

    static Map<String, Object> batchAnalyze() {
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> prompts = prop("array", "The texts to analyse, in order.");
        prompts.put("items", Map.of("type", "string"));
        p.put("prompts", prompts);
        p.put("include_summary", withDefault(prop("boolean", "Add a summary: threat/safe/blocked counts, average "
                + "risk, category distribution, highest-risk prompt."), true));
        p.put("include_details", withDefault(prop("boolean", "Add each text's matched rules and evidence."), false));
        return object(p, List.of("prompts"));
    }

    static Map<String, Object> statistics() {
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> range = prop("string", "How far back to look.");
        range.put("enum", List.of("1h", "24h", "7d", "30d"));
        p.put("time_range", withDefault(range, "24h"));
        Map<String, Object> group = prop("string", "How to group the counts (time: hourly for 1h/24h, daily for 7d/30d).");
        group.put("enum", List.of("threat_type", "risk_level", "detection_method", "time"));
        p.put("group_by", withDefault(group, "threat_type"));
        return object(p, List.of());
    }

    static Map<String, Object> validateRule() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("yaml", prop("string", "A rule pack: 'rules:' with id, name, category, severity or risk, patterns "
                + "(RE2 regexes), optional requires/unless/examples; see rules://rule/pi.ignore_previous for one."));
        return object(p, List.of("yaml"));
    }

    static Map<String, Object> testRule() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("yaml", prop("string", "A rule pack, as for validate_rule."));
        Map<String, Object> samples = prop("array", "Texts to run the rules on: attacks they should catch and "
                + "ordinary texts they must not.");
        samples.put("items", Map.of("type", "string"));
        p.put("samples", samples);
        return object(p, List.of("yaml", "samples"));
    }

    private static Map<String, Object> prop(String type, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("description", description);
        return m;
    }

    private static Map<String, Object> withDefault(Map<String, Object> prop, Object value) {
        prop.put("default", value);
        return prop;
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        m.put("properties", properties);
        m.put("required", required);
        return m;
    }
}
