package io.threatmon.reports;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One conversation message with its verdict: what audit jobs produce and reports aggregate.
 * A Flink POJO (public no-arg constructor, public fields; arrays rather than lists so Flink
 * serializes it without Kryo).
 *
 * <pre>{@code
 * ScoredMessage m = new ScoredMessage();
 * m.conversationId = "conv-42"; m.user = "alice"; m.riskScore = 92; m.threat = true;
 * m.threatType = "prompt_injection"; m.matchedRules = new String[] {"pi.ignore_previous"};
 * accumulator.add(m);
 * }</pre>
 */
public class ScoredMessage implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Sentinel for an unknown timestamp. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Event time, epoch milliseconds, or {@link #NO_TIME}. */
    public long timestamp = NO_TIME;
    public String conversationId;
    public String messageId;
    /** user, assistant, system or tool. */
    public String role;
    public String user;
    public String app;
    public String model;
    /** Input file (or topic) the record came from, and its 1-based line or row. */
    public String source;
    public long line;

    public boolean threat;
    public int riskScore;
    /** very_low, low, medium, high or critical. */
    public String riskLevel;
    /** Primary category, or null when nothing fired. */
    public String threatType;
    public String[] threatTypes = new String[0];
    public String[] matchedRules = new String[0];
    /** recommended action: allow, warn, review, block. */
    public String action;
    /** rules, model, both or none. */
    public String detectionMethod;
    /**
     * A short, redacted excerpt around the strongest evidence (or the start of the text), made with
     * {@link Redactor#excerpt(String, int, int, int)}.
     */
    public String excerpt;
    /**
     * The full text, only when the user asked for it ({@code --include-text}); else null. Reports show it
     * verbatim, without redaction.
     */
    public String text;
    public long analysisMicros;

    public ScoredMessage() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScoredMessage m)) {
            return false;
        }
        return timestamp == m.timestamp && line == m.line && threat == m.threat && riskScore == m.riskScore
                && Objects.equals(conversationId, m.conversationId) && Objects.equals(messageId, m.messageId)
                && Objects.equals(role, m.role) && Objects.equals(user, m.user) && Objects.equals(app, m.app)
                && Objects.equals(model, m.model) && Objects.equals(source, m.source)
                && Objects.equals(riskLevel, m.riskLevel) && Objects.equals(threatType, m.threatType)
                && Arrays.equals(threatTypes, m.threatTypes) && Arrays.equals(matchedRules, m.matchedRules)
                && Objects.equals(action, m.action) && Objects.equals(detectionMethod, m.detectionMethod)
                && Objects.equals(excerpt, m.excerpt) && Objects.equals(text, m.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(conversationId, messageId, source, line, riskScore);
    }

    @Override
    public String toString() {
        return "ScoredMessage{" + source + ":" + line + " " + messageId + " risk=" + riskScore + " " + threatType + "}";
    }
}
