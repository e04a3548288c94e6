package io.threatmon.engine.rules;

import java.util.Locale;

/**
 * Which traffic a rule applies to: prompts sent to a model, responses it returns, or both.
 *
 * <pre>{@code
 * RuleDirection d = RuleDirection.parse("response");
 * }</pre>
 */
public enum RuleDirection {
    PROMPT,
    RESPONSE,
    BOTH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code prompt|response|both}. */
    public static RuleDirection parse(String s) {
        for (RuleDirection d : values()) {
            if (d.id().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown direction '" + s + "' (expected prompt, response or both)");
    }
}
