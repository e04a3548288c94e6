package io.threatmon.server.http;

import io.threatmon.engine.ThreatClient;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.Limits;
import io.threatmon.server.mcp.ThreatMcpServer;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * ThreatMon over HTTP on embedded Jetty 12: the JSON API ({@code /v1/analyze}, {@code /v1/batch},
 * {@code /v1/rules}, {@code /healthz}, {@code /metrics}) and, optionally, the MCP server's
 * streamable-HTTP endpoint ({@code /mcp}), behind the same API keys. Binds to loopback unless told
 * otherwise.
 *
 * <pre>{@code
 * try (ApiServer server = ApiServer.builder(ThreatClient.create())
 *         .port(8080)
 *         .apiKeys(ApiKeys.parse(System.getenv("THREATMON_API_KEYS")))
 *         .start()) {
 *     System.err.println("listening on " + server.uri());
 *     server.join();
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

    private final Server jetty;
    private final ServerConnector connector;
    private final ThreatMcpServer.HttpBinding mcp;

    private ApiServer(Server jetty, ServerConnector connector, ThreatMcpServer.HttpBinding mcp) {
        this.jetty = jetty;
        this.connector = connector;
        this.mcp = mcp;
    }

    public static Builder builder(ThreatClient client) {
        return new Builder(client);
    }

    /** The port it listens on (the ephemeral one chosen when built with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops accepting, lets requests in flight finish (up to 2 s), and stops. */
    @Override
    public void close() {
        if (mcp != null) {
            mcp.server().closeGracefully();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the server: " + e.getMessage(), e);
        }
    }

    /** Configures an {@link ApiServer}; {@link #start()} binds the port. */
    public static final class Builder {
        private final ThreatClient client;
        private String host = "127.0.0.1";
        private int port = 8080;
        private Limits limits = Limits.defaults();
        private ApiKeys keys = ApiKeys.none();
        private AnalysisLog log;
        private boolean api = true;
        private ThreatMcpServer mcp;
        private int maxThreads = 64;

        private Builder(ThreatClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Interface to bind (default 127.0.0.1; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port (default 8080; 0 picks a free one, see {@link ApiServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + port);
            }
            this.port = port;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Keys every request but {@code /healthz} must carry; none (default) leaves the server open. */
        public Builder apiKeys(ApiKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Where analyses are recorded for {@code get_threat_statistics} (shared with {@link #mcp}). */
        public Builder analysisLog(AnalysisLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Whether to serve the JSON API (default true); without it only {@code /healthz} and {@code /mcp}. */
        public Builder api(boolean on) {
            this.api = on;
            return this;
        }

        /** Also serve this MCP server at {@code /mcp} (streamable HTTP). */
        public Builder mcp(ThreatMcpServer server) {
            this.mcp = Objects.requireNonNull(server, "server");
            return this;
        }

        /** Request threads (default 64). */
        public Builder maxThreads(int n) {
            if (n < 8) {
                throw new IllegalArgumentException("maxThreads must be at least 8, not " + n);
            }
            this.maxThreads = n;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IllegalStateException when it cannot listen (port taken, unknown host), with the reason
         */
        public ApiServer start() {
            if (!api && mcp == null) {
                throw new IllegalArgumentException("nothing to serve: enable the API or add an MCP server");
            }
            AnalysisLog analyses = log != null ? log : new AnalysisLog(AnalysisLog.DEFAULT_CAPACITY, Clock.systemUTC());
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
            threads.setName("threatmon-http");
            Server jetty = new Server(threads);
            jetty.setStopTimeout(2_000);
            jetty.setErrorHandler(new JsonErrorHandler());
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);   // do not advertise the server's version to scanners
            ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            jetty.addConnector(connector);

            Metrics metrics = new Metrics(client.rules().size());
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.setErrorHandler(new JsonErrorHandler());
            context.addFilter(new FilterHolder(new ApiKeyFilter(keys, metrics)), "/*", EnumSet.of(DispatcherType.REQUEST));
            ApiServlet apiServlet = new ApiServlet(client, limits, metrics, analyses);
            context.addServlet(new ServletHolder("api", api ? apiServlet : new HealthOnlyServlet(apiServlet)), "/*");
            ThreatMcpServer.HttpBinding binding = null;
            if (mcp != null) {
                binding = mcp.http();
                ServletHolder holder = new ServletHolder("mcp", binding.servlet());
                holder.setAsyncSupported(true);
                context.addServlet(holder, ThreatMcpServer.HTTP_ENDPOINT);
            }
            jetty.setHandler(context);
            try {
                jetty.start();
            } catch (Exception e) {
                try {
                    jetty.stop();
                } catch (Exception ignored) {
                    // already failing; the start error is the one to report
                }
                throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new ApiServer(jetty, connector, binding);
        }
    }

    /** {@code threatmon mcp --transport http}: only {@code /healthz} besides {@code /mcp}; everything else 404. */
    private static final class HealthOnlyServlet extends jakarta.servlet.http.HttpServlet {
        private final ApiServlet api;

        HealthOnlyServlet(ApiServlet api) {
            this.api = api;
        }

        @Override
        protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                throws java.io.IOException {
            if ("/healthz".equals(req.getRequestURI())) {
                api.service(req, resp);
            } else {
                ApiServlet.writeError(req, resp, 404, "not_found", "this server only speaks MCP at " + ThreatMcpServer.HTTP_ENDPOINT);
            }
        }
    }
}
