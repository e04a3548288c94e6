package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CefFormatterTest extends SiemTestBase {

    private static final String REFERENCE = "CEF:0|ThreatMon|LLM Audit|1.0.0|pi.ignore_previous|Prompt injection detected|9|"
            + "rt=1772627696789 cat=prompt_injection act=alert suser=alice cn1Label=riskScore cn1=92 "
            + "cs1Label=conversationId cs1=conv-42 cs2Label=owasp cs2=LLM01:2025 cs3Label=atlas cs3=AML.T0051.000 "
            + "msg=ignore previous instructions a\\=b";

    private final AlertFormatter cef = AlertFormatter.cef();

    @Test
    void shouldMatchTheReferenceExampleByteForByte() {
        assertEquals(REFERENCE, cef.format(reference().build()));
    }

    @Test
    void shouldEscapePipesAndBackslashesInTheHeaderButNotEquals() {
        String line = AlertFormatter.cef("1|2\\3=4").format(reference().rules(List.of("r|x"), List.of()).build());
        assertTrue(line.startsWith("CEF:0|ThreatMon|LLM Audit|1\\|2\\\\3=4|r\\|x|"), line);
    }

    @Test
    void shouldEscapeEqualsBackslashesAndLineBreaksInExtensionsButNotPipes() {
        String line = cef.format(reference().excerpt(TRICKY).build());
        String msg = line.substring(line.indexOf(" msg=") + 5);
        assertEquals("a|b\\=c\\\\d\\ne\\rf\tg^h \"q\" ]x Привет 🚀", msg);
        assertFalse(line.contains("\n") || line.contains("\r"));
    }

    @Test
    void shouldEscapeUserNamesAndAppsLikeAnyExtensionValue() {
        String line = cef.format(reference().user("a=b\\c").app("bot|1").build());
        assertTrue(line.contains(" suser=a\\=b\\\\c "), line);
        assertTrue(line.contains(" cs4Label=app cs4=bot|1 "), line);
    }

    @Test
    void shouldReplaceLineBreaksInHeaderFieldsWithSpaces() {
        String line = cef.format(reference().category("multi\r\nline").rules(List.of(), List.of()).build());
        assertTrue(line.startsWith("CEF:0|ThreatMon|LLM Audit|1.0.0|multi line|Multi line detected|9|"), line);
    }

    @Test
    void shouldCutHeaderFieldsToTheSpecLimitsWithoutSplittingSurrogates() {
        String longId = "r".repeat(1022) + "🚀" + "tail";
        String line = AlertFormatter.cef("v".repeat(40)).format(reference().rules(List.of(longId), List.of()).build());
        String[] header = line.split("(?<!\\\\)\\|", 8);
        assertEquals(31, header[3].length());
        assertEquals("r".repeat(1022), header[4]);
    }

    @Test
    void shouldLeaveOutNullAndEmptyFieldsWithTheirLabels() {
        String line = cef.format(reference().bare().excerpt("").build());
        assertEquals("CEF:0|ThreatMon|LLM Audit|1.0.0|threat|Threat detected|9|"
                + "rt=1772627696789 cn1Label=riskScore cn1=92", line);
    }

    @Test
    void shouldMapRiskToSeverityByRoundingATenth() {
        assertEquals("0", severity(0));
        assertEquals("0", severity(4));
        assertEquals("1", severity(5));
        assertEquals("7", severity(70));
        assertEquals("10", severity(95));
        assertEquals("10", severity(100));
    }

    @Test
    void shouldAddTheFoldedCountAndTheAppWhenPresent() {
        String line = cef.format(reference().app("support-bot").count(5).build());
        assertTrue(line.contains(" cs4Label=app cs4=support-bot cnt=5 msg="), line);
    }

    private String severity(int risk) {
        return cef.format(reference().risk(risk).build()).split("\\|")[6];
    }
}
