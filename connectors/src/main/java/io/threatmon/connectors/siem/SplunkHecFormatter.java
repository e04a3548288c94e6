package io.threatmon.connectors.siem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * One Splunk HTTP Event Collector event for {@code POST /services/collector/event}: {@code time}
 * (epoch seconds with milliseconds), {@code host}, {@code source} (default {@value #DEFAULT_SOURCE}),
 * {@code sourcetype} (default {@value #DEFAULT_SOURCETYPE}), {@code index}, indexed {@code fields}
 * ({@code rule_id}, {@code category}) and the {@code event}: risk_score, severity, conversation_id,
 * owasp and atlas (ids joined with commas), then alert_id, category, rule_id, rule_name, action, user,
 * app, model, message_id, excerpt, count. A null host or index is left out, so Splunk applies the
 * token's defaults; null or empty values are left out. Several events in one request are simply
 * concatenated.
 */
public final class SplunkHecFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_SOURCE = "threatmon";
    public static final String DEFAULT_SOURCETYPE = "threatmon:alert";

    private final String host;
    private final String source;
    private final String sourcetype;
    private final String index;

    SplunkHecFormatter(String host, String source, String sourcetype, String index) {
        this.host = host;
        this.source = source;
        this.sourcetype = sourcetype;
        this.index = index;
    }

    /** The same formatter with another {@code source} (null leaves it out). */
    public SplunkHecFormatter withSource(String source) {
        return new SplunkHecFormatter(host, source, sourcetype, index);
    }

    /** The same formatter with another {@code sourcetype} (null leaves it out). */
    public SplunkHecFormatter withSourcetype(String sourcetype) {
        return new SplunkHecFormatter(host, source, sourcetype, index);
    }

    @Override
    public String id() {
        return "splunk";
    }

    @Override
    public String format(Alert a) {
        ObjectNode o = Formats.JSON.createObjectNode();
        o.put("time", BigDecimal.valueOf(Formats.epochMillis(a), 3));
        Formats.putIf(o, "host", host);
        Formats.putIf(o, "source", source);
        Formats.putIf(o, "sourcetype", sourcetype);
        Formats.putIf(o, "index", index);
        ObjectNode fields = Formats.JSON.createObjectNode();
        Formats.putIf(fields, "rule_id", Formats.first(a.ruleIds()));
        Formats.putIf(fields, "category", a.category());
        if (!fields.isEmpty()) {
            o.set("fields", fields);
        }
        ObjectNode e = o.putObject("event");
        e.put("risk_score", Formats.risk(a));
        Formats.putIf(e, "severity", a.severity());
        Formats.putIf(e, "conversation_id", a.conversationId());
        Formats.putIf(e, "owasp", join(a.owaspTags()));
        Formats.putIf(e, "atlas", join(a.atlasTags()));
        Formats.putIf(e, "alert_id", a.id());
        Formats.putIf(e, "category", a.category());
        Formats.putIf(e, "rule_id", Formats.first(a.ruleIds()));
        Formats.putIf(e, "rule_name", Formats.first(a.ruleNames()));
        Formats.putIf(e, "action", a.action());
        Formats.putIf(e, "user", a.user());
        Formats.putIf(e, "app", a.app());
        Formats.putIf(e, "model", a.model());
        Formats.putIf(e, "message_id", a.messageId());
        Formats.putIf(e, "excerpt", a.excerpt());
        e.put("count", a.count());
        return Formats.write(o);
    }

    private static String join(List<String> ids) {
        return String.join(",", ids);
    }
}
