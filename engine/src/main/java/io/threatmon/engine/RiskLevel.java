package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The band a risk score falls in: 0-20 very low, 21-40 low, 41-60 medium, 61-80 high,
 * 81-100 critical.
 *
 * <pre>{@code
 * RiskLevel.of(92); // CRITICAL
 * }</pre>
 */
public enum RiskLevel {
    VERY_LOW,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The band of a risk score 0-100. */
    public static RiskLevel of(int risk) {
        if (risk <= 20) {
            return VERY_LOW;
        }
        if (risk <= 40) {
            return LOW;
        }
        if (risk <= 60) {
            return MEDIUM;
        }
        if (risk <= 80) {
            return HIGH;
        }
        return CRITICAL;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
