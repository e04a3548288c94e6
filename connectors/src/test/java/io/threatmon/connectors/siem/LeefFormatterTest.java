package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeefFormatterTest extends SiemTestBase {

    private static final String REFERENCE = "LEEF:2.0|ThreatMon|LLM Audit|1.0.0|prompt_injection|^|"
            + "devTime=2026-03-04T12:34:56.789Z^devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX^cat=prompt_injection"
            + "^sev=9^usrName=alice^ruleId=pi.ignore_previous^riskScore=92^conversationId=conv-42";

    private final AlertFormatter leef = AlertFormatter.leef();

    @Test
    void shouldMatchTheReferenceExampleByteForByte() {
        assertEquals(REFERENCE, leef.format(reference().build()));
    }

    @Test
    void shouldStripTheDelimiterTabsAndLineBreaksFromValues() {
        String line = leef.format(reference().user(TRICKY).build());
        String user = line.substring(line.indexOf("usrName=") + 8, line.indexOf("^ruleId="));
        assertEquals("a|b=c\\d e f g h \"q\" ]x Привет 🚀", user);
        assertFalse(line.contains("\t") || line.contains("\n") || line.contains("\r"));
        assertEquals(8, line.substring(line.indexOf("|^|") + 3).split("\\^").length);
    }

    @Test
    void shouldKeepPipesOutOfTheHeader() {
        String line = AlertFormatter.leef("2|0").format(reference().category("a|b").build());
        assertTrue(line.startsWith("LEEF:2.0|ThreatMon|LLM Audit|2 0|a b|^|"), line);
    }

    @Test
    void shouldLeaveOutNullAndEmptyAttributes() {
        String line = leef.format(reference().bare().user("").build());
        assertEquals("LEEF:2.0|ThreatMon|LLM Audit|1.0.0|threat|^|devTime=2026-03-04T12:34:56.789Z"
                + "^devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX^sev=9^riskScore=92", line);
    }

    @Test
    void shouldKeepSeverityWithinOneToTen() {
        assertTrue(leef.format(reference().risk(0).build()).contains("^sev=1^"));
        assertTrue(leef.format(reference().risk(100).build()).contains("^sev=10^"));
    }
}
