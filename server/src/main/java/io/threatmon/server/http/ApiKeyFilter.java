package io.threatmon.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Requires one of the server's API keys on every path but {@code /healthz} (load balancers probe
 * it without credentials), as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}. Covers
 * the MCP endpoint too when it is served.
 */
final class ApiKeyFilter extends HttpFilter {

    private final ApiKeys keys;
    private final Metrics metrics;

    ApiKeyFilter(ApiKeys keys, Metrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (!keys.required() || "/healthz".equals(req.getRequestURI()) || keys.accepts(presented(req))) {
            chain.doFilter(req, resp);
            return;
        }
        metrics.rejected();
        metrics.request(ApiServlet.route(req.getRequestURI()), 401, 0);
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"threatmon\"");
        ApiServlet.writeError(req, resp, 401, "unauthorized", presented(req) == null
                ? "missing API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
                : "API key not accepted");
    }

    private static String presented(HttpServletRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String key = req.getHeader("X-API-Key");
        return key == null ? null : key.trim();
    }
}
