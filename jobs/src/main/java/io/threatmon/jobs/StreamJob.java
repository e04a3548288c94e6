package io.threatmon.jobs;

import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.ParsedRecord;
import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertTypeInfo;
import io.threatmon.reports.ScoredMessage;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The streaming pipeline, kept thin: score (the audit's {@link ScoreMessages}) → throttled alerts,
 * conversation-level alerts, per-window reports (with late messages counted) and dead letters.
 * Sources and sinks are attached by {@link StreamRunner}; tests call {@link #buildPipeline} on any
 * stream of parsed records that carries event timestamps.
 *
 * <pre>{@code
 * DataStream<ParsedRecord> in = env.fromSource(kafkaSource, StreamJob.watermarks(options), "kafka");
 * StreamJob.Streams s = StreamJob.buildPipeline(in, engine, options);
 * s.alertJson().sinkTo(alertSink);
 * }</pre>
 */
public final class StreamJob {

    private StreamJob() {}

    /** What the pipeline produces; alerts already throttled, everything as JSON lines. */
    public record Streams(DataStream<Alert> alerts, DataStream<String> alertJson, DataStream<String> reports,
            DataStream<String> deadLetters) {}

    static final OutputTag<ScoredMessage> LATE = new OutputTag<>("late-messages") {};

    /**
     * Event time from the record's {@code timestamp} (the Kafka timestamp when it has none, and for
     * dead letters), bounded out-of-orderness, and idle partitions not holding the watermark back.
     */
    public static WatermarkStrategy<ParsedRecord> watermarks(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((p, kafkaTime) -> p.isValid() && p.record.timestamp != ConversationRecord.NO_TIME
                        ? p.record.timestamp : kafkaTime)
                .withIdleness(idleness);
    }

    public static Streams buildPipeline(DataStream<ParsedRecord> input, EngineConfig engine, StreamOptions o) {
        SingleOutputStreamOperator<ScoredMessage> scored = input
                .process(new ScoreMessages(engine, o.includeText()))
                .name("score").uid("score");

        DataStream<Alert> messageAlerts = scored.getSideOutput(ScoreMessages.ALERTS)
                .keyBy(ThrottleAlerts::key)
                .process(new ThrottleAlerts(o.throttle().toMillis()), AlertTypeInfo.get())
                .name("throttle").uid("throttle");

        DataStream<Alert> conversationAlerts = input
                .filter(p -> p.isValid() && ConversationDetector.applies(p.record)).name("conversation-turns").uid("conversation-turns")
                .map(p -> p.record).returns(TypeInformation.of(ConversationRecord.class)).name("turn").uid("turn")
                .keyBy(r -> r.conversationId)
                .process(new ConversationDetector(engine, o.conversationSettings(), o.includeText()), AlertTypeInfo.get())
                .name("conversation-detector").uid("conversation-detector");

        DataStream<Alert> alerts = messageAlerts.union(conversationAlerts);
        DataStream<String> alertJson = AlertOutputs.format(alerts, AlertFormatter.json(), "alert-json");

        SingleOutputStreamOperator<String> windowReports = scored
                .windowAll(TumblingEventTimeWindows.of(o.window()))
                .allowedLateness(o.allowedLateness())
                .sideOutputLateData(LATE)
                .aggregate(new WindowReports.Aggregate(), new WindowReports.Render(),
                        AccumulatorTypeInfo.get(), AccumulatorTypeInfo.get(), Types.STRING)
                .name("window-report").uid("window-report");
        long windowMillis = o.window().toMillis();
        DataStream<String> lateReports = windowReports.getSideOutput(LATE)
                .keyBy(m -> WindowReports.windowStart(m.timestamp, windowMillis), Types.LONG)
                .process(new WindowReports.Late(windowMillis))
                .name("late-report").uid("late-report");

        DataStream<String> deadLetters = scored.getSideOutput(ScoreMessages.DEAD_LETTERS)
                .map(ScoredJson::deadLetter).returns(Types.STRING).name("dead-letter-json").uid("dead-letter-json");
        return new Streams(alerts, alertJson, windowReports.union(lateReports), deadLetters);
    }
}
