package io.threatmon.server;

import io.threatmon.engine.AnalysisResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this server instance has analysed, for {@code get_threat_statistics}: the verdict of the
 * last {@code capacity} analyses (time, category, risk band, detection method, threat or not; never
 * the text), in memory. Thread-safe.
 *
 * <pre>{@code
 * AnalysisLog log = new AnalysisLog(100_000, Clock.systemUTC());
 * log.record(result);
 * Map<String, Object> stats = log.statistics("24h", "threat_type");
 * }</pre>
 */
public final class AnalysisLog {

    /** Default number of verdicts kept. */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** Accepted time ranges. */
    public static final List<String> TIME_RANGES = List.of("1h", "24h", "7d", "30d");

    /** Accepted groupings. */
    public static final List<String> GROUP_BY = List.of("threat_type", "risk_level", "detection_method", "time");

    private record Entry(long epochMillis, String threatType, String riskLevel, String method, boolean threat, int risk) {}

    private final Entry[] ring;
    private final Clock clock;
    private int next;
    private long total;

    public AnalysisLog(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.ring = new Entry[capacity];
        this.clock = clock;
    }

    /** Records one verdict. */
    public synchronized void record(AnalysisResult r) {
        ring[next] = new Entry(clock.millis(), r.threatType() == null ? "none" : r.threatType(), r.riskLevel().id(),
                r.detectionMethod().id(), r.isThreat(), r.riskScore());
        next = (next + 1) % ring.length;
        total++;
    }

    /**
     * Counts over the verdicts of the last {@code timeRange} ({@code 1h|24h|7d|30d}), grouped by
     * {@code threat_type|risk_level|detection_method|time} (time: hourly buckets for 1h and 24h,
     * daily for 7d and 30d).
     *
     * @throws IllegalArgumentException for another range or grouping, naming the accepted ones
     */
    public Map<String, Object> statistics(String timeRange, String groupBy) {
        String range = timeRange.trim().toLowerCase(Locale.ROOT);
        String group = groupBy.trim().toLowerCase(Locale.ROOT);
        Duration window = switch (range) {
            case "1h" -> Duration.ofHours(1);
            case "24h" -> Duration.ofHours(24);
            case "7d" -> Duration.ofDays(7);
            case "30d" -> Duration.ofDays(30);
            default -> throw new IllegalArgumentException("time_range must be one of " + TIME_RANGES + ", not '" + timeRange + "'");
        };
        if (!GROUP_BY.contains(group)) {
            throw new IllegalArgumentException("group_by must be one of " + GROUP_BY + ", not '" + groupBy + "'");
        }
        ChronoUnit bucket = window.compareTo(Duration.ofHours(24)) <= 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        long until = clock.millis();
        long since = until - window.toMillis();
        List<Entry> entries = snapshot();
        Map<String, long[]> groups = new TreeMap<>();
        long count = 0;
        long threats = 0;
        long riskSum = 0;
        for (Entry e : entries) {
            if (e.epochMillis() < since) {
                continue;
            }
            count++;
            riskSum += e.risk();
            if (e.threat()) {
                threats++;
            }
            String key = switch (group) {
                case "threat_type" -> e.threatType();
                case "risk_level" -> e.riskLevel();
                case "detection_method" -> e.method();
                default -> Instant.ofEpochMilli(e.epochMillis()).truncatedTo(bucket).toString();
            };
            long[] c = groups.computeIfAbsent(key, k -> new long[2]);
            c[0]++;
            if (e.threat()) {
                c[1]++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time_range", range);
        out.put("group_by", group);
        out.put("since", Instant.ofEpochMilli(since).toString());
        out.put("until", Instant.ofEpochMilli(until).toString());
        out.put("total_analyzed", count);
        out.put("threat_count", threats);
        out.put("safe_count", count - threats);
        out.put("threat_rate", count == 0 ? 0.0 : Math.round(10_000.0 * threats / count) / 10_000.0);
        out.put("average_risk_score", count == 0 ? 0.0 : Math.round(100.0 * riskSum / count) / 100.0);
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((k, c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(group.equals("time") ? "bucket_start" : group, k);
            row.put("count", c[0]);
            row.put("threats", c[1]);
            rows.add(row);
        });
        if (!group.equals("time")) {
            rows.sort((a, b) -> Long.compare((long) b.get("count"), (long) a.get("count")));
        }
        out.put("groups", rows);
        out.put("scope", "verdicts of this server process since it started, the last " + ring.length
                + " at most (" + Math.min(total, ring.length) + " held)");
        return out;
    }

    private synchronized List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(ring.length);
        for (Entry e : ring) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
