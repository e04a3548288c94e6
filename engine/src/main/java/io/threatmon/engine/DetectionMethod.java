package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which detector produced a result's evidence: {@code none} when nothing fired, {@code rules}
 * when rules fired.
 *
 * <pre>{@code
 * if (result.detectionMethod() == DetectionMethod.RULES) showMatchedRules(result);
 * }</pre>
 */
public enum DetectionMethod {
    NONE,
    RULES;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
