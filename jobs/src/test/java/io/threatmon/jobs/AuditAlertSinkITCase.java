package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.LogFormat;
import io.threatmon.reports.AuditReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --alert-sink} on the audit: each SIEM receives exactly the threats the report counts, in its own format. */
class AuditAlertSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final ObjectMapper JSON = new ObjectMapper();
    /** CEF carries no message id; the fixture gives every message its own time, so {@code rt=} identifies it. */
    static final Pattern CEF_TIME = Pattern.compile("\\|rt=(\\d+) ");

    @TempDir
    Path dir;

    @Test
    void shouldSendExactlyTheReportedThreatsToSyslogOverTcpAndToSplunkHec() throws Exception {
        List<ConversationRecord> records = AuditJobITCase.records(6);
        Path log = AuditJobITCase.writeLog(dir.resolve("day.jsonl"), LogFormat.JSONL, records);
        try (LoopbackReceivers.SyslogTcp syslog = new LoopbackReceivers.SyslogTcp();
                LoopbackReceivers.Http hec = new LoopbackReceivers.Http(n -> n == 0 ? 503 : 200)) {
            Path out = dir.resolve("out");
            AuditOptions o = AuditMain.parse(new String[] {"--input", log.toString(), "--out", out.toString(),
                "--parallelism", "2", "--no-model",
                "--alert-sink", "syslog+tcp://127.0.0.1:" + syslog.port() + "?format=cef",
                "--alert-sink", "hec://127.0.0.1:" + hec.port() + "?token=tok&batch=5&backoff=10ms"});
            AuditReport report = AuditRunner.run(o, (r, b, t) -> { }).report();

            long threats = report.threatMessages();
            assertEquals(AuditJobITCase.expectedThreats(records), threats);
            assertTrue(threats >= 10, "fixture holds several threats: " + threats);

            // The audit's own alerts file is unchanged: ThreatMon JSON, one line per threat.
            List<String> jsonAlerts = Files.readAllLines(out.resolve("alerts.jsonl"));
            assertEquals(threats, jsonAlerts.size());
            Set<String> expectedIds = new TreeSet<>();
            Set<Long> expectedTimes = new TreeSet<>();
            for (String line : jsonAlerts) {
                JsonNode a = JSON.readTree(line);
                expectedIds.add(a.get("message_id").asText());
                expectedTimes.add(Instant.parse(a.get("time").asText()).toEpochMilli());
            }
            assertEquals(threats, expectedTimes.size(), "fixture times are unique");

            List<String> frames = syslog.await((int) threats);
            assertEquals(threats, frames.size(), "one syslog frame per threat, none lost or doubled: " + frames);
            Set<Long> times = new TreeSet<>();
            for (String f : frames) {
                assertTrue(f.startsWith("<") && f.contains(" CEF:0|ThreatMon|LLM Audit|"), f);
                Matcher m = CEF_TIME.matcher(f);
                assertTrue(m.find(), f);
                times.add(Long.parseLong(m.group(1)));
            }
            assertEquals(expectedTimes, times, "the syslog frames are the reported threats");

            List<String> hecIds = new ArrayList<>();
            for (String body : hec.acceptedBodies()) {
                try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
                    while (it.hasNext()) {
                        hecIds.add(it.next().at("/event/message_id").asText());
                    }
                }
            }
            assertEquals(503, hec.requests.get(0).status(), "the first request was refused and retried");
            assertEquals(threats, hecIds.size(), "every threat once in HEC: " + hecIds);
            assertEquals(expectedIds, new TreeSet<>(hecIds));
            assertTrue(hec.requests.stream().allMatch(r -> "Splunk tok".equals(r.authorization())
                    && r.path().equals("/services/collector/event")));
        }
    }

    @Test
    void shouldStopWithTheSinksOwnMessageWhenASiemRefusesAlerts() throws Exception {
        Path log = AuditJobITCase.writeLog(dir.resolve("one.jsonl"), LogFormat.JSONL, AuditJobITCase.records(1));
        try (LoopbackReceivers.Http hec = new LoopbackReceivers.Http(n -> 403)) {
            AuditOptions o = AuditMain.parse(new String[] {"--input", log.toString(), "--out", dir.resolve("out").toString(),
                "--parallelism", "1", "--no-model", "--alert-sink", "hec://127.0.0.1:" + hec.port() + "?token=wrong"});
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> AuditRunner.run(o, (r, b, t) -> { }));
            assertTrue(e.getMessage().startsWith("alert sink failed, the audit stopped: POST http://127.0.0.1:" + hec.port()
                    + "/services/collector/event rejected"), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
            assertEquals(1, hec.requests.size(), "a 403 is not retried");
        }
    }
}
