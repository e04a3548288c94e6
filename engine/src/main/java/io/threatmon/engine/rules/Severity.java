package io.threatmon.engine.rules;

import java.util.Locale;

/**
 * A rule's severity and the base risk it stands for when the rule gives no explicit {@code risk}.
 *
 * <pre>{@code
 * int risk = Severity.parse("high").risk(); // 80
 * }</pre>
 */
public enum Severity {
    CRITICAL(95),
    HIGH(80),
    MEDIUM(60),
    LOW(35);

    private final int risk;

    Severity(int risk) {
        this.risk = risk;
    }

    /** The base risk (0-100) of a rule with this severity. */
    public int risk() {
        return risk;
    }

    /** The lower-case name used in rule files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The severity named in a rule file ({@code critical|high|medium|low}, any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Severity parse(String name) {
        for (Severity s : values()) {
            if (s.id().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + name + "' (expected critical, high, medium or low)");
    }

    /** The severity band a risk falls in, for rules given only as {@code risk}. */
    public static Severity ofRisk(int risk) {
        if (risk >= 90) {
            return CRITICAL;
        }
        if (risk >= 70) {
            return HIGH;
        }
        if (risk >= 45) {
            return MEDIUM;
        }
        return LOW;
    }
}
