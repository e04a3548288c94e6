package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a result was reached. For local analysis, which detectors produced its evidence:
 * {@code none} when nothing fired, {@code rules} when only rules fired, {@code model} when only the
 * statistical model (or another non-rule detector) reported evidence, {@code both} when rules and a
 * model did. A model "fires" when its risk reaches its evidence floor, which can be below the
 * threat threshold: look at {@code is_threat} for the verdict.
 *
 * <p>Clients in {@link Mode#API} or {@link Mode#HYBRID} mode add: {@code api} (the verdict came
 * from a ThreatMon server), {@code hybrid} (local analysis found a borderline score and the server
 * decided) and {@code local_fallback} (the server was needed but was down, slow or refused, so the
 * local verdict stands).
 *
 * <pre>{@code
 * if (result.detectionMethod() == DetectionMethod.LOCAL_FALLBACK) metrics.increment("remote_unavailable");
 * }</pre>
 */
public enum DetectionMethod {
    NONE,
    RULES,
    MODEL,
    BOTH,
    /** The verdict came from a ThreatMon server ({@link Mode#API}). */
    API,
    /** Local analysis was borderline and a ThreatMon server decided ({@link Mode#HYBRID}). */
    HYBRID,
    /** The server was needed but unavailable; this is the local verdict. */
    LOCAL_FALLBACK;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an id ({@code rules}, {@code local_fallback} …), any case. */
    @JsonCreator
    public static DetectionMethod parse(String id) {
        for (DetectionMethod m : values()) {
            if (m.id().equalsIgnoreCase(id.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown detection method '" + id + "'");
    }

    /** The method of a result whose evidence came from rules ({@code rules}) and/or a model ({@code model}). */
    public static DetectionMethod of(boolean rules, boolean model) {
        return rules ? (model ? BOTH : RULES) : (model ? MODEL : NONE);
    }
}
