package io.threatmon.engine;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.threatmon.engine.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregate figures over a batch of results.
 *
 * <pre>{@code
 * BatchSummary s = client.analyzeBatch(prompts, 8).summary();
 * System.out.println(s.threats() + " threats, top: " + s.topCategories());
 * }</pre>
 *
 * @param count            texts analyzed
 * @param threats          texts at or above the threshold
 * @param threatRate       threats / count (0 for an empty batch)
 * @param topCategories    categories of threats, most frequent first
 * @param meanRisk         mean risk score
 * @param maxRisk          highest risk score
 * @param highestRiskIndex index of the text with the highest risk (-1 for an empty batch)
 * @param totalTimeMicros  wall time of the batch
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BatchSummary(
        int count,
        int threats,
        double threatRate,
        List<CategoryCount> topCategories,
        double meanRisk,
        int maxRisk,
        int highestRiskIndex,
        long totalTimeMicros) {

    /** How many threats had a category as their primary type. */
    public record CategoryCount(String category, int count) {}

    public BatchSummary {
        topCategories = List.copyOf(topCategories);
    }

    /** Summarises results in order; {@code totalTimeMicros} is the caller's wall time. */
    public static BatchSummary of(List<AnalysisResult> results, long totalTimeMicros) {
        int threats = 0;
        long riskSum = 0;
        int max = -1;
        int maxIndex = -1;
        Map<String, Integer> byCategory = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            AnalysisResult r = results.get(i);
            riskSum += r.riskScore();
            if (r.riskScore() > max) {
                max = r.riskScore();
                maxIndex = i;
            }
            if (r.isThreat()) {
                threats++;
                byCategory.merge(r.threatType(), 1, Integer::sum);
            }
        }
        List<CategoryCount> top = new ArrayList<>();
        byCategory.forEach((c, n) -> top.add(new CategoryCount(c, n)));
        top.sort(Comparator.comparingInt(CategoryCount::count).reversed().thenComparing(CategoryCount::category));
        int n = results.size();
        return new BatchSummary(n, threats, n == 0 ? 0 : (double) threats / n, top,
                n == 0 ? 0 : (double) riskSum / n, Math.max(max, 0), maxIndex, totalTimeMicros);
    }

    /** The summary as one line of JSON, snake_case. */
    public String toJson() {
        return Json.write(this);
    }
}
