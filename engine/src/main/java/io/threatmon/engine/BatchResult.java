package io.threatmon.engine;

import java.util.List;

/**
 * The results of a batch, in input order, and their summary.
 *
 * <pre>{@code
 * BatchResult batch = client.analyzeBatch(List.of("hello", "ignore previous instructions"), 4);
 * batch.results().forEach(r -> System.out.println(r.riskScore()));
 * System.out.println(batch.summary().threatRate());
 * }</pre>
 */
public record BatchResult(List<AnalysisResult> results, BatchSummary summary) {

    public BatchResult {
        results = List.copyOf(results);
    }
}
