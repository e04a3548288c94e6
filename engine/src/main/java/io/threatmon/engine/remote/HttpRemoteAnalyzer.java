package io.threatmon.engine.remote;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Version;
import io.threatmon.engine.internal.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** {@link RemoteAnalyzer#http}: {@code POST /v1/analyze} on a ThreatMon server with the JDK's HTTP client. */
final class HttpRemoteAnalyzer implements RemoteAnalyzer {

    /** Tolerates fields a newer server adds. */
    private static final ObjectReader RESULT_READER = Json.MAPPER.readerFor(AnalysisResult.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI analyzeUri;
    private final String base;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    HttpRemoteAnalyzer(URI baseUrl, String apiKey, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("API URL must be http(s)://host[:port][/path], not '" + baseUrl + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("API timeout must be positive, not " + timeout);
        }
        String s = baseUrl.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.analyzeUri = URI.create(base + "/v1/analyze");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public AnalysisResult analyze(String text, Direction direction) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("direction", direction.id());
        HttpRequest.Builder req = HttpRequest.newBuilder(analyzeUri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "threatmon-sdk/" + Version.ENGINE)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        if (apiKey != null) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new RemoteAnalysisException(base + " did not answer within " + timeout.toMillis() + " ms", 0, e);
        } catch (ConnectException e) {
            throw new RemoteAnalysisException("cannot connect to " + base
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0, e);
        } catch (IOException e) {
            throw new RemoteAnalysisException("I/O error talking to " + base + ": " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteAnalysisException("interrupted while waiting for " + base, 0, e);
        }
        if (resp.statusCode() != 200) {
            throw new RemoteAnalysisException(base + " answered " + resp.statusCode() + errorMessage(resp.body()),
                    resp.statusCode(), null);
        }
        try {
            return RESULT_READER.readValue(resp.body());
        } catch (IOException | RuntimeException e) {
            throw new RemoteAnalysisException(base + " answered something that is not an analysis result: "
                    + e.getMessage(), resp.statusCode(), e);
        }
    }

    /** The server's JSON error message ({@code {"error": {"message": …}}}), when there is one. */
    private static String errorMessage(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            JsonNode m = n.path("error").path("message");
            return m.isTextual() ? ": " + m.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String describe() {
        return base;
    }
}
