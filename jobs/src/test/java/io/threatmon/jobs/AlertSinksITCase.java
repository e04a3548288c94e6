package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.sink.AlertSinks;
import io.threatmon.connectors.sink.AlertTypeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Alert sinks inside real Flink jobs: alerts cross the network without Kryo, files roll, HTTP retries lose nothing. */
class AlertSinksITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<Alert> alerts(int n) {
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Alert("m-" + i, 1772627696789L + i, 70 + i % 31, "high", "prompt_injection",
                    List.of("prompt_injection", "jailbreak"), List.of("pi.ignore_previous", "jb.dan"),
                    List.of("Ignore previous instructions", "DAN"), List.of("LLM01:2025", "AML.T0051.000"), "block", "rules",
                    "user-" + i % 3, "support-bot", "gpt-x", "user", "conv-" + i / 4, "m-" + i, "logs/day.jsonl", i,
                    "ignore previous instructions a=b|c\\d Привет 🚀", 1));
        }
        return out;
    }

    /** Kryo off: the job fails to build if any alert field would fall back to it. */
    private static StreamExecutionEnvironment env(RuntimeExecutionMode mode) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        return env;
    }

    @Test
    void shouldDeliverEveryAlertToSplunkHecThroughARetriedOutage() throws Exception {
        List<Alert> alerts = alerts(120);
        try (LoopbackReceivers.Http hec = new LoopbackReceivers.Http(n -> n < 2 ? 503 : 200)) {
            StreamExecutionEnvironment env = env(RuntimeExecutionMode.STREAMING);
            DataStream<Alert> stream = env.fromData(AlertTypeInfo.get(), alerts.toArray(new Alert[0])).rebalance();
            AlertOutputs.sinkAll(stream, List.of(AlertSinks.parse(
                    "hec://127.0.0.1:" + hec.port() + "?token=tok&index=security&batch=7&backoff=10ms")));
            env.execute("hec-sink");

            List<String> ids = new ArrayList<>();
            for (String body : hec.acceptedBodies()) {
                try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
                    while (it.hasNext()) {
                        JsonNode e = it.next();
                        assertEquals("security", e.get("index").asText());
                        assertEquals("ignore previous instructions a=b|c\\d Привет 🚀", e.at("/event/excerpt").asText());
                        ids.add(e.at("/event/message_id").asText());
                    }
                }
            }
            assertEquals(alerts.size(), ids.size(), "nothing lost, nothing doubled");
            assertEquals(alerts.stream().map(Alert::messageId).sorted().toList(), ids.stream().sorted().toList());
            assertEquals(2, hec.requests.stream().filter(r -> r.status() == 503).count());
        }
    }

    @Test
    void shouldRollFilesBySizeAndKeepEveryAlertOnItsOwnLine() throws Exception {
        List<Alert> alerts = alerts(200);
        Path out = dir.resolve("alerts");
        StreamExecutionEnvironment env = env(RuntimeExecutionMode.BATCH);
        DataStream<Alert> stream = env.fromData(AlertTypeInfo.get(), alerts.toArray(new Alert[0])).rebalance();
        AlertOutputs.sinkAll(stream, List.of(AlertSinks.parse(out.toUri() + "?format=cef&roll-size=4KB&roll-interval=1h")));
        env.execute("file-sink");

        List<Path> parts;
        try (Stream<Path> s = Files.list(out)) {
            parts = s.sorted().toList();
        }
        assertTrue(parts.stream().allMatch(p -> p.getFileName().toString().matches("alerts-.*\\.log")), parts.toString());
        assertTrue(parts.size() >= 10, "200 CEF lines of ~500 bytes in 4 KB parts roll many times: " + parts.size());
        List<String> lines = new ArrayList<>();
        for (Path p : parts) {
            assertTrue(Files.size(p) <= 4096 + 1024, "a part rolls once it passes 4 KB: " + Files.size(p));
            lines.addAll(Files.readAllLines(p));
        }
        assertEquals(alerts.size(), lines.size());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("CEF:0|ThreatMon|LLM Audit|1.0.0|pi.ignore_previous|")));
        java.util.regex.Pattern rt = java.util.regex.Pattern.compile("\\|rt=(\\d+) ");
        List<Long> times = new ArrayList<>();
        for (String l : lines) {
            java.util.regex.Matcher m = rt.matcher(l);
            assertTrue(m.find(), l);
            times.add(Long.parseLong(m.group(1)));
        }
        assertEquals(alerts.stream().map(Alert::timestamp).sorted().toList(), times.stream().sorted().toList(),
                "each alert exactly once");
    }
}
