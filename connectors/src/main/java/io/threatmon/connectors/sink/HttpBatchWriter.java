package io.threatmon.connectors.sink;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * The writer of an {@link HttpSink}: collects a batch, sends it synchronously (blocking the task
 * thread is the back-pressure) and retries as the sink's Javadoc says. The batch timer runs on the
 * task's mailbox thread like {@code write}, so no field needs locking.
 */
final class HttpBatchWriter implements SinkWriter<String> {

    private static final int BODY_EXCERPT_CHARS = 300;

    private final HttpSink config;
    private final ProcessingTimeService timers;
    private final HttpClient client;
    private final List<String> batch = new ArrayList<>();
    private final Counter sent;
    private final Counter bytes;
    private final Counter retries;
    private long batchBytes;
    private ScheduledFuture<?> timer;

    /** {@code timers} may be null: batches then go out by size and on flush only. */
    HttpBatchWriter(HttpSink config, ProcessingTimeService timers, SinkWriterMetricGroup metrics) {
        this.config = config;
        this.timers = timers;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.sent = metrics.getNumRecordsSendCounter();
        this.bytes = metrics.getNumBytesSendCounter();
        this.retries = metrics.counter("retries");
    }

    @Override
    public void write(String event, Context context) throws IOException, InterruptedException {
        batch.add(event);
        batchBytes += event.length() + 1;
        if (batch.size() >= config.batchSize() || batchBytes >= HttpSink.MAX_BATCH_BYTES) {
            send();
        } else if (timer == null && timers != null) {
            long due = timers.getCurrentProcessingTime() + config.batchInterval().toMillis();
            timer = timers.registerTimer(due, time -> {
                timer = null;
                send();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        send();
    }

    /** Sends the batch until the server takes it, or throws; the batch is cleared only on success. */
    void send() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        byte[] body = body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder rb = HttpRequest.newBuilder(config.url())
                .timeout(HttpSink.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        config.headers().forEach(rb::header);
        HttpRequest request = rb.build();
        String last = null;
        for (int attempt = 1; attempt <= config.retry().maxAttempts(); attempt++) {
            long waitMillis;
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = r.statusCode();
                if (status / 100 == 2) {
                    sent.inc(batch.size());
                    bytes.inc(body.length);
                    batch.clear();
                    batchBytes = 0;
                    return;
                }
                last = "HTTP " + status + " " + excerpt(r.body());
                if (status == 429) {
                    waitMillis = config.retry().retryAfterMillis(attempt, retryAfterMillis(r.headers().firstValue("Retry-After")));
                } else if (status == 408 || status / 100 == 5) {
                    waitMillis = config.retry().backoffMillis(attempt);
                } else {
                    throw new SinkDeliveryException("POST " + config.url() + " rejected " + batch.size() + " event(s): " + last
                            + " (not retried: fix the sink's URL, token or format)", true, null);
                }
            } catch (SinkDeliveryException e) {
                throw e;
            } catch (IOException e) {
                last = e.toString();
                waitMillis = config.retry().backoffMillis(attempt);
            }
            if (attempt < config.retry().maxAttempts()) {
                retries.inc();
                Thread.sleep(waitMillis);
            }
        }
        throw new SinkDeliveryException("POST " + config.url() + " failed " + config.retry().maxAttempts() + " times for "
                + batch.size() + " event(s); last: " + last, false, null);
    }

    private String body() {
        if (config.body() == HttpSink.Body.CONCATENATED) {
            return String.join("", batch);
        }
        return "[" + String.join(",", batch) + "]";
    }

    /** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); 0 when absent or unreadable. */
    static long retryAfterMillis(Optional<String> header) {
        if (header.isEmpty()) {
            return 0;
        }
        String v = header.get().trim();
        try {
            return Math.max(0, Long.parseLong(v)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException notADate) {
                return 0;
            }
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= BODY_EXCERPT_CHARS ? oneLine : oneLine.substring(0, BODY_EXCERPT_CHARS) + "…";
    }

    int pending() {
        return batch.size();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
