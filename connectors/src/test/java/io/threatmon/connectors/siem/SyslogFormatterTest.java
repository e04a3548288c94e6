package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyslogFormatterTest extends SiemTestBase {

    private static final String REFERENCE = "<34>1 2026-03-04T12:34:56.789Z audit-1 threatmon 4711 PROMPT_INJECTION "
            + "[threatmon@32473 rule=\"pi.ignore_previous\" risk=\"92\" conversation=\"conv-42\"] "
            + "Prompt injection detected (risk 92) user=alice";

    private static final Pattern RFC5424_TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    private final SyslogFormatter textSyslog = AlertFormatter.syslog(AlertFormatter.text(), "audit-1", "threatmon").withProcId("4711");

    @Test
    void shouldMatchTheReferenceExamplePlusCategoryAndUserParameters() {
        String line = textSyslog.format(reference().build());
        assertEquals("<34>1 2026-03-04T12:34:56.789Z audit-1 threatmon 4711 PROMPT_INJECTION "
                + "[threatmon@32473 rule=\"pi.ignore_previous\" risk=\"92\" category=\"prompt_injection\" "
                + "conversation=\"conv-42\" user=\"alice\"] Prompt injection detected (risk 92) user=alice", line);
        assertEquals(REFERENCE, line.replace(" category=\"prompt_injection\"", "").replace(" user=\"alice\"]", "]"));
    }

    @Test
    void shouldCarryACefBodyAsTheMessage() {
        String line = AlertFormatter.syslog(AlertFormatter.cef(), "audit-1", "threatmon").withProcId("4711")
                .format(reference().build());
        assertTrue(line.endsWith("] " + AlertFormatter.cef().format(reference().build())), line);
    }

    @Test
    void shouldMapRiskToSeverityWithFacilityFour() {
        assertEquals("<34>", pri(100));
        assertEquals("<34>", pri(90));
        assertEquals("<35>", pri(89));
        assertEquals("<35>", pri(70));
        assertEquals("<36>", pri(69));
        assertEquals("<36>", pri(40));
        assertEquals("<37>", pri(39));
        assertEquals("<37>", pri(0));
    }

    @Test
    void shouldComputePriFromAnotherFacility() {
        assertTrue(textSyslog.withFacility(13).format(reference().build()).startsWith("<106>1 "));
        assertThrows(IllegalArgumentException.class, () -> textSyslog.withFacility(24));
    }

    @Test
    void shouldWriteNilValuesAsDashes() {
        String line = AlertFormatter.syslog(AlertFormatter.text(), null, "").withProcId(null)
                .format(reference().bare().rules(java.util.List.of(), java.util.List.of()).build());
        assertEquals("<34>1 2026-03-04T12:34:56.789Z - - - - [threatmon@32473 risk=\"92\"] Threat detected (risk 92)", line);
    }

    @Test
    void shouldCutHeaderFieldsToTheirLimitsAndKeepThemPrintableAscii() {
        String line = AlertFormatter.syslog(AlertFormatter.text(), "h".repeat(300), "a".repeat(60))
                .withProcId("p".repeat(200))
                .format(reference().category("very long category name with spaces é and more").build());
        String[] f = line.split(" ", 7);
        assertEquals(255, f[2].length());
        assertEquals(48, f[3].length());
        assertEquals(128, f[4].length());
        assertEquals("VERY_LONG_CATEGORY_NAME_WITH_SPA", f[5]);
    }

    @Test
    void shouldReplaceNonAsciiInHeaderFieldsWithOneUnderscorePerCharacter() {
        assertEquals("host______1_", SyslogFormatter.header("host Приве1🚀", 255));
        assertEquals("-", SyslogFormatter.header("", 255));
    }

    @Test
    void shouldUseAnRfc5424TimestampInUtcWithMilliseconds() {
        String ts = textSyslog.format(reference().build()).split(" ")[1];
        assertTrue(RFC5424_TIMESTAMP.matcher(ts).matches(), ts);
        String now = textSyslog.format(reference().timestamp(Long.MIN_VALUE).build()).split(" ")[1];
        assertTrue(RFC5424_TIMESTAMP.matcher(now).matches(), now);
    }

    @Test
    void shouldEscapeQuotesBackslashesAndBracketsInStructuredData() {
        String line = textSyslog.format(reference().user("a\"b\\c]d\ne").build());
        assertTrue(line.contains(" user=\"a\\\"b\\\\c\\]d e\"]"), line);
    }

    @Test
    void shouldKeepTheMessageOnOneLineAndNonAsciiIntact() {
        String line = textSyslog.format(reference().user("Привет 🚀\nnext").build());
        assertFalse(line.contains("\n"));
        assertTrue(line.endsWith("user=Привет 🚀 next"), line);
    }

    private String pri(int risk) {
        return textSyslog.format(reference().risk(risk).build()).substring(0, 4);
    }
}
