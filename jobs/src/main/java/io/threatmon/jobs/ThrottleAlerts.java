package io.threatmon.jobs;

import io.threatmon.connectors.siem.Alert;
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
    public static final class Held {
        public long periodEnd;
        public long repeats;
        public Alert strongest;

        public Held() {}
    }

    private final long periodMillis;
    private transient ValueState<Held> held;
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
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("throttle", Held.class));
        suppressed = getRuntimeContext().getMetricGroup().addGroup("threatmon").counter("alertsThrottled");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        Held h = held.value();
        long time = eventTime(ctx);
        if (h != null && time >= h.periodEnd) {
            // The watermark lags behind this key's own time: close the old period now.
            ctx.timerService().deleteEventTimeTimer(h.periodEnd);
            flush(h, out);
            h = null;
        }
        if (h == null) {
            Held first = new Held();
            first.periodEnd = time + periodMillis;
            held.update(first);
            ctx.timerService().registerEventTimeTimer(first.periodEnd);
            out.collect(alert);
            return;
        }
        h.repeats++;
        if (h.strongest == null || alert.riskScore() > h.strongest.riskScore()) {
            h.strongest = alert;
        }
        held.update(h);
        suppressed.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Held h = held.value();
        held.clear();
        flush(h, out);
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
