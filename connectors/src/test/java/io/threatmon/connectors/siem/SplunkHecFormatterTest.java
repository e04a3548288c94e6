package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SplunkHecFormatterTest extends SiemTestBase {

    private static final String REFERENCE = """
            {"time":1772627696.789,"host":"audit-1","source":"threatmon","sourcetype":"threatmon:alert","index":"security","fields":{"rule_id":"pi.ignore_previous","category":"prompt_injection"},"event":{"risk_score":92,"severity":"critical","conversation_id":"conv-42","owasp":"LLM01:2025","atlas":"AML.T0051.000"}}""";

    @Test
    void shouldContainEveryFieldOfTheReferenceExample() {
        String event = AlertFormatter.splunkHec("audit-1", "security").format(reference().build());
        assertJsonContains(REFERENCE, event);
        assertTrue(event.startsWith("{\"time\":1772627696.789,\"host\":\"audit-1\",\"source\":\"threatmon\","
                + "\"sourcetype\":\"threatmon:alert\",\"index\":\"security\",\"fields\":"), event);
    }

    @Test
    void shouldLeaveHostAndIndexToTheTokenByDefault() {
        JsonNode e = parse(AlertFormatter.splunkHec().format(reference().build()));
        assertTrue(e.get("host") == null && e.get("index") == null);
        assertEquals("threatmon:alert", e.get("sourcetype").asText());
    }

    @Test
    void shouldUseAnotherSourceAndSourcetypeWhenAsked() {
        JsonNode e = parse(AlertFormatter.splunkHec("h", "i").withSource("llm").withSourcetype("llm:alert")
                .format(reference().build()));
        assertEquals("llm", e.get("source").asText());
        assertEquals("llm:alert", e.get("sourcetype").asText());
    }

    @Test
    void shouldWriteTimeAsEpochSecondsWithMilliseconds() {
        String event = AlertFormatter.splunkHec().format(reference().timestamp(1772627696000L).build());
        assertTrue(event.startsWith("{\"time\":1772627696.000,"), event);
    }

    @Test
    void shouldCarryTrickyTextExactlyAndLeaveOutNulls() {
        JsonNode e = parse(AlertFormatter.splunkHec().format(reference().excerpt(TRICKY).user(null).build()));
        assertEquals(TRICKY, e.at("/event/excerpt").asText());
        assertFalse(e.get("event").has("user"));
    }
}
