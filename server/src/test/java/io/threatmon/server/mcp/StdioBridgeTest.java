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

    /** JSON that is not a JSON-RPC message used to kill the SDK transport's reader: the server then answered nothing. */
    @Test
    void shouldAnswerJsonThatIsNotAMessageWithInvalidRequestAndKeepServing() throws Exception {
        List<JsonNode> out = run(INIT, INITIALIZED, "{}", "{\"jsonrpc\":\"2.0\"}", "{\"id\":5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":7}", "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", "[]",
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        List<JsonNode> invalid = out.stream().filter(n -> n.path("error").path("code").asInt() == -32600).toList();
        assertEquals(7, invalid.size(), out.toString());
        assertTrue(invalid.stream().anyMatch(n -> n.path("id").asInt() == 7), out.toString());
        assertTrue(invalid.stream().anyMatch(n -> n.path("id").asInt() == 5), out.toString());
        JsonNode tools = out.stream().filter(n -> n.path("id").asInt() == 2 && n.has("result")).findFirst().orElseThrow();
        assertEquals(5, tools.get("result").get("tools").size());
    }

    @Test
    void shouldAnswerABadPromptArgumentWithInvalidParams() throws Exception {
        List<JsonNode> out = run(INIT, INITIALIZED, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":"
                + "{\"name\":\"risk_assessment_guide\",\"arguments\":{\"risk_score\":\"abc\"}}}");
        JsonNode answer = out.stream().filter(n -> n.path("id").asInt() == 4).findFirst().orElseThrow();
        assertEquals(-32602, answer.path("error").path("code").asInt(), answer.toString());
        assertTrue(answer.path("error").path("message").asText().contains("risk_score must be a whole number 0-100"), answer.toString());
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
