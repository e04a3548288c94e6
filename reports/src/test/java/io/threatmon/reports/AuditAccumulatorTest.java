package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.reports.AuditReport.ConversationRow;
import io.threatmon.reports.AuditReport.Example;
import io.threatmon.reports.AuditReport.GroupRow;
import io.threatmon.reports.AuditReport.HistogramBucket;
import io.threatmon.reports.AuditReport.RuleCount;
import io.threatmon.reports.AuditReport.TimeBucket;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AuditAccumulatorTest extends ReportTestBase {

    private final AuditReport report = accumulate(fixtureDay()).result(run());

    @Test
    void shouldCountMessagesThreatsAndRateExactly() {
        assertEquals(10, report.totalMessages());
        assertEquals(3, report.threatMessages());
        assertEquals(0.3, report.threatRate());
        assertEquals(1, report.untimedMessages());
        assertEquals(0, report.deadLetters());
        assertEquals(3, report.distinctUsers());
        assertEquals(2, report.distinctApps());
        assertEquals(4, report.distinctConversations());
        assertEquals(new AuditReport.TimeRange(T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(179))),
                report.timeRange());
    }

    @Test
    void shouldCountThreatsByPrimaryCategoryAndRiskLevel() {
        assertEquals(List.of(Map.entry("prompt_injection", 2L), Map.entry("jailbreak", 1L)),
                List.copyOf(report.byCategory().entrySet()));
        assertEquals(List.of("critical", "high", "medium", "low", "very_low"), List.copyOf(report.bySeverity().keySet()));
        assertEquals(2L, report.bySeverity().get("critical"));
        assertEquals(1L, report.bySeverity().get("high"));
        assertEquals(0L, report.bySeverity().get("medium"));
    }

    @Test
    void shouldCountEachRuleOncePerMessageWhetherOrNotItWasAThreat() {
        assertEquals(List.of(new RuleCount("jb.dan", 2), new RuleCount("pi.ignore_previous", 2),
                new RuleCount("spe.reveal_system_prompt", 1)), report.topRules());
    }

    @Test
    void shouldRankUsersAndAppsByThreatsWithTheirRatesAndTopCategory() {
        assertEquals(List.of(new GroupRow("alice", 4, 2, 0.5, "prompt_injection"),
                new GroupRow("bob", 2, 1, 0.5, "jailbreak"), new GroupRow("carol", 3, 0, 0.0, null),
                new GroupRow(AuditAccumulator.UNKNOWN, 1, 0, 0.0, null)), report.byUser());
        assertEquals(List.of("hr-bot", "support-bot", AuditAccumulator.UNKNOWN),
                report.byApp().stream().map(GroupRow::name).toList());
        assertEquals(List.of(new GroupRow("user", 9, 3, 0.333333, "prompt_injection"),
                new GroupRow("assistant", 1, 0, 0.0, null)), report.byRole());
    }

    @Test
    void shouldBucketTimedMessagesPerHourAndLeaveUntimedOnesOut() {
        assertEquals("hour", report.timeSeries().granularity());
        assertEquals(List.of(new TimeBucket(T0, 3, 1, 0.333333),
                        new TimeBucket(T0.plus(Duration.ofHours(1)), 3, 2, 0.666667),
                        new TimeBucket(T0.plus(Duration.ofHours(2)), 3, 0, 0.0)),
                report.timeSeries().buckets());
    }

    @Test
    void shouldSpreadAllMessagesOverTenRiskBuckets() {
        assertEquals(List.of(3L, 1L, 1L, 1L, 1L, 0L, 0L, 1L, 1L, 1L),
                report.riskHistogram().stream().map(HistogramBucket::messages).toList());
        assertEquals(new HistogramBucket("90-100", 90, 100, 1), report.riskHistogram().get(9));
        assertEquals("0-9", report.riskHistogram().get(0).range());
    }

    @Test
    void shouldListOnlyConversationsWithThreatsByThreatsThenMaxRisk() {
        assertEquals(List.of("c1", "c2", "c3"), report.topConversations().stream()
                .map(ConversationRow::conversationId).toList());
        ConversationRow c1 = report.topConversations().get(0);
        assertEquals(new ConversationRow("c1", "alice", "support-bot", 3, 1, 92, "prompt_injection",
                T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(7))), c1);
    }

    @Test
    void shouldKeepTheHighestRiskExamplesPerCategory() {
        assertEquals(List.of("prompt_injection", "jailbreak"), List.copyOf(report.examples().keySet()));
        List<Example> pi = report.examples().get("prompt_injection");
        assertEquals(List.of(92, 85), pi.stream().map(Example::riskScore).toList());
        Example first = pi.get(0);
        assertEquals("logs/2025-05-01.jsonl", first.source());
        assertEquals(1, first.line());
        assertEquals(List.of("pi.ignore_previous", "spe.reveal_system_prompt"), first.matchedRules());
        assertEquals("attack prompt_injection at line 1", first.excerpt());
        assertNull(first.text());
    }

    @Test
    void shouldBreakExampleTiesBySourceThenLineWhateverTheInputOrder() {
        List<ScoredMessage> ties = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ties.add(message().source(i % 2 == 0 ? "b.jsonl" : "a.jsonl").line(100 - i).at(0, i)
                    .threat("jailbreak", 90, "jb.dan").build());
        }
        List<String> expected = List.of("a.jsonl:93", "a.jsonl:95", "a.jsonl:97");
        for (long seed = 0; seed < 5; seed++) {
            List<ScoredMessage> shuffled = new ArrayList<>(ties);
            Collections.shuffle(shuffled, new Random(seed));
            List<Example> examples = accumulate(shuffled).result(run()).examples().get("jailbreak");
            assertEquals(expected, examples.stream().map(e -> e.source() + ":" + e.line()).toList());
        }
    }

    @Test
    void shouldCutTablesToTopNAndBreakTiesByName() {
        AuditAccumulator acc = new AuditAccumulator(2, 1);
        for (String user : List.of("dave", "bob", "carol", "alice")) {
            acc.add(message().user(user).conversation("conv-" + user).threat("jailbreak", 80, "jb.dan").build());
        }
        acc.add(message().user("erin").risk(10).build());
        AuditReport r = acc.result(run());
        assertEquals(List.of("alice", "bob"), r.byUser().stream().map(GroupRow::name).toList());
        assertEquals(List.of("conv-alice", "conv-bob"),
                r.topConversations().stream().map(ConversationRow::conversationId).toList());
        assertEquals(1, r.examples().get("jailbreak").size());
        assertEquals(5, r.distinctUsers());
    }

    @Test
    void shouldRollHoursUpToDaysWhenDataSpansMoreThanSeventyTwoHours() {
        AuditAccumulator acc = new AuditAccumulator();
        acc.add(message().atMinute(30).risk(0).build());
        acc.add(message().atMinute(23 * 60).threat("jailbreak", 80).build());
        acc.add(message().atMinute(72 * 60 + 10).risk(0).build());
        assertEquals("day", acc.result(run()).timeSeries().granularity());
        assertEquals(List.of(new TimeBucket(T0, 2, 1, 0.5), new TimeBucket(T0.plus(Duration.ofDays(1)), 0, 0, 0.0),
                        new TimeBucket(T0.plus(Duration.ofDays(2)), 0, 0, 0.0),
                        new TimeBucket(T0.plus(Duration.ofDays(3)), 1, 0, 0.0)),
                acc.result(run()).timeSeries().buckets());
    }

    @Test
    void shouldKeepHourlyBucketsAndFillGapsUpToSeventyTwoHours() {
        AuditAccumulator acc = new AuditAccumulator();
        acc.add(message().atMinute(0).risk(0).build());
        acc.add(message().atMinute(71 * 60 + 59).risk(0).build());
        AuditReport.TimeSeries ts = acc.result(run()).timeSeries();
        assertEquals("hour", ts.granularity());
        assertEquals(72, ts.buckets().size());
        assertEquals(2, ts.buckets().stream().mapToLong(TimeBucket::messages).sum());
    }

    @Test
    void shouldBucketTimestampsBeforeTheEpochIntoTheRightHour() {
        AuditAccumulator acc = new AuditAccumulator();
        ScoredMessage m = message().risk(0).build();
        m.timestamp = -1;
        acc.add(m);
        assertEquals(Instant.parse("1969-12-31T23:00:00Z"), acc.result(run()).timeSeries().buckets().get(0).start());
    }

    @Test
    void shouldCountDeadLettersByReasonKindAndKeepTheFirstTwenty() {
        AuditAccumulator acc = new AuditAccumulator();
        for (int line = 30; line >= 1; line--) {
            acc.addDeadLetter("in.jsonl", line, line % 3 == 0 ? "Invalid JSON: unexpected character" : "missing field text");
        }
        acc.addDeadLetter("in.jsonl", 99, null);
        AuditReport r = acc.result(run());
        assertEquals(31, r.deadLetters());
        assertEquals(Map.of("missing_field_text", 20L, "invalid_json", 10L, "unknown", 1L), r.deadLetterReasons());
        assertEquals(List.of("missing_field_text", "invalid_json", "unknown"), List.copyOf(r.deadLetterReasons().keySet()));
        assertEquals(20, r.deadLetterExamples().size());
        assertEquals(1, r.deadLetterExamples().get(0).line());
        assertEquals(20, r.deadLetterExamples().get(19).line());
        assertEquals(0, r.totalMessages());
    }

    @Test
    void shouldCopyKeptExamplesSoCallersMayReuseTheirMessageObject() {
        AuditAccumulator acc = new AuditAccumulator();
        ScoredMessage reused = message().line(1).threat("jailbreak", 90, "jb.dan").build();
        acc.add(reused);
        reused.excerpt = "overwritten";
        reused.riskScore = 1;
        assertEquals("attack jailbreak at line 1", acc.result(run()).examples().get("jailbreak").get(0).excerpt());
    }

    @Test
    void shouldGiveTheSameReportAfterJavaSerialization() throws Exception {
        AuditAccumulator acc = accumulate(randomMessages(7, 500));
        acc.addDeadLetter("x", 1, "bad: row");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(acc);
        }
        AuditAccumulator copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (AuditAccumulator) in.readObject();
        }
        assertEquals(acc.result(run()), copy.result(run()));
    }

    @Test
    void shouldNotChangeWhenResultIsTakenTwice() {
        AuditAccumulator acc = accumulate(fixtureDay());
        assertEquals(acc.result(run()), acc.result(run()));
        assertEquals(10, acc.messages());
    }

    @Test
    void shouldTreatOutOfRangeScoresAndMissingFieldsSafely() {
        ScoredMessage odd = new ScoredMessage();
        odd.riskScore = 250;
        odd.threat = true;
        odd.matchedRules = null;
        odd.threatTypes = null;
        ScoredMessage negative = new ScoredMessage();
        negative.riskScore = -5;
        negative.matchedRules = new String[] {null, "r1", "r1"};
        AuditReport r = new AuditAccumulator().add(odd).add(negative).result(run());
        assertEquals(1, r.riskHistogram().get(9).messages());
        assertEquals(1, r.riskHistogram().get(0).messages());
        assertEquals(Map.of(AuditAccumulator.UNKNOWN, 1L), r.byCategory());
        assertEquals(List.of(new RuleCount("r1", 1)), r.topRules());
        assertEquals(2, r.untimedMessages());
        assertTrue(r.timeSeries().buckets().isEmpty());
    }

    @Test
    void shouldRejectMergingAccumulatorsWithDifferentLimits() {
        assertThrows(IllegalArgumentException.class, () -> new AuditAccumulator(10, 3).merge(new AuditAccumulator(5, 3)));
        assertThrows(IllegalArgumentException.class, () -> new AuditAccumulator(0, 3));
    }

    @Test
    void shouldGiveAnEmptyReportWithoutDividingByZero() {
        AuditReport empty = new AuditAccumulator().result(RunMetadata.builder().build());
        assertEquals(0, empty.totalMessages());
        assertEquals(0.0, empty.threatRate());
        assertEquals(0.0, empty.meanAnalysisMicros());
        assertNull(empty.timeRange().first());
        assertEquals(10, empty.riskHistogram().size());
        assertTrue(empty.byCategory().isEmpty() && empty.examples().isEmpty() && empty.topConversations().isEmpty());
        assertEquals(5, empty.bySeverity().size());
        assertEquals(Map.of(), empty.bySeverity().entrySet().stream().filter(e -> e.getValue() != 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** A dead letter's reason can quote the bad value; the report shows it redacted like an excerpt. */
    @Test
    void shouldRedactSecretsQuotedInDeadLetterReasons() {
        AuditReport r = new AuditAccumulator()
                .addDeadLetter("a.jsonl", 3, "bad timestamp: 'AKIAIOSFODNN7EXAMPLE' is neither ISO-8601 nor epoch milliseconds")
                .result(RunMetadata.builder().build());
        String reason = r.deadLetterExamples().get(0).reason();
        assertTrue(!reason.contains("AKIAIOSFODNN7EXAMPLE"), reason);
        assertTrue(reason.startsWith("bad timestamp: "), reason);
        assertEquals(Map.of("bad_timestamp", 1L), r.deadLetterReasons());
    }
}
