package io.threatmon.reports;

import io.threatmon.reports.AuditReport.ConversationRow;
import io.threatmon.reports.AuditReport.DeadLetter;
import io.threatmon.reports.AuditReport.Example;
import io.threatmon.reports.AuditReport.GroupRow;
import io.threatmon.reports.AuditReport.HistogramBucket;
import io.threatmon.reports.AuditReport.RuleCount;
import io.threatmon.reports.AuditReport.TimeBucket;
import io.threatmon.reports.AuditReport.TimeRange;
import io.threatmon.reports.AuditReport.TimeSeries;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Aggregates scored messages into an {@link AuditReport}: add, merge, result, as in a Flink
 * {@code AggregateFunction}, but with no Flink types. {@link #merge} is exact, associative and
 * commutative: counts are kept in full and examples are chosen by a total order, so any split of the
 * input into partitions, merged in any order, gives the same report.
 *
 * <p>State is proportional to distinct users, apps, roles, rules and conversations (a conversation
 * costs a few longs, its user and app, and a category map only if it has threats), plus one bucket
 * per hour with data; a million messages over 100k conversations fits in a few tens of MB.
 *
 * <p>Not thread-safe: one instance per task, as Flink uses it.
 *
 * <pre>{@code
 * AuditAccumulator acc = new AuditAccumulator();
 * messages.forEach(acc::add);
 * acc.addDeadLetter("logs/day.jsonl", 17, "invalid_json: unexpected character");
 * acc.merge(otherPartition);
 * AuditReport report = acc.result(runMetadata);
 * ReportWriter.writeAll(report, Path.of("out/report"));
 * }</pre>
 */
public final class AuditAccumulator implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TOP_N = 10;
    public static final int DEFAULT_EXAMPLES_PER_CATEGORY = 3;
    /** Dead letters kept as examples: the first by (source, line, reason). */
    public static final int DEAD_LETTER_EXAMPLES = 20;
    /** Above this span of hours with data, the time series is rolled up to days. */
    public static final int MAX_HOURLY_BUCKETS = 72;
    /** Name used in tables for a missing user, app, role or category. */
    public static final String UNKNOWN = "(unknown)";
    /** The standard risk levels, in report order. */
    public static final List<String> RISK_LEVELS = List.of("critical", "high", "medium", "low", "very_low");

    private static final long HOUR_MS = 3_600_000L;
    /** Gaps in the time series are filled with zero buckets only up to this many buckets. */
    private static final int MAX_FILLED_BUCKETS = 2000;
    private static final int MAX_REASON_KIND = 40;

    private final int topN;
    private final int examplesPerCategory;

    private long messages;
    private long threats;
    private long untimed;
    private long analysisMicros;
    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;
    private final long[] histogram = new long[10];
    private final HashMap<String, Long> byCategory = new HashMap<>();
    private final HashMap<String, Long> bySeverity = new HashMap<>();
    private final HashMap<String, Long> rules = new HashMap<>();
    private final HashMap<String, Group> roles = new HashMap<>();
    private final HashMap<String, Group> users = new HashMap<>();
    private final HashMap<String, Group> apps = new HashMap<>();
    private final HashMap<String, Conversation> conversations = new HashMap<>();
    /** epoch hour → {messages, threats}. */
    private final HashMap<Long, long[]> hours = new HashMap<>();
    /** category → the top examples, sorted by {@link #EXAMPLE_ORDER}. */
    private final HashMap<String, ArrayList<ScoredMessage>> examples = new HashMap<>();

    private long deadLetters;
    private final HashMap<String, Long> deadLetterReasons = new HashMap<>();
    private final ArrayList<DeadLetter> deadLetterExamples = new ArrayList<>();

    /** Highest risk first, then by source and line: a total order, so examples never depend on merge order. */
    static final Comparator<ScoredMessage> EXAMPLE_ORDER = Comparator
            .comparingInt((ScoredMessage m) -> -m.riskScore)
            .thenComparing(m -> m.source, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(m -> m.line)
            .thenComparing(m -> m.messageId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(m -> m.conversationId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(m -> m.timestamp)
            .thenComparing(m -> m.excerpt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(m -> m.text, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final Comparator<DeadLetter> DEAD_LETTER_ORDER = Comparator
            .comparing(DeadLetter::source, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(DeadLetter::line)
            .thenComparing(DeadLetter::reason, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** An accumulator with {@link #DEFAULT_TOP_N} rows per table and {@link #DEFAULT_EXAMPLES_PER_CATEGORY}. */
    public AuditAccumulator() {
        this(DEFAULT_TOP_N, DEFAULT_EXAMPLES_PER_CATEGORY);
    }

    /**
     * @param topN                rows in the user, app, rule and conversation tables (at least 1)
     * @param examplesPerCategory examples kept per category (0 for none)
     */
    public AuditAccumulator(int topN, int examplesPerCategory) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be at least 1, was " + topN);
        }
        if (examplesPerCategory < 0) {
            throw new IllegalArgumentException("examplesPerCategory must not be negative, was " + examplesPerCategory);
        }
        this.topN = topN;
        this.examplesPerCategory = examplesPerCategory;
    }

    public int topN() {
        return topN;
    }

    public int examplesPerCategory() {
        return examplesPerCategory;
    }

    /** Messages added so far (not counting dead letters). */
    public long messages() {
        return messages;
    }

    /** Counts one scored message. The message is copied if kept as an example, so callers may reuse it. */
    public AuditAccumulator add(ScoredMessage m) {
        Objects.requireNonNull(m, "message");
        messages++;
        analysisMicros += Math.max(0, m.analysisMicros);
        int risk = Math.max(0, Math.min(100, m.riskScore));
        histogram[Math.min(9, risk / 10)]++;
        String category = m.threat ? orUnknown(m.threatType) : null;
        if (m.threat) {
            threats++;
            increment(byCategory, category, 1);
            increment(bySeverity, orUnknown(m.riskLevel), 1);
        }
        String[] fired = m.matchedRules;
        if (fired != null) {
            for (int i = 0; i < fired.length; i++) {
                if (fired[i] != null && !containsBefore(fired, i)) {
                    increment(rules, fired[i], 1);
                }
            }
        }
        roles.computeIfAbsent(orUnknown(m.role), k -> new Group()).add(category);
        users.computeIfAbsent(orUnknown(m.user), k -> new Group()).add(category);
        apps.computeIfAbsent(orUnknown(m.app), k -> new Group()).add(category);
        if (m.conversationId != null) {
            conversations.computeIfAbsent(m.conversationId, k -> new Conversation()).add(m, risk, category);
        }
        if (m.timestamp == ScoredMessage.NO_TIME) {
            untimed++;
        } else {
            firstTimestamp = Math.min(firstTimestamp, m.timestamp);
            lastTimestamp = Math.max(lastTimestamp, m.timestamp);
            long[] bucket = hours.computeIfAbsent(Math.floorDiv(m.timestamp, HOUR_MS), k -> new long[2]);
            bucket[0]++;
            if (m.threat) {
                bucket[1]++;
            }
        }
        if (m.threat && examplesPerCategory > 0) {
            offerExample(category, m, true);
        }
        return this;
    }

    /**
     * Counts a record that could not be read or scored. The reason's kind is its text before the first
     * {@code ':'}, lower-cased with spaces as underscores ({@code "Invalid JSON: …"} → {@code invalid_json}).
     */
    public AuditAccumulator addDeadLetter(String source, long line, String reason) {
        deadLetters++;
        increment(deadLetterReasons, reasonKind(reason), 1);
        // A reason can quote the bad value ("bad timestamp: 'AKIA…'"): the report redacts it as it
        // does excerpts (dead_letters.jsonl keeps the raw line, for whoever fixes the log).
        offerDeadLetter(new DeadLetter(source, line, reason == null ? null : Redactor.redact(reason)));
        return this;
    }

    /**
     * Adds everything in {@code other} to this accumulator and returns this; {@code other} is not
     * changed. Both must have the same limits.
     */
    public AuditAccumulator merge(AuditAccumulator other) {
        if (other.topN != topN || other.examplesPerCategory != examplesPerCategory) {
            throw new IllegalArgumentException("cannot merge accumulators with different limits: topN " + topN + "/"
                    + other.topN + ", examplesPerCategory " + examplesPerCategory + "/" + other.examplesPerCategory);
        }
        if (other == this) {
            throw new IllegalArgumentException("cannot merge an accumulator with itself");
        }
        messages += other.messages;
        threats += other.threats;
        untimed += other.untimed;
        analysisMicros += other.analysisMicros;
        firstTimestamp = Math.min(firstTimestamp, other.firstTimestamp);
        lastTimestamp = Math.max(lastTimestamp, other.lastTimestamp);
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] += other.histogram[i];
        }
        other.byCategory.forEach((k, v) -> increment(byCategory, k, v));
        other.bySeverity.forEach((k, v) -> increment(bySeverity, k, v));
        other.rules.forEach((k, v) -> increment(rules, k, v));
        mergeGroups(roles, other.roles);
        mergeGroups(users, other.users);
        mergeGroups(apps, other.apps);
        other.conversations.forEach((k, v) -> conversations.computeIfAbsent(k, x -> new Conversation()).merge(v));
        other.hours.forEach((k, v) -> {
            long[] bucket = hours.computeIfAbsent(k, x -> new long[2]);
            bucket[0] += v[0];
            bucket[1] += v[1];
        });
        other.examples.forEach((category, list) -> list.forEach(m -> offerExample(category, m, true)));
        deadLetters += other.deadLetters;
        other.deadLetterReasons.forEach((k, v) -> increment(deadLetterReasons, k, v));
        other.deadLetterExamples.forEach(this::offerDeadLetter);
        return this;
    }

    /** The report of everything added so far; the accumulator is not changed and may go on. */
    public AuditReport result(RunMetadata run) {
        Objects.requireNonNull(run, "run metadata (use RunMetadata.builder().build() for none)");
        TimeRange range = messages - untimed == 0 ? new TimeRange(null, null)
                : new TimeRange(Instant.ofEpochMilli(firstTimestamp), Instant.ofEpochMilli(lastTimestamp));

        Map<String, Long> severity = new LinkedHashMap<>();
        RISK_LEVELS.forEach(level -> severity.put(level, bySeverity.getOrDefault(level, 0L)));
        new TreeMap<>(bySeverity).forEach(severity::putIfAbsent);

        List<RuleCount> topRules = rules.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topN)
                .map(e -> new RuleCount(e.getKey(), e.getValue()))
                .toList();

        List<HistogramBucket> histogramRows = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            int to = i == 9 ? 100 : i * 10 + 9;
            histogramRows.add(new HistogramBucket(i * 10 + "-" + to, i * 10, to, histogram[i]));
        }

        List<ConversationRow> topConversations = conversations.entrySet().stream()
                .filter(e -> e.getValue().threats > 0)
                .sorted(Comparator.comparingLong((Map.Entry<String, Conversation> e) -> -e.getValue().threats)
                        .thenComparingInt(e -> -e.getValue().maxRisk)
                        .thenComparing(Map.Entry::getKey))
                .limit(topN)
                .map(e -> e.getValue().row(e.getKey()))
                .toList();

        Map<String, List<Example>> exampleRows = new LinkedHashMap<>();
        sortedByCount(byCategory).keySet().forEach(category -> exampleRows.put(category,
                examples.getOrDefault(category, new ArrayList<>()).stream().map(m -> example(category, m)).toList()));

        List<DeadLetter> deadLetterRows = List.copyOf(deadLetterExamples);

        return new AuditReport(
                AuditReport.VERSION,
                run,
                range,
                messages,
                threats,
                AuditReport.rate(threats, messages),
                untimed,
                deadLetters,
                sortedByCount(deadLetterReasons),
                deadLetterRows,
                distinct(users),
                distinct(apps),
                conversations.size(),
                messages == 0 ? 0.0 : Math.round(analysisMicros * 10.0 / messages) / 10.0,
                sortedByCount(byCategory),
                severity,
                topRules,
                groupRows(roles, Integer.MAX_VALUE, Comparator.comparingLong((Map.Entry<String, Group> e) ->
                        -e.getValue().messages)),
                groupRows(users, topN, BY_THREATS),
                groupRows(apps, topN, BY_THREATS),
                timeSeries(),
                histogramRows,
                topConversations,
                exampleRows);
    }

    private static final Comparator<Map.Entry<String, Group>> BY_THREATS =
            Comparator.comparingLong((Map.Entry<String, Group> e) -> -e.getValue().threats)
                    .thenComparingLong(e -> -e.getValue().messages);

    private static List<GroupRow> groupRows(Map<String, Group> groups, int limit,
            Comparator<Map.Entry<String, Group>> order) {
        return groups.entrySet().stream()
                .sorted(order.thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new GroupRow(e.getKey(), e.getValue().messages, e.getValue().threats,
                        AuditReport.rate(e.getValue().threats, e.getValue().messages), topKey(e.getValue().categories)))
                .toList();
    }

    private TimeSeries timeSeries() {
        if (hours.isEmpty()) {
            return new TimeSeries("hour", List.of());
        }
        TreeMap<Long, long[]> sorted = new TreeMap<>(hours);
        long span = sorted.lastKey() - sorted.firstKey() + 1;
        String granularity = "hour";
        long bucketMs = HOUR_MS;
        if (span > MAX_HOURLY_BUCKETS) {
            granularity = "day";
            bucketMs = 24 * HOUR_MS;
            TreeMap<Long, long[]> days = new TreeMap<>();
            sorted.forEach((hour, v) -> {
                long[] day = days.computeIfAbsent(Math.floorDiv(hour, 24), k -> new long[2]);
                day[0] += v[0];
                day[1] += v[1];
            });
            sorted = days;
        }
        List<TimeBucket> buckets = new ArrayList<>();
        long first = sorted.firstKey();
        long last = sorted.lastKey();
        if (last - first + 1 <= MAX_FILLED_BUCKETS) {
            for (long k = first; k <= last; k++) {
                long[] v = sorted.getOrDefault(k, new long[2]);
                buckets.add(new TimeBucket(Instant.ofEpochMilli(k * bucketMs), v[0], v[1], AuditReport.rate(v[1], v[0])));
            }
        } else {
            for (Map.Entry<Long, long[]> e : sorted.entrySet()) {
                long[] v = e.getValue();
                buckets.add(new TimeBucket(Instant.ofEpochMilli(e.getKey() * bucketMs), v[0], v[1],
                        AuditReport.rate(v[1], v[0])));
            }
        }
        return new TimeSeries(granularity, buckets);
    }

    private static Example example(String category, ScoredMessage m) {
        List<String> matched = m.matchedRules == null ? List.of()
                : Arrays.stream(m.matchedRules).filter(Objects::nonNull).toList();
        return new Example(category, m.riskScore, m.riskLevel, m.source, m.line, m.conversationId, m.messageId, m.role,
                m.user, m.app, m.timestamp == ScoredMessage.NO_TIME ? null : Instant.ofEpochMilli(m.timestamp),
                matched, m.excerpt, m.text);
    }

    private void offerExample(String category, ScoredMessage m, boolean copy) {
        ArrayList<ScoredMessage> list = examples.computeIfAbsent(category, k -> new ArrayList<>(examplesPerCategory + 1));
        if (list.size() >= examplesPerCategory && EXAMPLE_ORDER.compare(m, list.get(list.size() - 1)) >= 0) {
            return;
        }
        int i = 0;
        while (i < list.size() && EXAMPLE_ORDER.compare(list.get(i), m) <= 0) {
            i++;
        }
        list.add(i, copy ? copyOf(m) : m);
        if (list.size() > examplesPerCategory) {
            list.remove(list.size() - 1);
        }
    }

    private void offerDeadLetter(DeadLetter d) {
        List<DeadLetter> list = deadLetterExamples;
        if (list.size() >= DEAD_LETTER_EXAMPLES && DEAD_LETTER_ORDER.compare(d, list.get(list.size() - 1)) >= 0) {
            return;
        }
        int i = 0;
        while (i < list.size() && DEAD_LETTER_ORDER.compare(list.get(i), d) <= 0) {
            i++;
        }
        list.add(i, d);
        if (list.size() > DEAD_LETTER_EXAMPLES) {
            list.remove(list.size() - 1);
        }
    }

    static String reasonKind(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown";
        }
        int colon = reason.indexOf(':');
        String head = (colon >= 0 ? reason.substring(0, colon) : reason).strip().toLowerCase(Locale.ROOT);
        String kind = head.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (kind.isEmpty()) {
            return "unknown";
        }
        return kind.length() > MAX_REASON_KIND ? kind.substring(0, MAX_REASON_KIND) : kind;
    }

    private static ScoredMessage copyOf(ScoredMessage m) {
        ScoredMessage c = new ScoredMessage();
        c.timestamp = m.timestamp;
        c.conversationId = m.conversationId;
        c.messageId = m.messageId;
        c.role = m.role;
        c.user = m.user;
        c.app = m.app;
        c.model = m.model;
        c.source = m.source;
        c.line = m.line;
        c.threat = m.threat;
        c.riskScore = m.riskScore;
        c.riskLevel = m.riskLevel;
        c.threatType = m.threatType;
        c.threatTypes = m.threatTypes == null ? new String[0] : m.threatTypes.clone();
        c.matchedRules = m.matchedRules == null ? new String[0] : m.matchedRules.clone();
        c.action = m.action;
        c.detectionMethod = m.detectionMethod;
        c.excerpt = m.excerpt;
        c.text = m.text;
        c.analysisMicros = m.analysisMicros;
        return c;
    }

    /** Whether {@code a[i]} already occurs in {@code a[0, i)}: rules fire once per message, and lists are short. */
    private static boolean containsBefore(String[] a, int i) {
        for (int j = 0; j < i; j++) {
            if (a[i].equals(a[j])) {
                return true;
            }
        }
        return false;
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? UNKNOWN : s;
    }

    private static long distinct(Map<String, Group> groups) {
        return groups.size() - (groups.containsKey(UNKNOWN) ? 1 : 0);
    }

    private static void increment(Map<String, Long> counts, String key, long by) {
        counts.merge(key, by, Long::sum);
    }

    private static void mergeGroups(Map<String, Group> into, Map<String, Group> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new Group()).merge(v));
    }

    /** Largest count first, then by key. */
    private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The key with the largest count (smallest key on ties), or null. */
    private static String topKey(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return null;
        }
        return sortedByCount(counts).keySet().iterator().next();
    }

    /** Messages and threats of one role, user or app. */
    private static final class Group implements Serializable {
        private static final long serialVersionUID = 1L;
        long messages;
        long threats;
        /** category → threat messages; null until the first threat. */
        HashMap<String, Long> categories;

        void add(String threatCategory) {
            messages++;
            if (threatCategory != null) {
                threats++;
                if (categories == null) {
                    categories = new HashMap<>(4);
                }
                increment(categories, threatCategory, 1);
            }
        }

        void merge(Group o) {
            messages += o.messages;
            threats += o.threats;
            if (o.categories != null) {
                if (categories == null) {
                    categories = new HashMap<>(4);
                }
                o.categories.forEach((k, v) -> increment(categories, k, v));
            }
        }
    }

    /** What a conversation costs: counts, max risk, time span, user/app and (only with threats) categories. */
    private static final class Conversation implements Serializable {
        private static final long serialVersionUID = 1L;
        long messages;
        long threats;
        int maxRisk;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        String user;
        String app;
        HashMap<String, Long> categories;

        void add(ScoredMessage m, int risk, String threatCategory) {
            messages++;
            maxRisk = Math.max(maxRisk, risk);
            if (m.timestamp != ScoredMessage.NO_TIME) {
                first = Math.min(first, m.timestamp);
                last = Math.max(last, m.timestamp);
            }
            user = min(user, m.user);
            app = min(app, m.app);
            if (threatCategory != null) {
                threats++;
                if (categories == null) {
                    categories = new HashMap<>(4);
                }
                increment(categories, threatCategory, 1);
            }
        }

        void merge(Conversation o) {
            messages += o.messages;
            threats += o.threats;
            maxRisk = Math.max(maxRisk, o.maxRisk);
            first = Math.min(first, o.first);
            last = Math.max(last, o.last);
            user = min(user, o.user);
            app = min(app, o.app);
            if (o.categories != null) {
                if (categories == null) {
                    categories = new HashMap<>(4);
                }
                o.categories.forEach((k, v) -> increment(categories, k, v));
            }
        }

        ConversationRow row(String id) {
            return new ConversationRow(id, user, app, messages, threats, maxRisk, topKey(categories),
                    first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first),
                    last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last));
        }

        /** The smaller non-null value, so the result does not depend on the order messages arrive in. */
        private static String min(String a, String b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
