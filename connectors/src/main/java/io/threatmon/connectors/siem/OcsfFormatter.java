package io.threatmon.connectors.siem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An OCSF 1.3 Detection Finding: {@code class_uid} {@value #CLASS_UID} (never the deprecated 2001
 * Security Finding), {@code category_uid} 2 (Findings), {@code activity_id} 1 (Create),
 * {@code type_uid} 200401.
 *
 * <p>Risk → {@code severity_id}: ≥ 90 critical (5), ≥ 70 high (4), ≥ 40 medium (3), &gt; 0 low (2),
 * 0 informational (1). Risk → {@code risk_level_id}: ≥ 90 critical (4), ≥ 70 high (3), ≥ 40 medium
 * (2), &gt; 0 low (1), 0 info (0).
 *
 * <p>{@code finding_info}: uid = the alert id, title, types = the categories, analytic = the strongest
 * rule with {@code type_id} 8 (regular expressions), the other rules as {@code related_analytics},
 * attacks = one per ATLAS technique (uid and name). {@code actor.user.name}, {@code actor.app_name},
 * {@code evidences[0].data.excerpt}; what OCSF has no attribute for (conversation, model, OWASP ids …)
 * goes to {@code unmapped}. Null or empty values are left out.
 */
public final class OcsfFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    /** Detection Finding. */
    public static final int CLASS_UID = 2004;
    /** Findings. */
    public static final int CATEGORY_UID = 2;
    /** Create. */
    public static final int ACTIVITY_ID = 1;
    /** The OCSF schema version declared in {@code metadata.version}. */
    public static final String SCHEMA_VERSION = "1.3.0";

    private static final String[] SEVERITY = {"Unknown", "Informational", "Low", "Medium", "High", "Critical"};
    private static final String[] RISK_LEVEL = {"Info", "Low", "Medium", "High", "Critical"};

    private final String version;

    OcsfFormatter(String version) {
        this.version = version == null ? DEFAULT_VERSION : version;
    }

    @Override
    public String id() {
        return "ocsf";
    }

    /** OCSF {@code severity_id} for a risk 0-100. */
    public static int severityId(int risk) {
        return risk >= 90 ? 5 : risk >= 70 ? 4 : risk >= 40 ? 3 : risk > 0 ? 2 : 1;
    }

    /** OCSF {@code risk_level_id} for a risk 0-100. */
    public static int riskLevelId(int risk) {
        return risk >= 90 ? 4 : risk >= 70 ? 3 : risk >= 40 ? 2 : risk > 0 ? 1 : 0;
    }

    @Override
    public String format(Alert a) {
        int risk = Formats.risk(a);
        ObjectNode o = Formats.JSON.createObjectNode();
        o.put("category_uid", CATEGORY_UID);
        o.put("class_uid", CLASS_UID);
        o.put("activity_id", ACTIVITY_ID);
        o.put("type_uid", CLASS_UID * 100 + ACTIVITY_ID);
        o.put("time", Formats.epochMillis(a));
        o.put("severity_id", severityId(risk));
        o.put("severity", SEVERITY[severityId(risk)]);
        o.put("is_alert", true);
        o.put("risk_score", risk);
        o.put("risk_level_id", riskLevelId(risk));
        o.put("risk_level", RISK_LEVEL[riskLevelId(risk)]);
        o.put("status_id", 1);
        o.put("message", Formats.title(a) + " (risk " + risk + ")");
        if (a.count() > 1) {
            o.put("count", a.count());
        }

        ObjectNode metadata = o.putObject("metadata");
        metadata.put("version", SCHEMA_VERSION);
        ObjectNode product = metadata.putObject("product");
        product.put("name", VENDOR);
        product.put("vendor_name", VENDOR);
        product.put("version", version);

        ObjectNode info = o.putObject("finding_info");
        info.put("uid", Formats.isEmpty(a.id()) ? a.source() + ":" + a.line() : a.id());
        info.put("title", Formats.title(a));
        Formats.putArrayIf(info, "types", a.categories().isEmpty() && a.category() != null
                ? List.of(a.category()) : a.categories());
        List<String> rules = a.ruleIds();
        if (!rules.isEmpty()) {
            info.set("analytic", analytic(rules.get(0), a.ruleNames().isEmpty() ? null : a.ruleNames().get(0)));
            if (rules.size() > 1) {
                ArrayNode related = info.putArray("related_analytics");
                for (int i = 1; i < rules.size(); i++) {
                    related.add(analytic(rules.get(i), i < a.ruleNames().size() ? a.ruleNames().get(i) : null));
                }
            }
        }
        if (!a.atlasTags().isEmpty()) {
            ArrayNode attacks = info.putArray("attacks");
            for (String t : a.atlasTags()) {
                ObjectNode technique = attacks.addObject().putObject("technique");
                technique.put("uid", t);
                Formats.putIf(technique, "name", Formats.ATLAS_NAMES.get(t));
            }
        }

        ObjectNode actor = Formats.JSON.createObjectNode();
        if (!Formats.isEmpty(a.user())) {
            actor.putObject("user").put("name", a.user());
        }
        Formats.putIf(actor, "app_name", a.app());
        if (!actor.isEmpty()) {
            o.set("actor", actor);
        }
        if (!Formats.isEmpty(a.excerpt())) {
            o.putArray("evidences").addObject().putObject("data").put("excerpt", a.excerpt());
        }

        ObjectNode unmapped = Formats.JSON.createObjectNode();
        Formats.putIf(unmapped, "conversation_id", a.conversationId());
        Formats.putIf(unmapped, "message_id", a.messageId());
        Formats.putIf(unmapped, "model", a.model());
        Formats.putIf(unmapped, "role", a.role());
        Formats.putIf(unmapped, "action", a.action());
        Formats.putIf(unmapped, "detection_method", a.detectionMethod());
        Formats.putArrayIf(unmapped, "owasp", a.owaspTags());
        Formats.putIf(unmapped, "source", a.source());
        if (!unmapped.isEmpty()) {
            o.set("unmapped", unmapped);
        }
        return Formats.write(o);
    }

    private static ObjectNode analytic(String uid, String name) {
        ObjectNode an = Formats.JSON.createObjectNode();
        an.put("uid", uid);
        Formats.putIf(an, "name", name);
        an.put("type_id", 8);
        return an;
    }
}
