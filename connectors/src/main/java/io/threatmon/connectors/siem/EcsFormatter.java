package io.threatmon.connectors.siem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An Elastic Common Schema 9.x document ({@code ecs.version} {@value #ECS_VERSION}).
 *
 * <ul>
 *   <li>{@code event}: kind {@code alert}, category {@code [intrusion_detection]}, type {@code denied}
 *       when the action is {@code block}, {@code allowed} for {@code allow}, else {@code info};
 *       {@code severity}, {@code risk_score} and {@code risk_score_norm} = the risk (0-100);
 *       {@code id} = the alert id; module {@code threatmon}, dataset {@code threatmon.alert}.</li>
 *   <li>{@code rule}: the strongest rule's id and name, the category, the ruleset (default
 *       {@value #DEFAULT_RULESET}, see {@link #withRuleset(String)}).</li>
 *   <li>{@code threat}: framework {@code MITRE ATLAS} with the ATLAS technique ids and names (omitted
 *       without ATLAS tags); OWASP ids go to {@code tags} as {@code owasp:LLM01:2025}.</li>
 *   <li>{@code user.name}, {@code labels} (conversation_id, message_id, app, model, role),
 *       {@code observer} (vendor, product, version), {@code log.file.path} (the source) and custom
 *       {@code threatmon.*} (action, detection method, every rule and category, count, excerpt).</li>
 * </ul>
 * Null or empty values are left out.
 */
public final class EcsFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    /** The ECS version the documents declare. */
    public static final String ECS_VERSION = "9.4.0";
    /** {@code rule.ruleset} by default: the bundled rule packs. */
    public static final String DEFAULT_RULESET = "core";

    private final String version;
    private final String ruleset;

    EcsFormatter(String version, String ruleset) {
        this.version = version == null ? DEFAULT_VERSION : version;
        this.ruleset = ruleset;
    }

    /** The same formatter with another {@code rule.ruleset} (null leaves it out). */
    public EcsFormatter withRuleset(String ruleset) {
        return new EcsFormatter(version, ruleset);
    }

    @Override
    public String id() {
        return "ecs";
    }

    @Override
    public String format(Alert a) {
        int risk = Formats.risk(a);
        ObjectNode o = Formats.JSON.createObjectNode();
        o.put("@timestamp", Formats.isoMillis(a));
        o.putObject("ecs").put("version", ECS_VERSION);

        ObjectNode event = o.putObject("event");
        event.put("kind", "alert");
        event.putArray("category").add("intrusion_detection");
        event.putArray("type").add(eventType(a.action()));
        event.put("severity", risk);
        event.put("risk_score", risk);
        event.put("risk_score_norm", risk);
        event.put("module", "threatmon");
        event.put("dataset", "threatmon.alert");
        Formats.putIf(event, "id", a.id());

        ObjectNode rule = Formats.JSON.createObjectNode();
        Formats.putIf(rule, "id", Formats.first(a.ruleIds()));
        Formats.putIf(rule, "name", Formats.first(a.ruleNames()));
        Formats.putIf(rule, "category", a.category());
        Formats.putIf(rule, "ruleset", ruleset);
        if (!rule.isEmpty()) {
            o.set("rule", rule);
        }

        List<String> atlas = a.atlasTags();
        if (!atlas.isEmpty()) {
            ObjectNode threat = o.putObject("threat");
            threat.put("framework", "MITRE ATLAS");
            ObjectNode technique = threat.putObject("technique");
            ArrayNode ids = technique.putArray("id");
            ArrayNode names = technique.putArray("name");
            for (String t : atlas) {
                ids.add(t);
                names.add(Formats.ATLAS_NAMES.getOrDefault(t, t));
            }
        }

        if (!Formats.isEmpty(a.user())) {
            o.putObject("user").put("name", a.user());
        }
        ObjectNode labels = Formats.JSON.createObjectNode();
        Formats.putIf(labels, "conversation_id", a.conversationId());
        Formats.putIf(labels, "message_id", a.messageId());
        Formats.putIf(labels, "app", a.app());
        Formats.putIf(labels, "model", a.model());
        Formats.putIf(labels, "role", a.role());
        if (!labels.isEmpty()) {
            o.set("labels", labels);
        }
        Formats.putArrayIf(o, "tags", a.owaspTags().stream().map(t -> "owasp:" + t).toList());
        o.put("message", Formats.title(a) + " (risk " + risk + ")");

        ObjectNode observer = o.putObject("observer");
        observer.put("vendor", VENDOR);
        observer.put("product", PRODUCT);
        observer.put("version", version);
        if (!Formats.isEmpty(a.source())) {
            o.putObject("log").putObject("file").put("path", a.source());
        }

        ObjectNode tm = o.putObject("threatmon");
        Formats.putIf(tm, "action", a.action());
        Formats.putIf(tm, "detection_method", a.detectionMethod());
        Formats.putArrayIf(tm, "rules", a.ruleIds());
        Formats.putArrayIf(tm, "categories", a.categories());
        tm.put("count", a.count());
        Formats.putIf(tm, "excerpt", a.excerpt());
        return Formats.write(o);
    }

    private static String eventType(String action) {
        if ("block".equals(action)) {
            return "denied";
        }
        return "allow".equals(action) ? "allowed" : "info";
    }
}
