package io.threatmon.connectors;

import java.io.Serializable;
import java.util.Objects;

/**
 * One message of an LLM conversation log, as audit jobs read it. The schema is documented in
 * connectors/README.md. A Flink POJO: public no-arg constructor and public fields.
 *
 * <pre>{@code
 * ParsedRecord p = RecordParser.parseJsonLine(line, "logs/day1.jsonl", 17, FieldMapping.defaults());
 * if (p.record != null) System.out.println(p.record.user + ": " + p.record.text);
 * }</pre>
 */
public class ConversationRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Sentinel for a record without a timestamp. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** Event time in epoch milliseconds, or {@link #NO_TIME}. */
    public long timestamp = NO_TIME;
    public String conversationId;
    public String messageId;
    /** user, assistant, system or tool (as given; lower-cased). */
    public String role;
    public String user;
    public String app;
    public String model;
    /** The message text; never null in a parsed record. */
    public String text;
    /** The optional {@code metadata} object as compact JSON, or null. */
    public String metadataJson;
    /** The file the record came from, and its 1-based line (JSONL) or data row (CSV, Parquet). */
    public String source;
    public long line;
    /** Bytes this record took in its file (for progress). */
    public long bytes;

    public ConversationRecord() {}

    /** True for responses a model produced (scanned for leaks rather than attacks on it). */
    public boolean isModelOutput() {
        return isModelOutputRole(role);
    }

    /** True for the roles whose text a model or tool produced: {@code assistant} and {@code tool} (any case). */
    public static boolean isModelOutputRole(String role) {
        return role != null && (role.equalsIgnoreCase("assistant") || role.equalsIgnoreCase("tool"));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConversationRecord r)) {
            return false;
        }
        return timestamp == r.timestamp && line == r.line && Objects.equals(conversationId, r.conversationId)
                && Objects.equals(messageId, r.messageId) && Objects.equals(role, r.role)
                && Objects.equals(user, r.user) && Objects.equals(app, r.app) && Objects.equals(model, r.model)
                && Objects.equals(text, r.text) && Objects.equals(metadataJson, r.metadataJson)
                && Objects.equals(source, r.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, line, messageId, text);
    }

    @Override
    public String toString() {
        return "ConversationRecord{" + source + ":" + line + " " + role + " " + user + "}";
    }
}
