package io.threatmon.server.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the stdio MCP server as a subprocess (this JVM's java and test classpath) with the SDK's client. */
final class McpTestSupport {

    private McpTestSupport() {}

    /** The test classpath: surefire/failsafe put it in a property; plain JVMs in java.class.path. */
    static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static McpSyncClient stdioClient(List<String> flags, Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("-Xmx512m", "-cp", classpath(), ThreatMcpServer.class.getName()));
        args.addAll(flags);
        ServerParameters params = ServerParameters.builder(java()).args(args).env(env).build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(line -> System.err.println("[mcp server] " + line));
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).build();
    }
}
