package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The example alert of shared/reference/siem-formats.md, a builder for variants, JSON helpers. */
abstract class SiemTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long REFERENCE_TIME = 1772627696789L;
    static final String TRICKY = "a|b=c\\d\ne\rf\tg^h \"q\" ]x Привет 🚀";

    /** The reference's alert: pi.ignore_previous, prompt_injection, risk 92, alice, conv-42. */
    static AlertBuilder reference() {
        return new AlertBuilder();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Every field of {@code expected} is in {@code actual} with the same value (objects recursively). */
    static void assertJsonContains(String expected, String actual) {
        assertContains(parse(expected), parse(actual), "$");
    }

    private static void assertContains(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject()) {
            assertTrue(actual != null && actual.isObject(), path + " should be an object in " + actual);
            Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode a = actual.get(e.getKey());
                if (a == null) {
                    fail(path + "." + e.getKey() + " is missing");
                }
                assertContains(e.getValue(), a, path + "." + e.getKey());
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), path + " should be an array");
            assertEquals(expected.size(), actual.size(), path + " size");
            for (int i = 0; i < expected.size(); i++) {
                assertContains(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertTrue(actual.isNumber(), path + " should be a number");
            assertEquals(0, expected.decimalValue().compareTo(actual.decimalValue()), path + ": " + actual);
        } else {
            assertEquals(expected, actual, path);
        }
    }

    /** A mutable builder of {@link Alert}s, starting from the reference alert. */
    static final class AlertBuilder {
        String id = "conv-42-17";
        long timestamp = REFERENCE_TIME;
        int risk = 92;
        String severity = "critical";
        String category = "prompt_injection";
        List<String> categories = List.of("prompt_injection");
        List<String> ruleIds = List.of("pi.ignore_previous");
        List<String> ruleNames = List.of("Ignore previous instructions");
        List<String> tags = List.of("LLM01:2025", "AML.T0051.000");
        String action = "alert";
        String user = "alice";
        String app;
        String model;
        String conversationId = "conv-42";
        String excerpt = "ignore previous instructions a=b";
        long count = 1;

        AlertBuilder id(String v) { id = v; return this; }
        AlertBuilder timestamp(long v) { timestamp = v; return this; }
        AlertBuilder risk(int v) { risk = v; return this; }
        AlertBuilder category(String v) { category = v; return this; }
        AlertBuilder rules(List<String> ids, List<String> names) { ruleIds = ids; ruleNames = names; return this; }
        AlertBuilder tags(List<String> v) { tags = v; return this; }
        AlertBuilder action(String v) { action = v; return this; }
        AlertBuilder user(String v) { user = v; return this; }
        AlertBuilder app(String v) { app = v; return this; }
        AlertBuilder model(String v) { model = v; return this; }
        AlertBuilder conversation(String v) { conversationId = v; return this; }
        AlertBuilder excerpt(String v) { excerpt = v; return this; }
        AlertBuilder count(long v) { count = v; return this; }

        /** Every optional field null or empty. */
        AlertBuilder bare() {
            category = null; categories = null; ruleIds = null; ruleNames = null; tags = null; action = null;
            user = null; app = null; model = null; conversationId = null; excerpt = null; severity = null;
            return this;
        }

        Alert build() {
            return new Alert(id, timestamp, risk, severity, category, categories, ruleIds, ruleNames, tags,
                    action, "rules", user, app, model, "user", conversationId, id, "logs/day.jsonl", 17,
                    excerpt, count);
        }
    }
}
