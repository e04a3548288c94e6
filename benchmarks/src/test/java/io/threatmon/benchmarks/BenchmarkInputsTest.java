package io.threatmon.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The benchmarks measure what they claim: sizes, attacks that are threats, benign texts that are not, rule counts. */
class BenchmarkInputsTest {

    private static final ThreatClient RULES = BenchmarkInputs.client("rules");

    @Test
    void shouldGiveDistinctTextsOfEachSize() {
        for (String size : new String[] {"short", "medium", "long"}) {
            int target = switch (size) {
                case "short" -> 100;
                case "medium" -> 1_000;
                default -> 100_000;
            };
            for (String kind : new String[] {"benign", "attack"}) {
                String[] texts = BenchmarkInputs.texts(size, kind);
                assertEquals(BenchmarkInputs.ROTATION, Set.of(texts).size(), size + " " + kind + " texts repeat");
                for (String t : texts) {
                    int bytes = t.getBytes(StandardCharsets.UTF_8).length;
                    // A short attack is a whole injection with an opening: up to 140 bytes.
                    int max = size.equals("short") && kind.equals("attack") ? 140 : target;
                    assertTrue(bytes >= target * 0.7 && bytes <= max, size + " " + kind + ": " + bytes + " bytes");
                }
            }
        }
    }

    @Test
    void shouldFlagEveryAttackTextAndNoBenignOneWithTheRulesAlone() {
        for (String size : new String[] {"short", "medium", "long"}) {
            // A 100 KB text takes seconds with the engine of issue 7's start on a busy machine: the
            // first one stands for the rest (they are built alike, BenchmarkTextsTest checks how).
            int n = size.equals("long") ? 1 : BenchmarkInputs.ROTATION;
            String[] attacks = BenchmarkInputs.texts(size, "attack");
            String[] benign = BenchmarkInputs.texts(size, "benign");
            for (int i = 0; i < n; i++) {
                assertTrue(RULES.analyze(attacks[i]).isThreat(), size + " attack not flagged: " + attacks[i]);
                AnalysisResult r = RULES.analyze(benign[i]);
                if (size.equals("long")) {
                    // 100 KB of benign prompts holds a few weak matches, and the engine adds up
                    // evidence from unrelated paragraphs: the text may reach the threshold. A rule
                    // may also fire when its `requires` partner lies in another of the unrelated
                    // paragraphs of the same 4 KB chunk (partners count near the match, exemptions
                    // only in its sentence). But no paragraph may be a threat on its own.
                    String text = benign[i];
                    for (var m : r.matches()) {
                        if (m.risk() >= RULES.threshold()) {
                            String paragraph = paragraphAt(text, m.start());
                            assertFalse(RULES.analyze(paragraph).isThreat(),
                                    "a paragraph of the long benign text is a threat on its own: " + paragraph);
                        }
                    }
                } else {
                    assertFalse(r.isThreat(), size + " benign text flagged by " + r.matchedRules() + ": " + benign[i]);
                }
            }
        }
    }

    @Test
    void shouldFlagTheMediumAttacksWithTheModelOnToo() {
        ThreatClient withModel = BenchmarkInputs.client("rules+model");
        for (String t : BenchmarkInputs.texts("medium", "attack")) {
            assertTrue(withModel.analyze(t).isThreat(), t);
        }
    }

    @Test
    void shouldGenerateLoadableRulesThatOnlyMatchTheirOwnTexts() {
        int bundled = RuleLoader.load(RuleLoader.bundled()).orThrow().size();
        SyntheticRules gen = new SyntheticRules(1_000, RuleScalingBenchmark.RULES_SEED);
        RuleSet rules = gen.withBundled();
        assertEquals(bundled + 1_000, rules.size());
        ThreatClient client = BenchmarkInputs.client(rules);
        for (int k : new int[] {1, 17, 500, 1_000}) {
            AnalysisResult r = client.analyze(gen.matchingText(k));
            assertEquals(Set.of(SyntheticRules.ruleId(k)), Set.copyOf(r.matchedRules()), gen.matchingText(k));
        }
        for (String kind : new String[] {"benign", "attack"}) {
            for (String t : BenchmarkInputs.texts("medium", kind)) {
                assertTrue(client.analyze(t).matchedRules().stream().noneMatch(id -> id.startsWith("gen.")), t);
            }
        }
    }

    @Test
    void shouldDrawDistinctWordsForTenThousandRules() {
        SyntheticRules gen = new SyntheticRules(10_000, RuleScalingBenchmark.RULES_SEED);
        Set<String> words = new HashSet<>();
        for (int k = 1; k <= 10_000; k++) {
            for (String w : gen.words(k)) {
                assertTrue(words.add(w), "word repeats: " + w);
            }
        }
        List<RuleLoader.Source> packs = gen.packs();
        assertEquals(5, packs.size());
        long ids = 0;
        for (RuleLoader.Source pack : packs) {
            assertTrue(pack.content().length() < 3_000_000, "the YAML reader refuses documents over 3 M characters");
            ids += pack.content().lines().filter(l -> l.startsWith("  - id: gen.r")).count();
        }
        assertEquals(10_000, ids);
    }

    /** The paragraph (between blank lines) holding offset {@code at}. */
    private static String paragraphAt(String text, int at) {
        int start = text.lastIndexOf("\n\n", at);
        int end = text.indexOf("\n\n", at);
        return text.substring(start < 0 ? 0 : start + 2, end < 0 ? text.length() : end);
    }
}
