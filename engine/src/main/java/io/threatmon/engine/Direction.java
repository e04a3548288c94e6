package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which way a text travels: a prompt to a model, or a model's response (scanned for leaks).
 *
 * <pre>{@code
 * AnalysisResult r = client.analyze(modelOutput, Direction.RESPONSE);
 * }</pre>
 */
public enum Direction {
    PROMPT,
    RESPONSE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code prompt|response} (any case). */
    public static Direction parse(String s) {
        for (Direction d : values()) {
            if (d.id().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + s + "' (expected prompt or response)");
    }
}
