package io.threatmon.connectors.sink;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Events POSTed in batches to an HTTP endpoint: Splunk's HTTP Event Collector ({@link #splunkHec})
 * or any webhook taking a JSON array ({@link #webhook}).
 *
 * <p>A batch is sent when it holds {@code batchSize} events or about 1 MiB, when {@code batchInterval}
 * has passed since its first event, on every checkpoint and at the end of input, so delivery is
 * at-least-once. Sending blocks the writer (and so back-pressures the job) until the server accepts
 * the batch. 2xx is success. 429 is retried after the server's {@code Retry-After}; 408, 5xx,
 * connection errors and timeouts after an exponential backoff; both within the {@link RetryPolicy},
 * then the job fails. Any other status (400, 401, 403, 404, 413 …) is permanent: the job fails at
 * once with the URL, the status and the start of the response body ({@link SinkDeliveryException}).
 *
 * <p>Built on the JDK's {@link java.net.http.HttpClient}: one POST with headers and a timeout is all
 * a sink needs, so a client library would add a dependency (and its version conflicts with Flink's
 * classpath) for nothing.
 *
 * <pre>{@code
 * stream.sinkTo(HttpSink.splunkHec(URI.create("https://splunk:8088"), token, 100, Duration.ofSeconds(1), RetryPolicy.defaults()));
 * stream.sinkTo(HttpSink.webhook(URI.create("https://soar.example/hooks/llm"), Map.of("Authorization", "Bearer " + t),
 *         50, Duration.ofSeconds(1), RetryPolicy.defaults()));
 * }</pre>
 */
public final class HttpSink implements Sink<String> {

    private static final long serialVersionUID = 1L;

    /** How a batch becomes a request body. */
    enum Body {
        /** HEC: the event objects one after another. */
        CONCATENATED,
        /** Webhook: {@code [event,event,…]}. */
        JSON_ARRAY
    }

    /** Splunk HEC's event endpoint. */
    public static final String HEC_PATH = "/services/collector/event";
    /** A batch is sent once its body reaches this size, whatever {@code batchSize} says (HEC's default limit is 1 MB). */
    static final int MAX_BATCH_BYTES = 1 << 20;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final LinkedHashMap<String, String> headers;
    private final Body body;
    private final int batchSize;
    private final Duration batchInterval;
    private final RetryPolicy retry;

    private HttpSink(URI url, Map<String, String> headers, Body body, int batchSize, Duration batchInterval, RetryPolicy retry) {
        this.url = Objects.requireNonNull(url, "url");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("HTTP sink URL must be http:// or https://, not " + url);
        }
        this.headers = new LinkedHashMap<>(headers);
        this.body = body;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        }
        this.batchSize = batchSize;
        if (batchInterval == null || batchInterval.isNegative() || batchInterval.isZero()) {
            throw new IllegalArgumentException("batch interval must be positive, not " + batchInterval);
        }
        this.batchInterval = batchInterval;
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /**
     * Splunk HEC at {@code base} (scheme, host and port; the path {@value #HEC_PATH} is added) with
     * {@code Authorization: Splunk <token>}; events must be HEC event JSON
     * ({@code AlertFormatter.splunkHec()}).
     */
    public static HttpSink splunkHec(URI base, String token, int batchSize, Duration batchInterval, RetryPolicy retry) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("Splunk HEC needs a token");
        }
        URI url = base.resolve(HEC_PATH);
        return new HttpSink(url, Map.of("Authorization", "Splunk " + token), Body.CONCATENATED, batchSize, batchInterval, retry);
    }

    /** A webhook receiving {@code [event,…]} as {@code application/json}; events must be JSON objects. */
    public static HttpSink webhook(URI url, Map<String, String> headers, int batchSize, Duration batchInterval, RetryPolicy retry) {
        return new HttpSink(url, headers, Body.JSON_ARRAY, batchSize, batchInterval, retry);
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
        return new HttpBatchWriter(this, context.getProcessingTimeService(), context.metricGroup());
    }

    URI url() {
        return url;
    }

    Map<String, String> headers() {
        return headers;
    }

    Body body() {
        return body;
    }

    int batchSize() {
        return batchSize;
    }

    Duration batchInterval() {
        return batchInterval;
    }

    RetryPolicy retry() {
        return retry;
    }
}
