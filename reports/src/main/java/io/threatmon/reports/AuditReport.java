package io.threatmon.reports;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an audit: immutable, built by {@link AuditAccumulator#result(RunMetadata)} and
 * rendered by {@link ReportWriter}. Maps keep their order (largest first, or severity order), and
 * serialise to JSON with snake_case names ({@link JsonReport}); the schema is described in
 * {@code reports/README.md}.
 *
 * @param reportVersion         version of this schema
 * @param run                   run metadata (inputs, versions, threshold, options)
 * @param timeRange             first and last message timestamp in the data (nulls when none had one)
 * @param totalMessages         messages scored
 * @param threatMessages        messages with risk ≥ threshold
 * @param threatRate            threatMessages / totalMessages (0 when there are none)
 * @param untimedMessages       messages without a timestamp (not in the time series)
 * @param deadLetters           records that could not be read or scored
 * @param deadLetterReasons     dead letters by reason kind, largest first
 * @param deadLetterExamples    the first dead letters by (source, line)
 * @param distinctUsers         distinct known users
 * @param distinctApps          distinct known apps
 * @param distinctConversations distinct conversation ids
 * @param meanAnalysisMicros    mean scoring time per message
 * @param byCategory            threat messages by primary category, largest first
 * @param bySeverity            threat messages by risk level, critical first (standard levels always present)
 * @param topRules              rules by the number of messages they fired on (threats or not)
 * @param byRole                every role with its messages and threats
 * @param byUser                top users by threats
 * @param byApp                 top apps by threats
 * @param timeSeries            messages and threats per hour or, over more than 72 hours, per day (UTC)
 * @param riskHistogram         all messages in ten risk buckets 0-9 … 90-100
 * @param topConversations      conversations with threats, by threats then max risk
 * @param examples              per category, the highest-risk threat messages
 */
public record AuditReport(
        int reportVersion,
        RunMetadata run,
        TimeRange timeRange,
        long totalMessages,
        long threatMessages,
        double threatRate,
        long untimedMessages,
        long deadLetters,
        Map<String, Long> deadLetterReasons,
        List<DeadLetter> deadLetterExamples,
        long distinctUsers,
        long distinctApps,
        long distinctConversations,
        double meanAnalysisMicros,
        Map<String, Long> byCategory,
        Map<String, Long> bySeverity,
        List<RuleCount> topRules,
        List<GroupRow> byRole,
        List<GroupRow> byUser,
        List<GroupRow> byApp,
        TimeSeries timeSeries,
        List<HistogramBucket> riskHistogram,
        List<ConversationRow> topConversations,
        Map<String, List<Example>> examples) {

    public static final int VERSION = 1;

    public AuditReport {
        deadLetterReasons = ordered(deadLetterReasons);
        deadLetterExamples = List.copyOf(deadLetterExamples);
        byCategory = ordered(byCategory);
        bySeverity = ordered(bySeverity);
        topRules = List.copyOf(topRules);
        byRole = List.copyOf(byRole);
        byUser = List.copyOf(byUser);
        byApp = List.copyOf(byApp);
        riskHistogram = List.copyOf(riskHistogram);
        topConversations = List.copyOf(topConversations);
        Map<String, List<Example>> ex = new LinkedHashMap<>();
        examples.forEach((k, v) -> ex.put(k, List.copyOf(v)));
        examples = Collections.unmodifiableMap(ex);
    }

    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Share of {@code part} in {@code whole}, 0 when whole is 0, rounded to 6 decimals. */
    public static double rate(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 1_000_000.0 / whole) / 1_000_000.0;
    }

    /** First and last event time in the data; both null when no message had a timestamp. */
    public record TimeRange(Instant first, Instant last) {}

    /** A record that could not be read or scored. */
    public record DeadLetter(String source, long line, String reason) implements java.io.Serializable {}

    /** A rule and the number of messages it fired on. */
    public record RuleCount(String rule, long messages) {}

    /** A role, user or app: its messages, threats, threat rate and most frequent threat category (or null). */
    public record GroupRow(String name, long messages, long threats, double threatRate, String topCategory) {}

    /** Time buckets; {@code granularity} is {@code hour} or {@code day}, bucket starts are UTC. */
    public record TimeSeries(String granularity, List<TimeBucket> buckets) {
        public TimeSeries {
            buckets = List.copyOf(buckets);
        }

        /**
         * How many hours or days the series covers from its first bucket to its last, empty ones
         * included: more than {@code buckets().size()} when the span was too long to fill and only
         * the buckets with messages were kept. 0 for an empty series.
         */
        public long span() {
            if (buckets.isEmpty()) {
                return 0;
            }
            long unit = granularity.equals("day") ? 86_400_000L : 3_600_000L;
            return (buckets.get(buckets.size() - 1).start().toEpochMilli() - buckets.get(0).start().toEpochMilli()) / unit + 1;
        }
    }

    /** Messages and threats in the hour or day starting at {@code start}. */
    public record TimeBucket(Instant start, long messages, long threats, double threatRate) {}

    /** Messages whose risk score is in {@code [from, to]}. */
    public record HistogramBucket(String range, int from, int to, long messages) {}

    /** A conversation with threats. {@code user} and {@code app} are the smallest non-null values seen. */
    public record ConversationRow(
            String conversationId,
            String user,
            String app,
            long messages,
            long threats,
            int maxRisk,
            String topCategory,
            Instant firstSeen,
            Instant lastSeen) {}

    /**
     * A threat message shown as an example: a redacted excerpt, plus the full text verbatim only when
     * the run used {@code --include-text}.
     */
    public record Example(
            String category,
            int riskScore,
            String riskLevel,
            String source,
            long line,
            String conversationId,
            String messageId,
            String role,
            String user,
            String app,
            Instant timestamp,
            List<String> matchedRules,
            String excerpt,
            String text) {
        public Example {
            matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
        }
    }
}
