package io.threatmon.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.BatchResult;
import io.threatmon.engine.Direction;
import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.Version;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.Limits;
import io.threatmon.server.RuleDocuments;
import io.threatmon.server.ServerJson;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP API's routes: {@code POST /v1/analyze}, {@code POST /v1/batch}, {@code GET /v1/rules},
 * {@code GET /v1/rules/{id}}, {@code GET /healthz}, {@code GET /metrics}. Every error is JSON
 * ({@code {"error": {"status", "code", "message"}}}); API keys are checked by {@link ApiKeyFilter}.
 */
final class ApiServlet extends HttpServlet {

    /** Request attribute set once the body has been read or drained to its end. */
    private static final String BODY_READ = ApiServlet.class.getName() + ".bodyRead";

    private final ThreatClient client;
    private final Limits limits;
    private final Metrics metrics;
    private final AnalysisLog log;

    ApiServlet(ThreatClient client, Limits limits, Metrics metrics, AnalysisLog log) {
        this.client = client;
        this.limits = limits;
        this.metrics = metrics;
        this.log = log;
    }

    /** The route pattern of a path, for metric labels (raw paths would explode the label set). */
    static String route(String path) {
        if (path == null) {
            return "other";
        }
        return switch (path) {
            case "/v1/analyze", "/v1/batch", "/v1/rules", "/healthz", "/metrics", "/mcp" -> path;
            default -> path.startsWith("/v1/rules/") ? "/v1/rules/{id}" : "other";
        };
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        String path = req.getRequestURI();
        String method = req.getMethod();
        int status;
        try {
            status = dispatch(method, path, req, resp);
        } catch (HttpError e) {
            metrics.rejected();
            status = e.status;
            writeError(req, resp, e.status, e.code, e.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            writeError(req, resp, 500, "internal_error", "internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        metrics.request(route(path), status, (System.nanoTime() - start) / 1e9);
    }

    private int dispatch(String method, String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (path) {
            case "/v1/analyze" -> {
                allow(method, "POST");
                return analyze(req, resp);
            }
            case "/v1/batch" -> {
                allow(method, "POST");
                return batch(req, resp);
            }
            case "/v1/rules" -> {
                allow(method, "GET");
                return rules(req, resp);
            }
            case "/healthz" -> {
                allow(method, "GET");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "ok");
                m.put("version", Version.ENGINE);
                m.put("rules", client.rules().size());
                m.put("threshold", client.threshold());
                m.put("mode", client.mode().id());
                return write(resp, 200, ServerJson.write(m));
            }
            case "/metrics" -> {
                allow(method, "GET");
                resp.setStatus(200);
                resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
                resp.getOutputStream().write(metrics.render().getBytes(StandardCharsets.UTF_8));
                return 200;
            }
            default -> {
                if (path.startsWith("/v1/rules/")) {
                    allow(method, "GET");
                    return rule(URLDecoder.decode(path.substring("/v1/rules/".length()), StandardCharsets.UTF_8), resp);
                }
                throw new HttpError(404, "not_found", "no route " + method + " " + path
                        + "; routes: POST /v1/analyze, POST /v1/batch, GET /v1/rules, GET /v1/rules/{id}, GET /healthz, GET /metrics");
            }
        }
    }

    private int analyze(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = body(req);
        String text = text(body, "text", "prompt");
        Direction direction = direction(body);
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode md = body.get("metadata");
        if (md != null && !md.isNull()) {
            if (!md.isObject()) {
                throw new HttpError(400, "bad_request", "'metadata' must be an object of strings");
            }
            md.properties().forEach(e -> metadata.put(e.getKey(), e.getValue().isTextual()
                    ? e.getValue().asText() : e.getValue().toString()));
        }
        AnalysisResult r = client.analyze(text, direction, metadata);
        metrics.analysis(r);
        log.record(r);
        return write(resp, 200, r.toJson());
    }

    private int batch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = body(req);
        JsonNode arr = body.has("texts") ? body.get("texts") : body.get("prompts");
        if (arr == null || !arr.isArray()) {
            throw new HttpError(400, "bad_request", "'texts' must be an array of strings");
        }
        if (arr.isEmpty()) {
            throw new HttpError(400, "bad_request", "'texts' is empty");
        }
        if (arr.size() > limits.maxBatchSize()) {
            throw new HttpError(413, "batch_too_large", "batch of " + arr.size() + " texts is over the limit of "
                    + limits.maxBatchSize() + "; split it");
        }
        List<String> texts = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode t = arr.get(i);
            if (!t.isTextual()) {
                throw new HttpError(400, "bad_request", "texts[" + i + "] must be a string");
            }
            texts.add(checked(t.asText(), "texts[" + i + "]"));
        }
        BatchResult b = client.analyzeBatch(texts, direction(body),
                Math.min(texts.size(), Runtime.getRuntime().availableProcessors()));
        for (AnalysisResult r : b.results()) {
            metrics.analysis(r);
            log.record(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", b.results());
        out.put("summary", b.summary());
        return write(resp, 200, ServerJson.write(out));
    }

    private int rules(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String category = req.getParameter("category");
        List<RuleDefinition> defs = category == null || category.isBlank()
                ? client.rules().definitions()
                : RuleDocuments.inCategory(client.rules(), category);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", defs.size());
        out.put("packs", RuleDocuments.packs(client.rules()));
        out.put("categories", RuleDocuments.categoryCounts(client.rules()));
        out.put("rules", defs.stream().map(RuleDocuments::summary).toList());
        return write(resp, 200, ServerJson.write(out));
    }

    private int rule(String id, HttpServletResponse resp) throws IOException {
        RuleDefinition d = client.rules().rule(id.trim()).orElseThrow(() ->
                new HttpError(404, "not_found", "no rule with id '" + id + "' (GET /v1/rules lists them)"));
        Map<String, Object> m = new LinkedHashMap<>(RuleDocuments.toMap(d));
        m.put("source", d.location());
        return write(resp, 200, ServerJson.write(m));
    }

    /** The request body as a JSON object, at most {@code maxBodyBytes}. */
    private JsonNode body(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            if (declared > limits.maxBodyBytes()) {
                drain(req, in, declared);
                throw tooLarge(declared);
            }
            bytes = in.readNBytes(limits.maxBodyBytes() + 1);
            if (bytes.length > limits.maxBodyBytes()) {
                drain(req, in, declared);
                throw tooLarge(-1);
            }
        }
        req.setAttribute(BODY_READ, Boolean.TRUE);
        if (bytes.length == 0) {
            throw new HttpError(400, "bad_request", "empty body: send a JSON object, e.g. {\"text\": \"…\"}");
        }
        JsonNode n;
        try {
            n = ServerJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "bad_json", "body is not valid JSON: "
                    + (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token")
                            ? "more than one JSON value" : e.getOriginalMessage())
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (n == null || !n.isObject()) {
            throw new HttpError(400, "bad_request", "body must be a JSON object, e.g. {\"text\": \"…\"}");
        }
        return n;
    }

    /**
     * Reads and discards what is left of a refused body (of {@code declared} bytes, -1 when not
     * declared), up to four times the limit, so that a client still sending it reads the 413
     * instead of a reset connection (seen as "header parser received no bytes" by Java's HTTP
     * client). A larger body is not read: the server then closes the connection rather than spend
     * its bandwidth on it.
     */
    private void drain(HttpServletRequest req, InputStream in, long declared) {
        long budget = 4L * limits.maxBodyBytes();
        if (declared > budget) {
            return;
        }
        try {
            byte[] sink = new byte[8192];
            int n = 0;
            while (budget > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, budget))) > 0) {
                budget -= n;
            }
            if (n < 0) {
                req.setAttribute(BODY_READ, Boolean.TRUE);
            }
        } catch (IOException e) {
            // the client went away: nothing left to answer
        }
    }

    private HttpError tooLarge(long declared) {
        return new HttpError(413, "payload_too_large", "request body " + (declared > 0 ? "of " + declared + " bytes " : "")
                + "is over the limit of " + limits.maxBodyBytes() + " bytes");
    }

    private String text(JsonNode body, String name, String alias) {
        JsonNode t = body.has(name) ? body.get(name) : body.get(alias);
        if (t == null || t.isNull()) {
            throw new HttpError(400, "bad_request", "missing '" + name + "': the text to analyse");
        }
        if (!t.isTextual()) {
            throw new HttpError(400, "bad_request", "'" + name + "' must be a string");
        }
        return checked(t.asText(), name);
    }

    private String checked(String text, String name) {
        if (text.length() > limits.maxPromptChars()) {
            throw new HttpError(413, "text_too_large", name + " is " + text.length() + " characters; the limit is "
                    + limits.maxPromptChars());
        }
        return text;
    }

    private static Direction direction(JsonNode body) {
        JsonNode d = body.get("direction");
        if (d == null || d.isNull()) {
            return Direction.PROMPT;
        }
        try {
            return Direction.parse(d.asText());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad_request", e.getMessage());
        }
    }

    private static void allow(String method, String allowed) {
        // HEAD is GET without the body (RFC 9110; load balancers probe /healthz with it): the
        // servlet container drops the body of a HEAD response.
        if (!allowed.equals(method) && !("HEAD".equals(method) && "GET".equals(allowed))) {
            throw new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + allowed);
        }
    }

    private static boolean hasBody(HttpServletRequest req) {
        return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
    }

    private static int write(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
        return status;
    }

    /**
     * {@code {"error": {"status": 413, "code": "payload_too_large", "message": "…"}}}.
     *
     * <p>When the request carried a body this server did not read to its end (refused before
     * reading: no API key, unknown route, wrong method, a body too large to drain), the answer says
     * {@code Connection: close}. The response is complete before the servlet returns, so Jetty can
     * no longer announce the close it then makes to discard the unread body; without the header a
     * client pools the connection and its next request fails ("header parser received no bytes"
     * from Java's HTTP client, seen in CI after a 401).
     */
    static void writeError(HttpServletRequest req, HttpServletResponse resp, int status, String code, String message)
            throws IOException {
        if (hasBody(req) && req.getAttribute(BODY_READ) == null) {
            resp.setHeader("Connection", "close");
        }
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("status", status);
        err.put("code", code);
        err.put("message", message);
        if (status == 405) {
            resp.setHeader("Allow", message.substring(message.lastIndexOf(' ') + 1).toUpperCase(Locale.ROOT));
        }
        write(resp, status, ServerJson.write(Map.of("error", err)));
    }
}
