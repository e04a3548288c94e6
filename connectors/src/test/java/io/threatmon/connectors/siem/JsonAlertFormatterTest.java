package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonAlertFormatterTest extends SiemTestBase {

    private final AlertFormatter json = AlertFormatter.json();

    @Test
    void shouldWriteEverySnakeCaseFieldInOrder() {
        JsonNode o = parse(json.format(reference().build()));
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("alert_id", "time", "severity", "risk_score", "category", "categories", "rules",
                "rule_names", "tags", "owasp", "atlas", "action", "detection_method", "user", "app", "model", "role",
                "conversation_id", "message_id", "source", "line", "excerpt", "count"), names);
    }

    @Test
    void shouldDescribeTheReferenceAlert() {
        assertJsonContains("""
                {"alert_id":"conv-42-17","time":"2026-03-04T12:34:56.789Z","severity":"critical","risk_score":92,
                 "category":"prompt_injection","rules":["pi.ignore_previous"],"rule_names":["Ignore previous instructions"],
                 "owasp":["LLM01:2025"],"atlas":["AML.T0051.000"],"user":"alice","app":null,
                 "conversation_id":"conv-42","line":17,"excerpt":"ignore previous instructions a=b","count":1}""",
                json.format(reference().build()));
    }

    @Test
    void shouldKeepNullsAndEmptyListsSoTheSchemaIsStable() {
        JsonNode o = parse(json.format(reference().bare().build()));
        assertTrue(o.get("user").isNull());
        assertTrue(o.get("rules").isArray() && o.get("rules").isEmpty());
    }

    @Test
    void shouldRoundTripTrickyTextOnOneLine() {
        String line = json.format(reference().excerpt(TRICKY).build());
        assertFalse(line.contains("\n") || line.contains("\r"));
        assertEquals(TRICKY, parse(line).get("excerpt").asText());
    }

    @Test
    void shouldWriteMillisecondsEvenOnAWholeSecond() {
        assertEquals("2026-03-04T12:34:56.000Z",
                parse(json.format(reference().timestamp(1772627696000L).build())).get("time").asText());
    }
}
