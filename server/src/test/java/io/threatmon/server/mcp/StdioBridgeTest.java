package io.threatmon.server.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.threatmon.engine.ThreatClient;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.Limits;
import io.threatmon.server.ServerJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stdio server in-process: malformed lines get a JSON-RPC error, and closing stdin drains pending answers. */
class StdioBridgeTest {

    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    @Test
    void shouldAnswerGarbageWithAParseErrorAndKeepServing() throws Exception {
        List<JsonNode> out = run(INIT, INITIALIZED, "this is not json", "{\"jsonrpc\":\"2.0\",\"id\":",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\",\"params\":{\"uri\":\"rules://category/prompt_injection\"}}");
        assertEquals(5, out.size(), out.toString());
        long parseErrors = out.stream().filter(n -> n.path("error").path("code").asInt() == -32700).count();
        assertEquals(2, parseErrors, out.toString());
        JsonNode tools = out.stream().filter(n -> n.path("id").asInt() == 2).findFirst().orElseThrow();
        assertEquals(5, tools.get("result").get("tools").size());
        JsonNode read = out.stream().filter(n -> n.path("id").asInt() == 3).findFirst().orElseThrow();
        assertTrue(read.get("result").get("contents").get(0).get("text").asText().contains("pi.ignore_previous"));
    }

    private static List<JsonNode> run(String... lines) throws Exception {
        ThreatClient client = ThreatClient.builder().logDetections(false).build();
        ThreatMcpServer server = new ThreatMcpServer(client, Limits.defaults(), new AnalysisLog(10, Clock.systemUTC()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        server.runStdio(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)), out);
        List<JsonNode> messages = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                messages.add(ServerJson.MAPPER.readTree(line));
            }
        }
        return messages;
    }
}
