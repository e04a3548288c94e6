package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threatmon.connectors.siem.Alert;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** {@link ThrottleAlerts} in Flink's keyed operator test harness (event time driven by watermarks). */
class ThrottleAlertsTest {

    static final long PERIOD = 60_000;

    static Alert alert(String id, String user, String category, int risk) {
        return new Alert(id, 0, risk, "high", category, List.of(category), List.of("r1"), List.of("Rule one"),
                List.of("LLM01:2025"), "block", "rules", user, "app", "model", "user", "conv-" + id, id, "in-0", 1, "x", 1);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ThrottleAlerts(PERIOD), ThrottleAlerts::key, Types.STRING);
        h.open();
        return h;
    }

    @Test
    void shouldAlertOnceThenOnceWithTheCountWhenSameUserRepeatsAttackWithinPeriod() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 10; i++) {
                h.processElement(alert("m" + i, "alice", "prompt_injection", i == 6 ? 95 : 80), 1_000 + i * 1_000L);
            }
            List<Alert> out = h.extractOutputValues();
            assertEquals(1, out.size(), "only the first goes out during the period");
            assertEquals("m0", out.get(0).id());
            assertEquals(1, out.get(0).count());
            assertEquals(2, h.numKeyedStateEntries(), "the period and the riskiest repeat");
            assertEquals(1, h.numEventTimeTimers());

            h.processWatermark(1_000 + PERIOD);
            out = h.extractOutputValues();
            assertEquals(2, out.size());
            assertEquals(9, out.get(1).count(), "the nine repeats in one alert");
            assertEquals("m6", out.get(1).id(), "the riskiest repeat stands for them");
            assertEquals(0, h.numKeyedStateEntries(), "state cleared when the period ends");
            assertEquals(0, h.numEventTimeTimers(), "timer gone");
        }
    }

    @Test
    void shouldNotFoldDifferentUsersOrCategories() throws Exception {
        try (var h = harness()) {
            h.processElement(alert("a", "alice", "prompt_injection", 80), 1_000);
            h.processElement(alert("b", "bob", "prompt_injection", 80), 1_000);
            h.processElement(alert("c", "alice", "jailbreak", 80), 1_000);
            h.processElement(alert("d", null, "jailbreak", 80), 1_000);
            assertEquals(4, h.extractOutputValues().size());
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(4, h.extractOutputValues().size(), "no repeats, no roll-up");
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void shouldStartANewPeriodWhenTheSameKeyComesBackAfterIt() throws Exception {
        try (var h = harness()) {
            h.processElement(alert("a", "alice", "prompt_injection", 80), 1_000);
            h.processElement(alert("b", "alice", "prompt_injection", 80), 2_000);
            // The watermark lags (out-of-orderness), but this alert is past the period: new period.
            h.processElement(alert("c", "alice", "prompt_injection", 80), 1_000 + PERIOD + 5);
            List<Alert> out = h.extractOutputValues();
            assertEquals(List.of("a", "b", "c"), out.stream().map(Alert::id).toList());
            assertEquals(List.of(1L, 1L, 1L), out.stream().map(Alert::count).toList());
            assertEquals(1, h.numEventTimeTimers(), "the old period's timer was deleted");
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(3, h.extractOutputValues().size());
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    /** An alert a period or more before the held one is not a repeat of it: it went out hours late, merged with later ones. */
    @Test
    void shouldSendAnAlertOlderThanTheHeldPeriodOnItsOwn() throws Exception {
        try (var h = harness()) {
            h.processElement(alert("a", "alice", "prompt_injection", 80), 10 * PERIOD);
            h.processElement(alert("b", "alice", "prompt_injection", 80), 2 * PERIOD);
            List<Alert> out = h.extractOutputValues();
            assertEquals(List.of("a", "b"), out.stream().map(Alert::id).toList());
            assertEquals(List.of(1L, 1L), out.stream().map(Alert::count).toList());
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(2, h.extractOutputValues().size(), "no repeat was held");
        }
    }

    @Test
    void shouldStillFoldAnAlertAFewSecondsOutOfOrder() throws Exception {
        try (var h = harness()) {
            h.processElement(alert("a", "alice", "prompt_injection", 80), 10 * PERIOD);
            h.processElement(alert("b", "alice", "prompt_injection", 80), 10 * PERIOD - 5_000);
            assertEquals(List.of("a"), h.extractOutputValues().stream().map(Alert::id).toList());
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of(1L, 1L), h.extractOutputValues().stream().map(Alert::count).toList());
        }
    }
}
