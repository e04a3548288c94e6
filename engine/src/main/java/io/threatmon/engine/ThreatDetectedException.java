package io.threatmon.engine;

/**
 * Thrown when a guarded call, or a client built with {@code raiseOnThreat(true)}, meets a threat.
 * Unchecked, so it passes through lambdas and framework handlers.
 *
 * <pre>{@code
 * try {
 *     String answer = client.guard(prompt, llm::complete);
 * } catch (ThreatDetectedException e) {
 *     return "Request blocked: " + e.result().threatType();
 * }
 * }</pre>
 */
public final class ThreatDetectedException extends RuntimeException {

    private final transient AnalysisResult result;

    public ThreatDetectedException(AnalysisResult result) {
        super("threat detected: " + result.threatType() + " (risk " + result.riskScore() + ", rules "
                + String.join(", ", result.matchedRules()) + ")");
        this.result = result;
    }

    /** The verdict that caused the exception. */
    public AnalysisResult result() {
        return result;
    }
}
