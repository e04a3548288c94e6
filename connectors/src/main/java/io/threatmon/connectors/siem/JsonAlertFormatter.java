package io.threatmon.connectors.siem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * ThreatMon's own alert JSON: {@code alert_id, time, severity, risk_score, category, categories,
 * rules, rule_names, tags, owasp, atlas, action, detection_method, user, app, model, role,
 * conversation_id, message_id, source, line, excerpt, count}, always in that order; absent values are
 * {@code null} and absent lists {@code []}, so every line has the same schema.
 */
public final class JsonAlertFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    JsonAlertFormatter() {
    }

    @Override
    public String id() {
        return "json";
    }

    @Override
    public String format(Alert a) {
        ObjectNode o = Formats.JSON.createObjectNode();
        o.put("alert_id", a.id());
        o.put("time", Formats.isoMillis(a));
        o.put("severity", a.severity());
        o.put("risk_score", a.riskScore());
        o.put("category", a.category());
        array(o, "categories", a.categories());
        array(o, "rules", a.ruleIds());
        array(o, "rule_names", a.ruleNames());
        array(o, "tags", a.tags());
        array(o, "owasp", a.owaspTags());
        array(o, "atlas", a.atlasTags());
        o.put("action", a.action());
        o.put("detection_method", a.detectionMethod());
        o.put("user", a.user());
        o.put("app", a.app());
        o.put("model", a.model());
        o.put("role", a.role());
        o.put("conversation_id", a.conversationId());
        o.put("message_id", a.messageId());
        o.put("source", a.source());
        o.put("line", a.line());
        o.put("excerpt", a.excerpt());
        o.put("count", a.count());
        return Formats.write(o);
    }

    private static void array(ObjectNode o, String key, List<String> values) {
        ArrayNode arr = o.putArray(key);
        values.forEach(arr::add);
    }
}
