package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest extends ReportTestBase {

    private static final List<String> REQUIRED = List.of("report_version", "run", "time_range", "total_messages",
            "threat_messages", "threat_rate", "untimed_messages", "dead_letters", "dead_letter_reasons",
            "dead_letter_examples", "distinct_users", "distinct_apps", "distinct_conversations", "mean_analysis_micros",
            "by_category", "by_severity", "top_rules", "by_role", "by_user", "by_app", "time_series", "risk_histogram",
            "top_conversations", "examples");

    @Test
    void shouldUseSnakeCaseFieldsInReportOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(accumulate(fixtureDay()).result(run())));
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(REQUIRED, fields);
        assertEquals(0.3, json.get("threat_rate").asDouble());
        assertEquals("2025-05-01T00:05:00Z", json.at("/time_range/first").asText());
        assertEquals(2, json.at("/by_category/prompt_injection").asInt());
        assertEquals("alice", json.at("/by_user/0/name").asText());
        assertEquals(0.5, json.at("/by_user/0/threat_rate").asDouble());
        assertEquals("hour", json.at("/time_series/granularity").asText());
        assertEquals("LLM01:2025", json.at("/run/category_tags/prompt_injection/0").asText());
        assertEquals("2025-05-02T03:00:00Z", json.at("/run/started_at").asText());
        assertEquals(92, json.at("/examples/prompt_injection/0/risk_score").asInt());
        assertTrue(json.at("/examples/prompt_injection/0/text").isNull());
    }

    @Test
    void shouldReadBackTheSameReport() throws Exception {
        AuditAccumulator acc = accumulate(randomMessages(3, 400));
        acc.addDeadLetter("a.jsonl", 3, "invalid_json: x");
        AuditReport report = acc.result(run());
        assertEquals(report, JsonReport.parse(JsonReport.render(report)));
    }

    @Test
    void shouldRenderAnEmptyReport() throws Exception {
        AuditReport empty = new AuditAccumulator().result(RunMetadata.builder().build());
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(empty));
        assertEquals(0, json.get("total_messages").asInt());
        assertTrue(json.at("/time_range/first").isNull());
        assertEquals(0, json.at("/time_series/buckets").size());
        assertEquals(empty, JsonReport.parse(JsonReport.render(empty)));
    }
}
