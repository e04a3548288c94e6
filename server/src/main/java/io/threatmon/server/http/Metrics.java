package io.threatmon.server.http;

import io.threatmon.engine.AnalysisResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's Prometheus metrics, rendered in the text exposition format (version 0.0.4). A
 * handful of counters and one histogram: written here (about a hundred lines) rather than adding
 * the Prometheus client's several jars. Thread-safe.
 *
 * <pre>{@code
 * metrics.request("/v1/analyze", 200, 0.0012);
 * metrics.analysis(result);
 * String text = metrics.render();
 * }</pre>
 */
public final class Metrics {

    /** Request-duration histogram bounds, in seconds. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> verdicts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> threats = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> methods = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private final long startMillis = System.currentTimeMillis();
    private final int rules;

    public Metrics(int rules) {
        this.rules = rules;
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder total = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                }
            }
            total.increment();
            sum.add(seconds);
        }
    }

    /** One finished request on {@code route} (a route pattern, never a raw path, so labels stay few). */
    public void request(String route, int status, double seconds) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        durations.computeIfAbsent(route, k -> new Histogram()).observe(seconds);
    }

    /** One analysed text. */
    public void analysis(AnalysisResult r) {
        verdicts.computeIfAbsent(r.isThreat() ? "threat" : "safe", k -> new LongAdder()).increment();
        methods.computeIfAbsent(r.detectionMethod().id(), k -> new LongAdder()).increment();
        if (r.isThreat() && r.threatType() != null) {
            threats.computeIfAbsent(r.threatType(), k -> new LongAdder()).increment();
        }
    }

    /** A request refused before analysis (auth, size, bad JSON). */
    public void rejected() {
        rejected.increment();
    }

    /** Everything, in the Prometheus text format. */
    public String render() {
        StringBuilder b = new StringBuilder(4096);
        header(b, "threatmon_http_requests_total", "counter", "HTTP requests by route and status.");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] parts = k.split("\u0000");
            b.append("threatmon_http_requests_total{route=\"").append(escape(parts[0])).append("\",status=\"")
                    .append(parts[1]).append("\"} ").append(v.sum()).append('\n');
        });
        header(b, "threatmon_http_request_duration_seconds", "histogram", "Time to answer a request.");
        new TreeMap<>(durations).forEach((route, h) -> {
            String r = escape(route);
            for (int i = 0; i < BUCKETS.length; i++) {
                b.append("threatmon_http_request_duration_seconds_bucket{route=\"").append(r).append("\",le=\"")
                        .append(format(BUCKETS[i])).append("\"} ").append(h.counts[i].sum()).append('\n');
            }
            long total = h.total.sum();
            b.append("threatmon_http_request_duration_seconds_bucket{route=\"").append(r).append("\",le=\"+Inf\"} ")
                    .append(total).append('\n');
            b.append("threatmon_http_request_duration_seconds_sum{route=\"").append(r).append("\"} ")
                    .append(format(h.sum.sum())).append('\n');
            b.append("threatmon_http_request_duration_seconds_count{route=\"").append(r).append("\"} ")
                    .append(total).append('\n');
        });
        labelled(b, "threatmon_analyses_total", "Texts analysed, by verdict.", "verdict", verdicts);
        labelled(b, "threatmon_threats_total", "Threats found, by primary category.", "category", threats);
        labelled(b, "threatmon_analyses_by_method_total", "Texts analysed, by detection method.", "method", methods);
        header(b, "threatmon_http_rejected_total", "counter", "Requests refused before analysis (auth, size, bad input).");
        b.append("threatmon_http_rejected_total ").append(rejected.sum()).append('\n');
        header(b, "threatmon_rules_loaded", "gauge", "Enabled rules.");
        b.append("threatmon_rules_loaded ").append(rules).append('\n');
        header(b, "threatmon_uptime_seconds", "gauge", "Seconds since the server started.");
        b.append("threatmon_uptime_seconds ").append((System.currentTimeMillis() - startMillis) / 1000).append('\n');
        return b.toString();
    }

    private static void labelled(StringBuilder b, String name, String help, String label, Map<String, LongAdder> values) {
        header(b, name, "counter", help);
        new TreeMap<>(values).forEach((k, v) -> b.append(name).append('{').append(label).append("=\"").append(escape(k))
                .append("\"} ").append(v.sum()).append('\n'));
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String format(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
