package io.threatmon.jobs;

import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Match;
import io.threatmon.reports.ScoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds alerts from verdicts, and names the file they go to. */
final class Alerts {

    private Alerts() {}

    /** The alert for a threatening message: ids, verdict, rules with names, OWASP/ATLAS tags, redacted excerpt. */
    static Alert of(ScoredMessage m, AnalysisResult result) {
        Set<String> tags = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Match match : result.matches()) {
            tags.addAll(match.tags());
            ids.add(match.ruleId());
            names.add(match.ruleName());
        }
        String id = m.messageId != null ? m.messageId : m.source + ":" + m.line;
        return new Alert(id, m.timestamp, m.riskScore, m.riskLevel, m.threatType, List.of(m.threatTypes), ids, names,
                List.copyOf(tags), m.action, m.detectionMethod, m.user, m.app, m.model, m.role, m.conversationId,
                m.messageId, m.source, m.line, m.text != null ? m.text : m.excerpt, 1);
    }

    /** {@code alerts.jsonl} for JSON formats (one object per line), {@code alerts.log} for CEF, LEEF, syslog, text. */
    static String fileExtension(AlertFormatter f) {
        return switch (f.id()) {
            case "json", "jsonl", "ecs", "ocsf", "splunk" -> "jsonl";
            default -> "log";
        };
    }
}
