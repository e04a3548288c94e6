package io.threatmon.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threatmon.reports.AuditAccumulator;
import io.threatmon.reports.AuditReport;
import io.threatmon.reports.RunMetadata;
import io.threatmon.reports.ScoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Per-window threat reports for the reports topic. Counting is {@code reports.AuditAccumulator}'s
 * (the audit's own add/merge/result); these classes only adapt it to Flink and render one JSON
 * object per window:
 *
 * <pre>{@code
 * {"type":"window","window_start":"2026-03-04T12:00:00Z","window_end":"2026-03-04T12:01:00Z",
 *  "messages":1200,"threats":14,"threat_rate":0.011667,"by_category":{"prompt_injection":9,…},
 *  "by_severity":{…},"by_app":[{"name":"support-bot","messages":800,"threats":10,"threat_rate":…,"top_category":…}],
 *  "by_user":[…top 10 by threats…],"distinct_users":310,"distinct_conversations":280}
 * }</pre>
 *
 * Messages that arrive after their window closed get {@code "type":"late"} reports for that window
 * (same fields, counting only the late messages), so nothing is dropped silently.
 */
public final class WindowReports {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunMetadata NO_RUN = RunMetadata.builder().build();

    public static final String WINDOW = "window";
    public static final String LATE = "late";

    private WindowReports() {}

    /** The 20-line adapter: Flink's aggregate over the report accumulator. */
    public static final class Aggregate implements AggregateFunction<ScoredMessage, AuditAccumulator, AuditAccumulator> {
        private static final long serialVersionUID = 1L;

        @Override
        public AuditAccumulator createAccumulator() {
            return new AuditAccumulator();
        }

        @Override
        public AuditAccumulator add(ScoredMessage m, AuditAccumulator acc) {
            return acc.add(m);
        }

        @Override
        public AuditAccumulator getResult(AuditAccumulator acc) {
            return acc;
        }

        @Override
        public AuditAccumulator merge(AuditAccumulator a, AuditAccumulator b) {
            return a.merge(b);
        }
    }

    /** Renders the window's accumulator with the window's bounds. */
    public static final class Render extends ProcessAllWindowFunction<AuditAccumulator, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Context ctx, Iterable<AuditAccumulator> accs, Collector<String> out) {
            for (AuditAccumulator acc : accs) {
                out.collect(json(WINDOW, ctx.window().getStart(), ctx.window().getEnd(), acc.result(NO_RUN)));
            }
        }
    }

    /**
     * Counts messages that came after their window closed, keyed by that window's start; one
     * {@code late} report per window each time the watermark moves on, then the state is cleared.
     * The accumulator is kept as bytes (Java serialisation): late messages are rare, and this keeps
     * the state format independent of Kryo.
     */
    public static final class Late extends KeyedProcessFunction<Long, ScoredMessage, String> {
        private static final long serialVersionUID = 1L;

        private final long windowMillis;
        private transient ValueState<byte[]> pending;
        private transient Counter late;

        public Late(long windowMillis) {
            this.windowMillis = windowMillis;
        }

        @Override
        public void open(OpenContext context) {
            pending = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("late", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            late = getRuntimeContext().getMetricGroup().addGroup("threatmon").counter("lateMessages");
        }

        @Override
        public void processElement(ScoredMessage m, Context ctx, Collector<String> out) throws Exception {
            byte[] bytes = pending.value();
            AuditAccumulator acc = bytes == null ? new AuditAccumulator() : AuditAggregate.deserialize(bytes);
            if (bytes == null) {
                // Fires with the next watermark: these messages are behind it already.
                ctx.timerService().registerEventTimeTimer(ctx.timerService().currentWatermark() + 1);
            }
            pending.update(AuditAggregate.serialize(acc.add(m)));
            late.inc();
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            byte[] bytes = pending.value();
            pending.clear();
            if (bytes != null) {
                long start = ctx.getCurrentKey();
                out.collect(json(LATE, start, start + windowMillis, AuditAggregate.deserialize(bytes).result(NO_RUN)));
            }
        }
    }

    /** One report as a compact JSON object (no trailing newline). */
    public static String json(String type, long start, long end, AuditReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type);
        o.put("window_start", Instant.ofEpochMilli(start).toString());
        o.put("window_end", Instant.ofEpochMilli(end).toString());
        o.put("messages", r.totalMessages());
        o.put("threats", r.threatMessages());
        o.put("threat_rate", r.threatRate());
        putCounts(o.putObject("by_category"), r.byCategory());
        putCounts(o.putObject("by_severity"), r.bySeverity());
        putGroups(o.putArray("by_app"), r.byApp());
        putGroups(o.putArray("by_user"), r.byUser());
        o.put("distinct_users", r.distinctUsers());
        o.put("distinct_apps", r.distinctApps());
        o.put("distinct_conversations", r.distinctConversations());
        return o.toString();
    }

    private static void putCounts(ObjectNode o, Map<String, Long> counts) {
        counts.forEach(o::put);
    }

    private static void putGroups(ArrayNode a, List<AuditReport.GroupRow> rows) {
        for (AuditReport.GroupRow g : rows) {
            a.addObject().put("name", g.name()).put("messages", g.messages()).put("threats", g.threats())
                    .put("threat_rate", g.threatRate()).put("top_category", g.topCategory());
        }
    }

    /** The start of the tumbling window holding {@code timestamp}. */
    public static long windowStart(long timestamp, long windowMillis) {
        return TimeWindow.getWindowStartWithOffset(timestamp, 0, windowMillis);
    }
}
