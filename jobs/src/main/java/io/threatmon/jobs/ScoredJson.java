package io.threatmon.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threatmon.connectors.DeadLetter;
import io.threatmon.reports.ScoredMessage;
import java.time.Instant;

/** JSON lines for scored records and dead letters (snake_case, one object per line). */
final class ScoredJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoredJson() {}

    static String scored(ScoredMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("timestamp", m.timestamp == ScoredMessage.NO_TIME ? null : Instant.ofEpochMilli(m.timestamp).toString());
        o.put("conversation_id", m.conversationId);
        o.put("message_id", m.messageId);
        o.put("role", m.role);
        o.put("user", m.user);
        o.put("app", m.app);
        o.put("model", m.model);
        o.put("source", m.source);
        o.put("line", m.line);
        o.put("is_threat", m.threat);
        o.put("risk_score", m.riskScore);
        o.put("risk_level", m.riskLevel);
        o.put("threat_type", m.threatType);
        ArrayNode types = o.putArray("threat_types");
        for (String t : m.threatTypes) {
            types.add(t);
        }
        ArrayNode rules = o.putArray("matched_rules");
        for (String r : m.matchedRules) {
            rules.add(r);
        }
        o.put("action", m.action);
        o.put("detection_method", m.detectionMethod);
        o.put("excerpt", m.excerpt);
        if (m.text != null) {
            o.put("text", m.text);
        }
        return write(o);
    }

    static String deadLetter(DeadLetter d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", d.source);
        o.put("line", d.line);
        o.put("reason", d.reason);
        o.put("raw", d.raw);
        return write(o);
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
