package io.threatmon.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.function.IntFunction;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP sink against a real HTTP server on loopback answering what each case needs. */
class HttpSinkTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final RetryPolicy FAST = new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(20));

    /** One request the server saw. */
    record Request(long atNanos, String path, Map<String, List<String>> headers, String body, int status) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** Starts a server whose n-th request (0-based) gets {@code status.apply(n)}; delay per request in ms. */
    private URI serve(IntFunction<Integer> status, Map<String, String> extraHeaders, long delayMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", (HttpExchange x) -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int code = status.apply(requests.size());
            requests.add(new Request(System.nanoTime(), x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()), body, code));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            extraHeaders.forEach((k, v) -> x.getResponseHeaders().add(k, v));
            byte[] answer = (code == 400 ? "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":0}"
                    : code / 100 == 2 ? "{\"text\":\"Success\",\"code\":0}" : "{\"text\":\"Server is busy\",\"code\":9}")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(code, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static List<String> events(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("{\"time\":1772627696.789,\"event\":{\"n\":" + i + ",\"excerpt\":\"a|b=c\\\\d\\nПривет 🚀\"}}");
        }
        return out;
    }

    private static List<Integer> hecNumbers(String body) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (it.hasNext()) {
                out.add(it.next().at("/event/n").asInt());
            }
        }
        return out;
    }

    private List<Integer> deliveredHec() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.status() / 100 == 2) {
                out.addAll(hecNumbers(r.body()));
            }
        }
        return out;
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void shouldRetryA503AndDeliverEveryEventExactlyOnceToSplunkHec() throws Exception {
        URI base = serve(n -> n == 0 ? 503 : 200, Map.of(), 0);
        HttpSink sink = HttpSink.splunkHec(base, "secret-token", 100, Duration.ofSeconds(60), FAST);
        try (HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics())) {
            for (String e : events(250)) {
                w.write(e, null);
            }
            w.flush(true);
        }
        assertEquals(4, requests.size(), "100 (503), 100 again, 100, then 50 on flush");
        assertEquals(503, requests.get(0).status());
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the refused batch is resent as it was");
        assertEquals(range(250), deliveredHec(), "every event once, in order");
        Request r = requests.get(1);
        assertEquals(HttpSink.HEC_PATH, r.path());
        assertEquals("Splunk secret-token", r.header("Authorization"));
        assertTrue(r.body().startsWith("{") && r.body().contains("}{"), "HEC events are concatenated objects");
    }

    @Test
    void shouldWaitAsLongAsRetryAfterSaysOnA429() throws Exception {
        URI base = serve(n -> n == 0 ? 429 : 200, Map.of("Retry-After", "1"), 0);
        HttpSink sink = HttpSink.splunkHec(base, "t", 10, Duration.ofSeconds(60), FAST);
        try (HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics())) {
            for (String e : events(3)) {
                w.write(e, null);
            }
            w.flush(true);
        }
        assertEquals(2, requests.size());
        long waitedMillis = (requests.get(1).atNanos() - requests.get(0).atNanos()) / 1_000_000;
        assertTrue(waitedMillis >= 990, "Retry-After: 1 honoured, waited " + waitedMillis + " ms (the backoff alone is ≤ 20 ms)");
        assertEquals(range(3), deliveredHec());
    }

    @Test
    void shouldFailAtOnceOnA400NamingUrlStatusAndBody() throws Exception {
        URI base = serve(n -> 400, Map.of(), 0);
        HttpSink sink = HttpSink.splunkHec(base, "t", 10, Duration.ofSeconds(60), FAST);
        HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics());
        w.write(events(1).get(0), null);
        SinkDeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(SinkDeliveryException.class, () -> w.flush(true)));
        assertTrue(e.permanent());
        assertEquals(1, requests.size(), "a 400 is never retried");
        assertTrue(e.getMessage().contains(base + HttpSink.HEC_PATH), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid data format"), e.getMessage());
        assertFalse(e.getMessage().contains("Splunk t"), "no token in the message");
        assertEquals(1, w.pending(), "the refused event is kept, not dropped");
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWhenTheServerStaysDown() throws Exception {
        URI base = serve(n -> 503, Map.of(), 0);
        HttpSink sink = HttpSink.webhook(base.resolve("/hook"), Map.of(), 10, Duration.ofSeconds(60), FAST);
        HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics());
        w.write("{\"n\":0}", null);
        SinkDeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(SinkDeliveryException.class, () -> w.flush(true)));
        assertFalse(e.permanent());
        assertEquals(FAST.maxAttempts(), requests.size());
        assertTrue(e.getMessage().contains("failed 5 times") && e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    @Test
    void shouldRetryWhenNobodyListensThenFail() throws Exception {
        URI base = serve(n -> 200, Map.of(), 0);
        server.stop(0);
        HttpSink sink = HttpSink.webhook(base.resolve("/hook"), Map.of(), 10, Duration.ofSeconds(60), FAST);
        HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics());
        w.write("{\"n\":0}", null);
        SinkDeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(SinkDeliveryException.class, () -> w.flush(true)));
        assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
    }

    @Test
    void shouldPostAJsonArrayWithBearerTokenAndExtraHeaderToAWebhook() throws Exception {
        URI base = serve(n -> 200, Map.of(), 0);
        HttpSink sink = HttpSink.webhook(base.resolve("/hooks/llm"), Map.of("Authorization", "Bearer abc", "X-Tenant", "soc-1"),
                2, Duration.ofSeconds(60), FAST);
        try (HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics())) {
            for (int i = 0; i < 5; i++) {
                w.write("{\"n\":" + i + ",\"text\":\"Привет 🚀\"}", null);
            }
            w.flush(true);
        }
        assertEquals(3, requests.size());
        List<Integer> got = new ArrayList<>();
        for (Request r : requests) {
            assertEquals("/hooks/llm", r.path());
            assertEquals("Bearer abc", r.header("Authorization"));
            assertEquals("soc-1", r.header("X-Tenant"));
            assertEquals("application/json", r.header("Content-Type"));
            JsonNode arr = JSON.readTree(r.body());
            assertTrue(arr.isArray());
            arr.forEach(n -> {
                got.add(n.get("n").asInt());
                assertEquals("Привет 🚀", n.get("text").asText());
            });
        }
        assertEquals(range(5), got);
    }

    @Test
    void shouldBlockTheWriterWhileASlowReceiverWorksAndLoseNothing() throws Exception {
        URI base = serve(n -> 200, Map.of(), 200);
        HttpSink sink = HttpSink.splunkHec(base, "t", 1, Duration.ofSeconds(60), FAST);
        List<String> events = events(5);
        try (HttpBatchWriter w = new HttpBatchWriter(sink, null, SyslogSinksTest.metrics())) {
            for (int i = 0; i < events.size(); i++) {
                w.write(events.get(i), null);
                // write() returns only once the server answered: the task thread is held, which is Flink back-pressure
                assertEquals(i + 1, requests.size(), "request " + i + " completed before write returned");
                assertEquals(0, w.pending());
            }
        }
        assertEquals(range(5), deliveredHec());
    }

    @Test
    void shouldSendAPartialBatchWhenTheBatchIntervalTimerFires() throws Exception {
        URI base = serve(n -> 200, Map.of(), 0);
        ManualTimers timers = new ManualTimers();
        HttpSink sink = HttpSink.splunkHec(base, "t", 100, Duration.ofMillis(500), FAST);
        try (HttpBatchWriter w = new HttpBatchWriter(sink, timers, SyslogSinksTest.metrics())) {
            for (String e : events(3)) {
                w.write(e, null);
            }
            assertEquals(1, timers.callbacks.size(), "one timer per batch");
            assertEquals(timers.now + 500, timers.dueTimes.get(0));
            assertEquals(0, requests.size());
            timers.callbacks.get(0).onProcessingTime(timers.now + 500);
            assertEquals(1, requests.size());
            assertEquals(0, w.pending());
        }
        assertEquals(range(3), deliveredHec());
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        assertEquals(3000, HttpBatchWriter.retryAfterMillis(Optional.of("3")));
        assertEquals(0, HttpBatchWriter.retryAfterMillis(Optional.empty()));
        assertEquals(0, HttpBatchWriter.retryAfterMillis(Optional.of("soon")));
        assertEquals(0, HttpBatchWriter.retryAfterMillis(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT")), "a past date: now");
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(1));
        long ms = HttpBatchWriter.retryAfterMillis(Optional.of(inAMinute));
        assertTrue(ms > 50_000 && ms <= 60_000, "about a minute: " + ms);
    }

    /** A processing-time service whose timers the test fires by hand (on the test thread, like Flink's mailbox). */
    static final class ManualTimers implements ProcessingTimeService {
        final long now = 1_000_000L;
        final List<ProcessingTimeCallback> callbacks = new ArrayList<>();
        final List<Long> dueTimes = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            callbacks.add(target);
            dueTimes.add(timestamp);
            return new IdleFuture();
        }
    }

    /** A future the writer can cancel; nothing runs it. */
    static final class IdleFuture extends java.util.concurrent.FutureTask<Void> implements ScheduledFuture<Void> {
        IdleFuture() {
            super(() -> null);
        }

        @Override
        public long getDelay(java.util.concurrent.TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed o) {
            return 0;
        }
    }
}
