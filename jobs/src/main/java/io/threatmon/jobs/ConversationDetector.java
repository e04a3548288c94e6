package io.threatmon.jobs;

import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.siem.Alert;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Analyzer;
import io.threatmon.engine.Direction;
import io.threatmon.reports.ScoredMessage;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Conversation-level detection, keyed by conversation id, over the prompt-side turns (every role
 * but assistant and tool). Two kinds, each alerted at most once per conversation:
 *
 * <ul>
 *   <li><b>split attack</b> ({@value #SPLIT_RULE}): the last {@code turns} turns joined with spaces
 *       score as a threat while none of those turns did on its own (an instruction split across messages);</li>
 *   <li><b>rising risk</b> ({@value #RISING_RULE}): the last {@code risingTurns} turns have strictly
 *       increasing risk scores, the last at or above {@code risingLevel}, and none was a threat on
 *       its own (a conversation escalating towards an attack without crossing the threshold).</li>
 * </ul>
 *
 * State per conversation is a few recent texts and scores; it is cleared by an event-time timer
 * {@code ttl} after the conversation's last turn, and by state TTL (processing time) as a backstop.
 *
 * <pre>{@code
 * records.keyBy(r -> r.conversationId).process(new ConversationDetector(engine, new Settings(4, 3, 50, 3_600_000L), false))
 * }</pre>
 */
public final class ConversationDetector extends KeyedProcessFunction<String, ConversationRecord, Alert> {

    private static final long serialVersionUID = 1L;

    static final String SPLIT_RULE = "conversation.split_attack";
    static final String RISING_RULE = "conversation.rising_risk";
    static final String DETECTION_METHOD = "conversation";

    /** @param turns turns joined for the split check; @param ttlMillis idle time after which a conversation is forgotten */
    public record Settings(int turns, int risingTurns, int risingLevel, long ttlMillis) implements Serializable {}

    /** What is remembered of one conversation (arrays, so Flink serialises it without Kryo). */
    public static final class Turns {
        public String[] texts = new String[0];
        public int[] risks = new int[0];
        public boolean[] threats = new boolean[0];
        public boolean splitAlerted;
        public boolean risingAlerted;
        public long timer = Long.MIN_VALUE;

        public Turns() {}
    }

    private final EngineConfig engine;
    private final Settings settings;
    private final boolean includeText;
    private transient Analyzer analyzer;
    private transient ValueState<Turns> state;

    public ConversationDetector(EngineConfig engine, Settings settings, boolean includeText) {
        this.engine = engine;
        this.settings = settings;
        this.includeText = includeText;
    }

    /** Whether a record takes part: a prompt-side turn of a known conversation. */
    public static boolean applies(ConversationRecord r) {
        return r.conversationId != null && !r.isModelOutput();
    }

    @Override
    public void open(OpenContext context) {
        analyzer = engine.client().analyzer();
        ValueStateDescriptor<Turns> d = new ValueStateDescriptor<>("conversation", Turns.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(settings.ttlMillis()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        state = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(ConversationRecord r, Context ctx, Collector<Alert> out) throws Exception {
        Turns t = state.value();
        if (t == null) {
            t = new Turns();
        }
        AnalysisResult single = analyzer.analyze(r.text, Direction.PROMPT);
        t.texts = last(append(t.texts, r.text), settings.turns());
        t.risks = last(append(t.risks, single.riskScore()), Math.max(settings.turns(), settings.risingTurns()));
        t.threats = last(append(t.threats, single.isThreat()), Math.max(settings.turns(), settings.risingTurns()));

        if (!t.splitAlerted && t.texts.length >= 2 && noneThreat(t.threats, t.texts.length)) {
            AnalysisResult joined = analyzer.analyze(String.join(" ", t.texts), Direction.PROMPT);
            if (joined.isThreat()) {
                t.splitAlerted = true;
                out.collect(alert(r, joined, String.join(" ", t.texts), SPLIT_RULE, joined.threatType(), joined.riskScore()));
            }
        }
        if (!t.risingAlerted && rising(t.risks, t.threats, settings.risingTurns(), settings.risingLevel())) {
            t.risingAlerted = true;
            String category = single.threatType() != null ? single.threatType() : "escalation";
            out.collect(alert(r, single, r.text, RISING_RULE, category, single.riskScore()));
        }

        long time = ctx.timestamp() != null ? ctx.timestamp() : ctx.timerService().currentProcessingTime();
        long expiry = time + settings.ttlMillis();
        if (expiry > t.timer) {
            if (t.timer != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(t.timer);
            }
            t.timer = expiry;
            ctx.timerService().registerEventTimeTimer(expiry);
        }
        state.update(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Turns t = state.value();
        if (t == null || t.timer <= timestamp) {
            state.clear();
        }
    }

    /** K strictly increasing scores ending at or above the level, none of them a threat. */
    static boolean rising(int[] risks, boolean[] threats, int k, int level) {
        if (risks.length < k) {
            return false;
        }
        int from = risks.length - k;
        for (int i = from; i < risks.length; i++) {
            if (threats[i] || (i > from && risks[i] <= risks[i - 1])) {
                return false;
            }
        }
        return risks[risks.length - 1] >= level;
    }

    private static boolean noneThreat(boolean[] threats, int lastN) {
        for (int i = Math.max(0, threats.length - lastN); i < threats.length; i++) {
            if (threats[i]) {
                return false;
            }
        }
        return true;
    }

    private Alert alert(ConversationRecord last, AnalysisResult result, String text, String rule, String category, int risk) {
        ConversationRecord shown = new ConversationRecord();
        shown.timestamp = last.timestamp;
        shown.conversationId = last.conversationId;
        shown.messageId = last.messageId;
        shown.role = last.role;
        shown.user = last.user;
        shown.app = last.app;
        shown.model = last.model;
        shown.source = last.source;
        shown.line = last.line;
        shown.text = text;
        ScoredMessage m = ScoreMessages.toScored(shown, result, includeText);
        Alert a = Alerts.of(m, result);
        List<String> rules = new ArrayList<>();
        rules.add(rule);
        rules.addAll(a.ruleIds());
        List<String> names = new ArrayList<>();
        names.add(rule.equals(SPLIT_RULE) ? "Attack split across conversation turns" : "Risk rising across conversation turns");
        names.addAll(a.ruleNames());
        List<String> categories = a.categories().isEmpty() ? List.of(category) : a.categories();
        String severity = a.severity();
        return new Alert(last.conversationId + ":" + rule, a.timestamp(), risk, severity, category, categories, rules, names,
                a.tags(), a.action(), DETECTION_METHOD, a.user(), a.app(), a.model(), a.role(), a.conversationId(),
                a.messageId(), a.source(), a.line(), a.excerpt(), 1);
    }

    private static String[] append(String[] a, String v) {
        String[] c = Arrays.copyOf(a, a.length + 1);
        c[a.length] = v;
        return c;
    }

    private static int[] append(int[] a, int v) {
        int[] c = Arrays.copyOf(a, a.length + 1);
        c[a.length] = v;
        return c;
    }

    private static boolean[] append(boolean[] a, boolean v) {
        boolean[] c = Arrays.copyOf(a, a.length + 1);
        c[a.length] = v;
        return c;
    }

    private static String[] last(String[] a, int n) {
        return a.length <= n ? a : Arrays.copyOfRange(a, a.length - n, a.length);
    }

    private static int[] last(int[] a, int n) {
        return a.length <= n ? a : Arrays.copyOfRange(a, a.length - n, a.length);
    }

    private static boolean[] last(boolean[] a, int n) {
        return a.length <= n ? a : Arrays.copyOfRange(a, a.length - n, a.length);
    }
}
