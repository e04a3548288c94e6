package io.threatmon.jobs;

import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.sink.AlertTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Folds repeated alerts of one (user, category) key: the first alert of a period goes out at once
 * (count 1), repeats within {@code period} of it (event time) are held back, and when the period
 * ends one alert stands for all of them: the riskiest repeat with {@code count} = the number of
 * repeats. So the sum of the counts of the alerts equals the threats, and a flood of N gives 2 alerts.
 *
 * <p>State per key is one small record, cleared with its timer when the period ends, so it stays
 * bounded by the keys active within one period (no TTL needed: the timer always fires, at the
 * latest at the end of the input).
 *
 * <pre>{@code
 * alerts.keyBy(ThrottleAlerts::key).process(new ThrottleAlerts(Duration.ofMinutes(5).toMillis()))
 * }</pre>
 */
public final class ThrottleAlerts extends KeyedProcessFunction<String, Alert, Alert> {

    private static final long serialVersionUID = 1L;

    /** The throttling state of one key: when its period ends, how many repeats, the riskiest repeat. */
    private static final class Held {
        long periodEnd;
        long repeats;
        Alert strongest;
    }

    private final long periodMillis;
    /** {periodEnd, repeats}; the riskiest repeat in its own state, typed with AlertTypeInfo (no Kryo). */
    private transient ValueState<long[]> period;
    private transient ValueState<Alert> strongest;
    private transient Counter suppressed;

    public ThrottleAlerts(long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("throttle period must be positive, was " + periodMillis + " ms");
        }
        this.periodMillis = periodMillis;
    }

    /** The throttling key: user and category ({@code (unknown)} for a missing user). */
    public static String key(Alert a) {
        return (a.user() == null ? "(unknown)" : a.user()) + "\u0000" + a.category();
    }

    @Override
    public void open(OpenContext context) {
        period = getRuntimeContext().getState(
                new ValueStateDescriptor<>("throttle-period", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        strongest = getRuntimeContext().getState(new ValueStateDescriptor<>("throttle-strongest", AlertTypeInfo.get()));
        suppressed = getRuntimeContext().getMetricGroup().addGroup("threatmon").counter("alertsThrottled");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Held h = load();
        long time = eventTime(ctx);
        if (h != null && time >= h.periodEnd) {
            // The watermark lags behind this key's own time: close the old period now.
            ctx.timerService().deleteEventTimeTimer(h.periodEnd);
            flush(h, out);
            h = null;
        }
        if (h != null && time < h.periodEnd - 2 * periodMillis) {
            // More than a period before the first alert of the period held for this key (out of
            // order by that much): not a repeat of it, so it goes out on its own instead of joining
            // that count. A few seconds out of order (partitions interleave) still folds.
            out.collect(alert);
            return;
        }
        if (h == null) {
            Held first = new Held();
            first.periodEnd = time + periodMillis;
            store(first);
            ctx.timerService().registerEventTimeTimer(first.periodEnd);
            out.collect(alert);
            return;
        }
        h.repeats++;
        if (h.strongest == null || alert.riskScore() > h.strongest.riskScore()) {
            h.strongest = alert;
        }
        store(h);
        suppressed.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Held h = load();
        period.clear();
        strongest.clear();
        flush(h, out);
    }

    private Held load() throws java.io.IOException {
        long[] p = period.value();
        if (p == null) {
            return null;
        }
        Held h = new Held();
        h.periodEnd = p[0];
        h.repeats = p[1];
        h.strongest = strongest.value();
        return h;
    }

    private void store(Held h) throws java.io.IOException {
        period.update(new long[] {h.periodEnd, h.repeats});
        if (h.strongest != null) {
            strongest.update(h.strongest);
        } else {
            strongest.clear();
        }
    }

    private static void flush(Held h, Collector<Alert> out) {
        if (h != null && h.repeats > 0) {
            out.collect(withCount(h.strongest, h.repeats));
        }
    }

    private static long eventTime(Context ctx) {
        Long ts = ctx.timestamp();
        return ts != null ? ts : ctx.timerService().currentProcessingTime();
    }

    static Alert withCount(Alert a, long count) {
        return new Alert(a.id(), a.timestamp(), a.riskScore(), a.severity(), a.category(), a.categories(), a.ruleIds(),
                a.ruleNames(), a.tags(), a.action(), a.detectionMethod(), a.user(), a.app(), a.model(), a.role(),
                a.conversationId(), a.messageId(), a.source(), a.line(), a.excerpt(), count);
    }
}
