package io.threatmon.connectors;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which input field holds each part of a conversation record, so logs of other shapes load
 * ({@code --text-field prompt}). Immutable.
 *
 * <pre>{@code
 * FieldMapping m = FieldMapping.defaults().with("text", "prompt").with("user", "user_id");
 * }</pre>
 */
public final class FieldMapping implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The record's parts, which are also the default field names. */
    public static final String[] PARTS = {"timestamp", "conversation_id", "message_id", "role", "user", "app", "model",
        "text", "metadata"};

    private final Map<String, String> names;

    private FieldMapping(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    /** Every part read from the field of the same name. */
    public static FieldMapping defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : PARTS) {
            m.put(p, p);
        }
        return new FieldMapping(m);
    }

    /**
     * This mapping with {@code part} read from {@code field}.
     *
     * @throws IllegalArgumentException for an unknown part or a blank field name
     */
    public FieldMapping with(String part, String field) {
        if (!names.containsKey(part)) {
            throw new IllegalArgumentException("unknown record part '" + part + "' (expected one of "
                    + String.join(", ", PARTS) + ")");
        }
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("field name for '" + part + "' is blank");
        }
        Map<String, String> m = new LinkedHashMap<>(names);
        m.put(part, field);
        return new FieldMapping(m);
    }

    /** The input field name for a part. */
    public String field(String part) {
        return Objects.requireNonNull(names.get(part), part);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldMapping f && names.equals(f.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
