package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style: for seeded random inputs, any split into partitions, accumulated in any order and
 * merged in any tree shape, gives exactly the report of one accumulator over all messages.
 */
class AuditAccumulatorMergeTest extends ReportTestBase {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_991})
    void shouldGiveTheSameReportForAnyPartitioningAndMergeOrder(long seed) {
        Random rnd = new Random(seed);
        List<ScoredMessage> messages = randomMessages(seed, 300 + rnd.nextInt(700));
        AuditAccumulator single = accumulate(messages);
        addDeadLetters(single, seed, 0, 40);
        AuditReport expected = single.result(run());
        String expectedJson = JsonReport.render(expected);

        for (int trial = 0; trial < 5; trial++) {
            int partitions = 1 + rnd.nextInt(9);
            List<AuditAccumulator> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(new AuditAccumulator());
            }
            List<ScoredMessage> shuffled = new ArrayList<>(messages);
            Collections.shuffle(shuffled, rnd);
            for (ScoredMessage m : shuffled) {
                parts.get(rnd.nextInt(partitions)).add(m);
            }
            for (int d = 0; d < 40; d++) {
                addDeadLetters(parts.get(rnd.nextInt(partitions)), seed, d, d + 1);
            }
            AuditAccumulator merged = mergeRandomTree(parts, rnd);
            AuditReport actual = merged.result(run());
            assertEquals(expected, actual, "trial " + trial + " with " + partitions + " partitions");
            assertEquals(expectedJson, JsonReport.render(actual));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6, 7})
    void shouldBeCommutativeAndAssociativeForThreeAccumulators(long seed) {
        List<ScoredMessage> messages = randomMessages(seed, 600);
        List<ScoredMessage> a = messages.subList(0, 150);
        List<ScoredMessage> b = messages.subList(150, 420);
        List<ScoredMessage> c = messages.subList(420, 600);
        AuditReport abc = accumulate(a).merge(accumulate(b)).merge(accumulate(c)).result(run());
        AuditReport cba = accumulate(c).merge(accumulate(b)).merge(accumulate(a)).result(run());
        AuditReport aBc = accumulate(a).merge(accumulate(b).merge(accumulate(c))).result(run());
        AuditReport bCa = accumulate(b).merge(accumulate(c).merge(accumulate(a))).result(run());
        assertEquals(abc, cba);
        assertEquals(abc, aBc);
        assertEquals(abc, bCa);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {8, 9})
    void shouldLeaveAnAccumulatorUnchangedWhenMergingAnEmptyOne(long seed) {
        AuditAccumulator acc = accumulate(randomMessages(seed, 200));
        AuditReport before = acc.result(run());
        assertEquals(before, acc.merge(new AuditAccumulator()).result(run()));
        assertEquals(before, new AuditAccumulator().merge(acc).result(run()));
    }

    private static void addDeadLetters(AuditAccumulator acc, long seed, int from, int to) {
        for (int d = from; d < to; d++) {
            acc.addDeadLetter("part-" + (d % 3) + ".jsonl", (seed * 31 + d * 7) % 50, d % 4 == 0 ? "invalid_json: x"
                    : "missing field: text");
        }
    }

    private static AuditAccumulator mergeRandomTree(List<AuditAccumulator> parts, Random rnd) {
        List<AuditAccumulator> pool = new ArrayList<>(parts);
        while (pool.size() > 1) {
            AuditAccumulator left = pool.remove(rnd.nextInt(pool.size()));
            AuditAccumulator right = pool.remove(rnd.nextInt(pool.size()));
            pool.add(left.merge(right));
        }
        return pool.get(0);
    }
}
