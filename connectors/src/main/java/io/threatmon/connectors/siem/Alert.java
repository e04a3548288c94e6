package io.threatmon.connectors.siem;

import java.io.Serializable;
import java.util.List;

/**
 * One alert about one threatening message, in ThreatMon's own terms; {@link AlertFormatter}s turn
 * it into what a SIEM expects (CEF, LEEF, ECS, OCSF, Splunk HEC, syslog).
 *
 * <pre>{@code
 * Alert a = new Alert("conv-42-17", 1772627696789L, 92, "critical", "prompt_injection",
 *         List.of("prompt_injection"), List.of("pi.ignore_previous"), List.of("Ignore previous instructions"),
 *         List.of("LLM01:2025", "AML.T0051.000"), "block", "rules", "alice", "support-bot", "gpt-4o", "user",
 *         "conv-42", "conv-42-17", "logs/day.jsonl", 17, "ignore previous instructions a=b", 1);
 * String cef = AlertFormatter.cef().format(a);
 * }</pre>
 *
 * @param id              stable alert id (the message id, or file:line)
 * @param timestamp       event time, epoch ms ({@link Long#MIN_VALUE} when unknown: formatters then use the time of formatting)
 * @param riskScore       0-100
 * @param severity        the risk level: very_low, low, medium, high, critical
 * @param category        primary threat category
 * @param categories      every category with evidence
 * @param ruleIds         rules that fired, strongest first
 * @param ruleNames       their names, same order
 * @param tags            OWASP LLM (LLM01:2025 …) and MITRE ATLAS (AML.T0051.000 …) ids
 * @param action          allow, warn, review or block
 * @param detectionMethod rules, model, both
 * @param user            end user, or null
 * @param app             AI application, or null
 * @param model           model, or null
 * @param role            user, assistant, system or tool, or null
 * @param conversationId  conversation, or null
 * @param messageId       message, or null
 * @param source          input file or topic
 * @param line            line or offset in the source
 * @param excerpt         redacted excerpt (never the whole message unless the user asked)
 * @param count           how many alerts this one stands for (throttling folds repeats into one)
 */
public record Alert(
        String id,
        long timestamp,
        int riskScore,
        String severity,
        String category,
        List<String> categories,
        List<String> ruleIds,
        List<String> ruleNames,
        List<String> tags,
        String action,
        String detectionMethod,
        String user,
        String app,
        String model,
        String role,
        String conversationId,
        String messageId,
        String source,
        long line,
        String excerpt,
        long count) implements Serializable {

    public Alert {
        categories = categories == null ? List.of() : List.copyOf(categories);
        ruleIds = ruleIds == null ? List.of() : List.copyOf(ruleIds);
        ruleNames = ruleNames == null ? List.of() : List.copyOf(ruleNames);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The OWASP LLM Top 10 ids among the tags. */
    public List<String> owaspTags() {
        return tags.stream().filter(t -> t.startsWith("LLM")).toList();
    }

    /** The MITRE ATLAS technique ids among the tags. */
    public List<String> atlasTags() {
        return tags.stream().filter(t -> t.startsWith("AML.")).toList();
    }
}
