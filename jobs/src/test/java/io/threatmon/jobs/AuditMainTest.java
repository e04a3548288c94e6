package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.connectors.LogFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditMainTest {

    @Test
    void shouldParseTheSameFlagsAsTheCommandLine() {
        AuditOptions o = AuditMain.parse(new String[] {"--input", "a.jsonl", "--input", "logs/", "--out", "out",
            "--format", "csv", "--parallelism", "3", "--threshold", "80", "--model", "--include-text",
            "--text-field", "prompt", "--conversation-field", "session"});
        assertEquals(List.of("a.jsonl", "logs/"), o.inputs());
        assertEquals(Path.of("out"), o.out());
        assertEquals(LogFormat.CSV, o.format());
        assertEquals(3, o.parallelism());
        assertEquals(80, o.threshold());
        assertTrue(o.model());
        assertFalse(AuditMain.parse(new String[] {"--input", "a", "--out", "o"}).model(), "rules only by default");
        assertTrue(o.includeText());
        assertEquals("prompt", o.mapping().field("text"));
        assertEquals("session", o.mapping().field("conversation_id"));
    }

    @Test
    void shouldParseRepeatedAlertSinksInOrder() {
        AuditOptions o = AuditMain.parse(new String[] {"--input", "a", "--out", "o",
            "--alert-sink", "syslog+tcp://siem:6514?format=cef", "--alert-sink", "hec://splunk:8088?token=secret"});
        assertEquals(List.of("syslog+tcp", "hec"), o.alertSinks().stream().map(s -> s.scheme()).toList());
        assertEquals("hec://splunk:8088?token=***", o.alertSinks().get(1).describe());
        assertTrue(AuditMain.parse(new String[] {"--input", "a", "--out", "o"}).alertSinks().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {
            "--input", "a", "--out", "o", "--alert-sink", "smtp://mail"}));
        assertTrue(e.getMessage().startsWith("--alert-sink: unknown alert sink scheme 'smtp'"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownFlagsAndMissingOutput() {
        assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {"--input", "a", "--out", "o", "--fast"}));
        assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {"--input", "a"}));
    }
}
