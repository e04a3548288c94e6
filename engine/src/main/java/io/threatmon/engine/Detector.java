package io.threatmon.engine;

import io.threatmon.engine.text.TextView;
import java.util.List;

/**
 * One source of evidence about a text. The {@link Analyzer} runs every detector it was built with
 * over the same views of the text and combines their evidence with {@link Scoring#combine}: the
 * rules are one detector, the local statistical model another ({@code model.ModelDetector}), and a
 * remote detector (an API or MCP service) can join later by implementing this interface.
 * Implementations must be immutable and thread-safe.
 *
 * <pre>{@code
 * Detector keywords = new Detector() {
 *     public String name() { return "keywords"; }
 *     public DetectionMethod method() { return DetectionMethod.MODEL; }
 *     public List<Match> detect(String text, List<TextView> views, Direction d) { return List.of(); }
 * };
 * ThreatClient client = ThreatClient.builder().detector(keywords).build();
 * }</pre>
 */
public interface Detector {

    /** A short name, used in evidence ids and {@code threatmon status}. */
    String name();

    /**
     * The kind of detector, for a result's {@code detection_method}: {@link DetectionMethod#RULES}
     * for rule-based detectors, {@link DetectionMethod#MODEL} for statistical ones.
     */
    DetectionMethod method();

    /**
     * The evidence this detector finds in {@code text}; empty when it has none. Each match's
     * {@code risk} is combined with every other detector's evidence.
     *
     * @param text      the original text
     * @param views     its views ({@link io.threatmon.engine.text.TextViews#of}), raw first, computed once per text
     * @param direction prompt or response
     */
    List<Match> detect(String text, List<TextView> views, Direction direction);
}
