package io.threatmon.cli;

import io.threatmon.engine.ThreatClient;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.http.ApiKeys;
import io.threatmon.server.http.ApiServer;
import io.threatmon.server.mcp.ThreatMcpServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code threatmon serve --port N}: the HTTP API (and, with {@code --mcp}, the MCP endpoint) until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API: POST /v1/analyze, POST /v1/batch, GET /v1/rules, GET /v1/rules/{id}, "
                + "GET /healthz, GET /metrics (Prometheus).",
                "API keys: THREATMON_API_KEYS=key1,key2 (sent as 'Authorization: Bearer KEY'); without it the API is open."})
final class ServeCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default 8080; 0 = any free port).")
    int port;

    @Option(names = "--mcp", description = "Also serve the MCP server at /mcp (streamable HTTP).")
    boolean mcp;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "64", description = "Request threads (default 64).")
    int threads;

    @Mixin
    ServerOptions server;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).build();
        RuleOptions.reportWarnings(ctx, client.rules());
        AnalysisLog log = new AnalysisLog(AnalysisLog.DEFAULT_CAPACITY, Clock.systemUTC());
        ApiKeys keys = ApiKeys.parse(ctx.env.get("THREATMON_API_KEYS"));
        ApiServer.Builder b = ApiServer.builder(client).host(server.host).port(port).limits(server.limits())
                .apiKeys(keys).analysisLog(log).maxThreads(threads);
        if (mcp) {
            b.mcp(new ThreatMcpServer(client, server.limits(), log));
        }
        return runUntilStopped(ctx, b.start(), "threatmon serve: listening on %s (%d rules, threshold %d, %s)%s%n",
                client, keys);
    }

    /** Announces the server on stderr, then blocks until the process is stopped (or this thread interrupted). */
    static int runUntilStopped(CliContext ctx, ApiServer api, String format, ThreatClient client, ApiKeys keys)
            throws Exception {
        Thread hook = new Thread(() -> closeQuietly(api), "threatmon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ctx.err.printf(format, api.uri(), client.rules().size(), client.threshold(),
                keys.required() ? keys.count() + " API key" + (keys.count() == 1 ? "" : "s") : "no API keys: open to anyone who can connect",
                "");
        ctx.err.flush();
        try {
            api.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(api);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        return Main.OK;
    }

    private static void closeQuietly(ApiServer api) {
        try {
            api.close();
        } catch (IllegalStateException ignored) {
            // stopping anyway
        }
    }
}
