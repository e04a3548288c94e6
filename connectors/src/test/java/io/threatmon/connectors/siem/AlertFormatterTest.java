package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFormatterTest extends SiemTestBase {

    @Test
    void shouldParseEveryCommandLineName() {
        Map<String, String> ids = Map.of("jsonl", "json", "json", "json", "cef", "cef", "leef", "leef", "ecs", "ecs",
                "ocsf", "ocsf", "splunk", "splunk", "syslog", "syslog", "text", "text");
        ids.forEach((name, id) -> assertEquals(id, AlertFormatter.parse(name).id(), name));
        assertEquals("cef", AlertFormatter.parse(" CEF ").id());
    }

    @Test
    void shouldParseSyslogWithACefBody() {
        String line = AlertFormatter.parse("syslog").format(reference().build());
        assertTrue(line.startsWith("<34>1 2026-03-04T12:34:56.789Z "), line);
        assertTrue(line.contains("] CEF:0|ThreatMon|LLM Audit|"), line);
    }

    @Test
    void shouldRejectUnknownNamesListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertFormatter.parse("xml"));
        assertEquals("unknown alert format 'xml': use one of jsonl, json, cef, leef, ecs, ocsf, splunk, syslog, text",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlertFormatter.parse(null));
    }

    @Test
    void shouldUseTheCurrentTimeWhenTheAlertTimeIsUnknown() {
        long before = System.currentTimeMillis();
        String time = parse(AlertFormatter.json().format(reference().timestamp(Long.MIN_VALUE).build())).get("time").asText();
        long t = Instant.parse(time).toEpochMilli();
        assertTrue(t >= before && t <= System.currentTimeMillis(), time);
    }

    @Test
    void shouldSurviveJavaSerializationAsFlinkFunctionsNeed() throws Exception {
        for (String name : AlertFormatter.NAMES) {
            AlertFormatter f = AlertFormatter.parse(name);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(f);
            }
            Object copy = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
            AlertFormatter g = assertInstanceOf(AlertFormatter.class, copy);
            assertEquals(f.format(reference().build()), g.format(reference().build()), name);
        }
    }
}
