package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.text.TextView;
import io.threatmon.engine.text.TextViews;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The prefilter is an optimisation: for every rule and every view of every text, running the
 * rule through the prefilter must give the same yes/no, and the same span, as running all its
 * regexes on the whole text. Checked on the bundled rules over their own examples and a sample of
 * the shared dev set.
 */
class PrefilterDifferentialTest {

    private static final Path DEV = Path.of("../../shared/datasets/dev.jsonl");
    private static final int SAMPLE_EVERY = 8;
    /** Rules besides the candidates and the text's own checked on each text view. */
    private static final int OTHER_RULES_PER_TEXT = 40;

    @Test
    void prefilterNeverChangesWhetherABundledRuleFires() throws IOException {
        RuleSet rules = RuleLoader.load(RuleLoader.bundled()).orThrow();
        List<String> texts = new ArrayList<>();
        Map<String, Set<Integer>> owners = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule r = rules.rules().get(i);
            for (String t : r.definition().matchExamples()) {
                texts.add(t);
                owners.computeIfAbsent(t, k -> new HashSet<>()).add(i);
            }
            for (String t : r.definition().noMatchExamples()) {
                texts.add(t);
                owners.computeIfAbsent(t, k -> new HashSet<>()).add(i);
            }
        }
        if (Files.exists(DEV)) {
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(DEV);
            for (int i = 0; i < lines.size(); i += SAMPLE_EVERY) {
                texts.add(json.readTree(lines.get(i)).get("text").asText());
            }
        }
        // Every rule on every text grew with the rule packs to five of the CI run's minutes (session
        // 30). Each text is now checked against the rules the prefilter makes candidates (a span
        // that differs shows there), the rules it is an example of, and a fixed-seed random sample
        // of the others (a rule that fires without being a candidate shows there).
        Random random = new Random(11);
        int fired = 0;
        for (String text : texts) {
            for (TextView view : TextViews.of(text)) {
                AtomHits hits = rules.scan(view.text());
                int[] candidateArray = rules.candidates(hits);
                List<Integer> candidates = Arrays.stream(candidateArray).boxed().toList();
                Set<Integer> checked = new TreeSet<>(candidates);
                checked.addAll(owners.getOrDefault(text, Set.of()));
                for (int k = 0; k < OTHER_RULES_PER_TEXT; k++) {
                    checked.add(random.nextInt(rules.size()));
                }
                for (int i : checked) {
                    CompiledRule rule = rules.rules().get(i);
                    int[] fastSpan = rules.find(rule, view.text(), hits);
                    int[] fullSpan = rule.findWithoutPrefilter(view.text());
                    boolean fast = fastSpan != null;
                    boolean full = fullSpan != null;
                    assertEquals(full, fast, () -> rule.id() + " on " + view.label() + " view of: " + abbreviate(text));
                    assertArrayEquals(fullSpan, fastSpan,
                            () -> "span of " + rule.id() + " on " + view.label() + " view of: " + abbreviate(text));
                    if (full) {
                        assertTrue(candidates.contains(i), () -> rule.id() + " fires but is not a candidate: " + abbreviate(text));
                    }
                    fired += fast ? 1 : 0;
                }
            }
        }
        assertTrue(fired > 100, "the comparison should include many firing rules, not only silence: " + fired);
    }

    @Test
    void aPatternWhoseAutomatonGivesUpIsLocatedWhereRe2jLocatesIt() {
        // After "Q: " in a long run of a and b, the automaton needs a state per combination of the
        // last 13 letters: it gives up, RE2/J decides, and the span it found is the one reported.
        RuleSet rules = rules("""
                  - {id: q, category: x, severity: high, patterns: ['\\bQ: [ab]*a[ab]{12}\\b']}
                """);
        CompiledRule rule = rules.rules().get(0);
        Random random = new Random(7);
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            letters.append(random.nextBoolean() ? 'a' : 'b');
        }
        String lead = "notes. ".repeat(10);
        for (String text : List.of(lead + "Q: " + letters + ". done", "Q: " + letters.substring(0, 40) + " and more",
                lead + "Q: bbbb no match", letters.toString())) {
            assertArrayEquals(rule.findWithoutPrefilter(text), rules.find(rule, text), () -> abbreviate(text));
        }
        assertEquals(lead.length(), rules.find(rule, lead + "Q: " + letters + ". done")[0]);
    }

    @Test
    void windowedMatchingRespectsWordBoundariesAtTheWindowEdge() {
        RuleSet rules = rules("""
                  - {id: w, category: x, severity: high, patterns: ['\\bsecret\\b.{0,5}\\bkey\\b']}
                """);
        CompiledRule rule = rules.rules().get(0);
        String padding = "lorem ipsum ".repeat(50);
        assertEquals(null, rules.find(rule, padding + "topsecret key " + padding));
        assertEquals(null, rules.find(rule, padding + "secret keys " + padding));
        int[] span = rules.find(rule, padding + "the secret key " + padding);
        assertEquals(padding.length() + 4, span[0]);
    }

    @Test
    void aGuardedAtomInsideAWordDoesNotMakeItsRuleACandidate() {
        RuleSet rules = rules("""
                  - {id: g, category: x, severity: high, patterns: ['\\brm\\s+-[a-z]*r[a-z]*\\s+/']}
                """);
        CompiledRule rule = rules.rules().get(0);
        assertEquals(0, rules.candidates(rules.scan("fill in the form -rf / information")).length);
        assertEquals(1, rules.candidates(rules.scan("then run rm -rf / as root")).length);
        assertEquals(9, rules.find(rule, "then run rm -rf / as root")[0]);
        assertEquals(0, rules.find(rule, "RM -RF /")[0], "at the text's start, and in upper case");
        assertEquals(null, rules.find(rule, "farm -rf /"));
    }

    @Test
    void aRegexGatedByRareCharactersNeedsOneOfEachSet() {
        RuleSet rules = rules("""
                  - {id: r, category: x, severity: high, patterns: ['\\b[a-z]{1,3}\\s*=\\s*[a-z]{1,3}\\s*\\+\\s*[a-z]{1,3}']}
                  - {id: c, category: x, severity: high, patterns: ['[\\x{4E00}-\\x{9FFF}]{2}：[0-9]']}
                """);
        assertEquals(0, rules.candidates(rules.scan("I write C++ every day")).length);
        assertEquals(0, rules.candidates(rules.scan("set x = 1 and move on")).length);
        assertEquals(List.of(0), Arrays.stream(rules.candidates(rules.scan("let a = b + c"))).boxed().toList());
        // Past the distinct rare characters remembered per text, every set counts as present.
        StringBuilder many = new StringBuilder();
        for (char c = '\u4E00'; c < '\u4E00' + 80; c++) {
            many.append(c);
        }
        String late = many + "中文：1";
        assertTrue(rules.find(rules.rules().get(1), late) != null);
        assertEquals(null, rules.find(rules.rules().get(1), many.toString()));
    }

    /** A rule set from the rules of one YAML pack (the items under {@code rules:}). */
    private static RuleSet rules(String items) {
        return RuleLoader.load(List.of(new RuleLoader.Source("test.yml", "rules:\n" + items))).orThrow();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
