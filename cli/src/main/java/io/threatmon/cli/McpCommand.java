package io.threatmon.cli;

import io.threatmon.engine.ThreatClient;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.http.ApiKeys;
import io.threatmon.server.http.ApiServer;
import io.threatmon.server.mcp.ThreatMcpServer;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon mcp}: the MCP server. On stdio (default) it serves one assistant and exits when
 * the assistant closes stdin; stdout carries only protocol messages. With {@code --transport http}
 * it serves streamable HTTP at {@code /mcp} until stopped.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Run the MCP server: tools analyze_prompt, batch_analyze, get_threat_statistics, validate_rule, "
                + "test_rule; resources rules://index, rules://category/{category}, rules://rule/{rule_id}, "
                + "policy://template/{name}; prompts threat_analysis_workflow, security_audit_checklist, risk_assessment_guide.",
                "Client config: {\"mcpServers\": {\"threatmon\": {\"command\": \"threatmon\", \"args\": [\"mcp\"]}}}"})
final class McpCommand implements Callable<Integer> {

    enum Transport { STDIO, HTTP }

    private final CliContext ctx;

    @Option(names = "--transport", paramLabel = "stdio|http", defaultValue = "stdio",
            description = "stdio (default, for desktop assistants) or http (streamable HTTP at /mcp).")
    Transport transport;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8765", description = "Port for --transport http (default 8765).")
    int port;

    @Mixin
    ServerOptions server;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    McpCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream protocol = ctx.out;
        if (transport == Transport.STDIO && protocol == System.out) {
            System.setOut(System.err);   // anything printed by mistake must not corrupt the protocol stream
        }
        ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).build();
        RuleOptions.reportWarnings(ctx, client.rules());
        AnalysisLog log = new AnalysisLog(AnalysisLog.DEFAULT_CAPACITY, Clock.systemUTC());
        ThreatMcpServer mcp = new ThreatMcpServer(client, server.limits(), log);
        if (transport == Transport.STDIO) {
            mcp.runStdio(ctx.in, protocol);
            return Main.OK;
        }
        ApiKeys keys = ApiKeys.parse(ctx.env.get("THREATMON_API_KEYS"));
        ApiServer api = ApiServer.builder(client).host(server.host).port(port).limits(server.limits()).apiKeys(keys)
                .analysisLog(log).api(false).mcp(mcp).start();
        return ServeCommand.runUntilStopped(ctx, api,
                "threatmon mcp: listening on %s" + ThreatMcpServer.HTTP_ENDPOINT + " (%d rules, threshold %d, %s)%s%n",
                client, keys);
    }
}
