package io.threatmon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextViews;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The detector pools its hit buffers (and the DFA states in them) instead of keeping one per
 * thread: many more threads than pooled buffers must still get, for every text, exactly the
 * evidence one thread gets.
 */
class RuleDetectorConcurrencyTest {

    @Test
    void manyThreadsGetTheEvidenceOneThreadGets() throws Exception {
        RuleSet rules = RuleLoader.load(RuleLoader.bundled()).orThrow();
        List<String> texts = new ArrayList<>();
        rules.rules().forEach(r -> texts.addAll(r.definition().matchExamples()));
        rules.rules().forEach(r -> texts.addAll(r.definition().noMatchExamples()));
        RuleDetector sequential = new RuleDetector(rules);
        List<List<String>> expected = new ArrayList<>();
        for (String t : texts) {
            expected.add(ids(sequential.detect(t, TextViews.of(t), Direction.PROMPT)));
        }
        RuleDetector shared = new RuleDetector(rules);
        int threads = 4 * RuleDetector.POOLED;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<List<String>>>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    List<List<String>> got = new ArrayList<>(texts.size());
                    for (int k = 0; k < texts.size(); k++) {
                        got.add(null);
                    }
                    // Each thread walks the texts from its own starting point, so buffers see mixed histories.
                    for (int k = 0; k < texts.size(); k++) {
                        int i = (k + offset * 37) % texts.size();
                        String text = texts.get(i);
                        got.set(i, ids(shared.detect(text, TextViews.of(text), Direction.PROMPT)));
                    }
                    return got;
                }));
            }
            for (Future<List<List<String>>> run : runs) {
                assertEquals(expected, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> ids(List<Match> matches) {
        return matches.stream().map(Match::ruleId).toList();
    }
}
