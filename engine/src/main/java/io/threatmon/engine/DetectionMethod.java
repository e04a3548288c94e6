package io.threatmon.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which detectors produced a result's evidence: {@code none} when nothing fired, {@code rules}
 * when only rules fired, {@code model} when only the statistical model (or another non-rule
 * detector) reported evidence, {@code both} when rules and a model did. A model "fires" when its
 * risk reaches its evidence floor, which can be below the threat threshold: look at
 * {@code is_threat} for the verdict.
 *
 * <pre>{@code
 * if (result.detectionMethod() == DetectionMethod.MODEL) reviewModelOnlyVerdict(result);
 * }</pre>
 */
public enum DetectionMethod {
    NONE,
    RULES,
    MODEL,
    BOTH;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method of a result whose evidence came from rules ({@code rules}) and/or a model ({@code model}). */
    public static DetectionMethod of(boolean rules, boolean model) {
        return rules ? (model ? BOTH : RULES) : (model ? MODEL : NONE);
    }
}
