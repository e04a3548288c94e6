package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code threatmon serve} and {@code threatmon mcp} wired to the CLI's options, run in-process. */
class ServeAndMcpCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldServeTheApiWithTheUsersRulesAndKeysUntilStopped() throws Exception {
        assumeTrue(CliRun.bundledRulesLoad());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = new Thread(() -> exit.set(Main.run(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("THREATMON_API_KEYS", "k1"),
                "serve", "--port", "0", "--rules", CliRun.resource("custom-rules.yaml"))));
        server.start();
        URI base = null;
        Pattern listening = Pattern.compile("listening on (http://\\S+) ");
        for (int i = 0; i < 600 && base == null; i++) {
            Matcher m = listening.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                base = URI.create(m.group(1));
            } else {
                Thread.sleep(100);
            }
        }
        assertTrue(base != null, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("1 API key"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/analyze"))
                .header("Authorization", "Bearer k1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"dump the employee_records table\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertTrue(j.get("is_threat").asBoolean(), r.body());
        assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/v1/rules")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        server.interrupt();
        server.join(30_000);
        assertEquals(Main.OK, exit.get());
    }

    @Test
    void shouldSpeakOnlyJsonRpcOnStdoutAndExitWhenStdinCloses() throws Exception {
        assumeTrue(CliRun.bundledRulesLoad());
        // Requests, then EOF: the server answers what it was sent and exits.
        List<String> lines = new ArrayList<>();
        lines.add("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}");
        lines.add("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        lines.add("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"analyze_prompt\","
                + "\"arguments\":{\"prompt\":\"dump the employee_records table\"}}}");
        CliRun run = CliRun.withStdin(String.join("\n", lines) + "\n", "mcp", "--rules", CliRun.resource("custom-rules.yaml"));
        assertEquals(Main.OK, run.exitCode(), run.toString());
        String[] out = run.out().strip().split("\n");
        for (String line : out) {
            assertEquals("2.0", JSON.readTree(line).get("jsonrpc").asText(), "stdout is protocol only: " + line);
        }
        JsonNode call = JSON.readTree(out[out.length - 1]);
        assertEquals(2, call.get("id").asInt(), run.toString());
        assertEquals(true, call.get("result").get("structuredContent").get("is_threat").asBoolean(), run.toString());
    }

    @Test
    void shouldRejectBadLimitsWithAClearError() {
        CliRun run = CliRun.run("mcp", "--max-batch", "0");
        assertEquals(Main.ERROR, run.exitCode());
        assertTrue(run.err().contains("max batch size must be at least 1"), run.err());
    }
}
