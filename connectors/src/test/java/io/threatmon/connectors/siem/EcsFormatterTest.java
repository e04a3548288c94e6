package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsFormatterTest extends SiemTestBase {

    private static final String REFERENCE = """
            {"@timestamp":"2026-03-04T12:34:56.789Z","ecs":{"version":"9.4.0"},"event":{"kind":"alert","category":["intrusion_detection"],"type":["info"],"severity":92,"risk_score":92,"risk_score_norm":92,"module":"threatmon"},"rule":{"id":"pi.ignore_previous","name":"Ignore previous instructions","category":"prompt_injection","ruleset":"core"},"threat":{"framework":"MITRE ATLAS","technique":{"id":["AML.T0051.000"],"name":["LLM Prompt Injection: Direct"]}},"user":{"name":"alice"},"labels":{"conversation_id":"conv-42"},"tags":["owasp:LLM01:2025"],"message":"Prompt injection detected (risk 92)"}""";

    private final AlertFormatter ecs = AlertFormatter.ecs();

    @Test
    void shouldContainEveryFieldOfTheReferenceExample() {
        String doc = ecs.format(reference().build());
        assertJsonContains(REFERENCE, doc);
        assertFalse(doc.contains("\n"));
    }

    @Test
    void shouldMapBlockToDeniedAndAllowToAllowed() {
        assertEquals("denied", type("block"));
        assertEquals("allowed", type("allow"));
        assertEquals("info", type("review"));
    }

    @Test
    void shouldCarryTrickyTextAsExactJsonStrings() {
        JsonNode doc = parse(ecs.format(reference().excerpt(TRICKY).user(TRICKY).build()));
        assertEquals(TRICKY, doc.at("/threatmon/excerpt").asText());
        assertEquals(TRICKY, doc.at("/user/name").asText());
    }

    @Test
    void shouldLeaveOutAbsentFieldsInsteadOfWritingNulls() {
        JsonNode doc = parse(ecs.format(reference().bare().build()));
        assertNull(doc.get("user"));
        assertNull(doc.get("threat"));
        assertNull(doc.get("tags"));
        assertEquals("ThreatMon", doc.at("/observer/vendor").asText());
        assertEquals("core", doc.at("/rule/ruleset").asText());
        assertFalse(doc.toString().contains("null"));
    }

    @Test
    void shouldUseAnotherRulesetWhenAsked() {
        JsonNode doc = parse(AlertFormatter.ecs().withRuleset("custom").format(reference().build()));
        assertEquals("custom", doc.at("/rule/ruleset").asText());
    }

    @Test
    void shouldNameEveryAtlasTechniqueFromTheTaxonomy() {
        JsonNode doc = parse(ecs.format(reference().tags(List.of("AML.T0054", "AML.T0056", "AML.T9999")).build()));
        assertEquals("[\"LLM Jailbreak\",\"Extract LLM System Prompt\",\"AML.T9999\"]",
                doc.at("/threat/technique/name").toString());
    }

    private String type(String action) {
        return parse(ecs.format(reference().action(action).build())).at("/event/type/0").asText();
    }
}
