package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OcsfFormatterTest extends SiemTestBase {

    private static final String REFERENCE = """
            {"category_uid":2,"class_uid":2004,"activity_id":1,"type_uid":200401,"time":1772627696789,"severity_id":5,"is_alert":true,"risk_score":92,"risk_level_id":4,"metadata":{"version":"1.3.0","product":{"name":"ThreatMon","vendor_name":"ThreatMon","version":"1.0.0"}},"finding_info":{"uid":"conv-42-17","title":"Prompt injection detected","types":["prompt_injection"],"analytic":{"uid":"pi.ignore_previous","type_id":8},"attacks":[{"technique":{"uid":"AML.T0051.000","name":"LLM Prompt Injection: Direct"}}]},"actor":{"user":{"name":"alice"}}}""";

    private final AlertFormatter ocsf = AlertFormatter.ocsf();

    @Test
    void shouldContainEveryFieldOfTheReferenceExample() {
        assertJsonContains(REFERENCE, ocsf.format(reference().build()));
    }

    @Test
    void shouldBeADetectionFindingNeverTheDeprecatedSecurityFinding() {
        JsonNode f = parse(ocsf.format(reference().build()));
        assertEquals(2004, f.get("class_uid").asInt());
        assertEquals(200401, f.get("type_uid").asInt());
        assertFalse(f.toString().contains("2001"));
    }

    @Test
    void shouldCarryTheExcerptAsEvidence() {
        JsonNode f = parse(ocsf.format(reference().excerpt(TRICKY).build()));
        assertEquals(TRICKY, f.at("/evidences/0/data/excerpt").asText());
    }

    @Test
    void shouldMapRiskToSeverityAndRiskLevel() {
        int[][] cases = {{100, 5, 4}, {90, 5, 4}, {89, 4, 3}, {70, 4, 3}, {69, 3, 2}, {40, 3, 2}, {39, 2, 1}, {1, 2, 1}, {0, 1, 0}};
        for (int[] c : cases) {
            JsonNode f = parse(ocsf.format(reference().risk(c[0]).build()));
            assertEquals(c[1], f.get("severity_id").asInt(), "severity_id for risk " + c[0]);
            assertEquals(c[2], f.get("risk_level_id").asInt(), "risk_level_id for risk " + c[0]);
        }
    }

    @Test
    void shouldListTheOtherRulesAsRelatedAnalytics() {
        JsonNode f = parse(ocsf.format(reference().rules(List.of("a", "b"), List.of("A", "B")).build()));
        assertEquals("A", f.at("/finding_info/analytic/name").asText());
        assertEquals("b", f.at("/finding_info/related_analytics/0/uid").asText());
        assertEquals(8, f.at("/finding_info/related_analytics/0/type_id").asInt());
    }

    @Test
    void shouldKeepTheRequiredFieldsWhenTheAlertIsBare() {
        JsonNode f = parse(ocsf.format(reference().bare().build()));
        for (String p : List.of("/time", "/severity_id", "/metadata/product/name", "/metadata/version", "/finding_info/uid")) {
            assertFalse(f.at(p).isMissingNode(), p);
        }
        assertTrue(f.at("/actor").isMissingNode());
        assertFalse(f.toString().contains("null"));
    }
}
