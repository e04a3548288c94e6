package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What to do with a message, relative to the threat threshold T (default 70): block at or above
 * T (exactly when {@code isThreat}); review from T−20 and warn from T−40, when anything fired; else allow.
 *
 * <pre>{@code
 * if (result.action() == Action.BLOCK) rejectRequest();
 * }</pre>
 */
public enum Action {
    ALLOW,
    WARN,
    REVIEW,
    BLOCK;

    /** The action for a risk score under a threshold. */
    public static Action of(int risk, int threshold) {
        if (risk >= threshold) {
            return BLOCK;
        }
        if (risk > 0 && risk >= threshold - 20) {
            return REVIEW; // a text nothing fired on is allowed, however low the threshold
        }
        if (risk > 0 && risk >= threshold - 40) {
            return WARN;
        }
        return ALLOW;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
