package io.threatmon.jobs;

import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.DeadLetter;
import io.threatmon.connectors.ParsedRecord;
import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.sink.AlertTypeInfo;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Analyzer;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Match;
import io.threatmon.reports.Redactor;
import io.threatmon.reports.ScoredMessage;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores each parsed record with the engine (compiled once per subtask in {@code open()}).
 * Valid records become {@link ScoredMessage}s; dead letters go to {@link #DEAD_LETTERS}; each
 * threat also yields an {@link Alert} on {@link #ALERTS}, which every alert output formats its own
 * way (the audit's alerts file, each {@code --alert-sink}). Assistant and tool messages are scanned
 * as responses (for leaks), the rest as prompts.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<ScoredMessage> scored = parsed.process(new ScoreMessages(engine, false));
 * DataStream<Alert> alerts = scored.getSideOutput(ScoreMessages.ALERTS);
 * }</pre>
 */
public final class ScoreMessages extends ProcessFunction<ParsedRecord, ScoredMessage> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    /** One alert per threat, typed with {@link AlertTypeInfo} (Flink's serializers, not Kryo). */
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", AlertTypeInfo.get());

    /** Names of the progress accumulators the client polls. */
    public static final String RECORDS_READ = "threatmon.records";
    public static final String BYTES_READ = "threatmon.bytes";

    static final int EXCERPT_CHARS = 160;

    private final EngineConfig config;
    private final boolean includeText;

    private transient Analyzer analyzer;
    private transient Counter scored;
    private transient Counter threats;
    private transient Counter deadLetters;
    private transient Histogram latency;
    private transient Map<String, Counter> byCategory;
    private transient MetricGroup categories;
    private transient org.apache.flink.api.common.accumulators.LongCounter records;
    private transient org.apache.flink.api.common.accumulators.LongCounter bytes;

    /** {@code includeText}: alerts and scored records carry the whole message instead of a redacted excerpt. */
    public ScoreMessages(EngineConfig config, boolean includeText) {
        this.config = config;
        this.includeText = includeText;
    }

    @Override
    public void open(OpenContext context) {
        analyzer = config.client().analyzer();
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("threatmon");
        scored = g.counter("recordsScored");
        threats = g.counter("threats");
        deadLetters = g.counter("deadLetters");
        latency = g.histogram("scoringLatencyMicros", new DescriptiveStatisticsHistogram(10_000));
        categories = g.addGroup("category");
        byCategory = new HashMap<>();
        records = getRuntimeContext().getLongCounter(RECORDS_READ);
        bytes = getRuntimeContext().getLongCounter(BYTES_READ);
    }

    @Override
    public void processElement(ParsedRecord in, Context ctx, Collector<ScoredMessage> out) {
        records.add(1);
        if (!in.isValid()) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, in.deadLetter);
            return;
        }
        ConversationRecord r = in.record;
        bytes.add(r.bytes);
        AnalysisResult result = analyzer.analyze(r.text, r.isModelOutput() ? Direction.RESPONSE : Direction.PROMPT);
        latency.update(result.analysisTimeMicros());
        scored.inc();
        ScoredMessage m = toScored(r, result, includeText);
        if (m.threat) {
            threats.inc();
            byCategory.computeIfAbsent(m.threatType, c -> categories.counter(c)).inc();
            ctx.output(ALERTS, Alerts.of(m, result));
        }
        out.collect(m);
    }

    /** The scored form of a record: verdict fields and a redacted excerpt around the strongest evidence. */
    /**
     * Longest text an alert or scored record carries with {@code --include-text}: a Kafka record
     * is at most 1 MB by default, and one over it failed the sink, so the stream job restarted
     * for good on a single huge message.
     */
    static final int MAX_TEXT_CHARS = 64 * 1024;

    /** {@code text}, or its first {@link #MAX_TEXT_CHARS} characters and a note of how many were cut. */
    static String capped(String text) {
        if (text == null || text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = MAX_TEXT_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "… [" + (text.length() - end) + " more characters not included]";
    }

    static ScoredMessage toScored(ConversationRecord r, AnalysisResult result, boolean includeText) {
        ScoredMessage m = new ScoredMessage();
        m.timestamp = r.timestamp;
        m.conversationId = r.conversationId;
        m.messageId = r.messageId;
        m.role = r.role;
        m.user = r.user;
        m.app = r.app;
        m.model = r.model;
        m.source = r.source;
        m.line = r.line;
        m.threat = result.isThreat();
        m.riskScore = result.riskScore();
        m.riskLevel = result.riskLevel().id();
        m.threatType = result.threatType();
        m.threatTypes = result.threatTypes().toArray(new String[0]);
        m.matchedRules = result.matchedRules().toArray(new String[0]);
        m.action = result.action().id();
        m.detectionMethod = result.detectionMethod().id();
        m.analysisMicros = result.analysisTimeMicros();
        Match strongest = result.matches().isEmpty() ? null : result.matches().get(0);
        m.excerpt = strongest != null && strongest.end() > strongest.start()
                ? Redactor.excerpt(r.text, strongest.start(), strongest.end(), EXCERPT_CHARS)
                : Redactor.excerpt(r.text, EXCERPT_CHARS);
        m.text = includeText ? capped(r.text) : null;
        return m;
    }
}
