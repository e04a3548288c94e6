package io.threatmon.benchmarks;

import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated rule pack of any size, shaped like the bundled ones, for the rule-count scaling
 * benchmark. Rule {@code k} has two patterns: a literal three-word phrase and a bounded regex
 * {@code \b(a|b) (\w+ ){0,3}(c|d)\b}, as many bundled rules have. Its seven words are distinct
 * pseudo-words (consonant-vowel syllables, like product code names) taken from a deterministic
 * vocabulary, so the rules rarely match ordinary text while still giving the engine real literal
 * atoms to index.
 *
 * <pre>{@code
 * SyntheticRules gen = new SyntheticRules(1_000, 42);
 * RuleSet rules = gen.withBundled();           // bundled packs + 1,000 generated rules
 * String hit = gen.matchingText(17);           // a text rule gen.r00017 flags
 * }</pre>
 *
 * @param count how many rules
 * @param seed  the same seed gives the same pack
 */
public record SyntheticRules(int count, long seed) {

    /** Rules per generated pack (file). */
    public static final int RULES_PER_PACK = 2_000;
    /** Words per rule: three in the phrase, four in the regex. */
    static final int WORDS_PER_RULE = 7;

    private static final String CONSONANTS = "bdfgklmnprstvzch";
    private static final String VOWELS = "aeiou";
    private static final String[] ENDINGS = {"", "n", "r", "s", "k", "l", "x", "th"};
    private static final int SYLLABLES = CONSONANTS.length() * VOWELS.length();
    /** Distinct words: three syllables and an ending. */
    static final int VOCABULARY_SIZE = SYLLABLES * SYLLABLES * SYLLABLES * ENDINGS.length;
    /** Odd and not a multiple of 5, hence coprime with the vocabulary size (2^15 · 5^3): i → i·STEP is a permutation. */
    private static final long STEP = 7919;

    private static final String[] CATEGORIES = {"prompt_injection", "jailbreak", "system_prompt_extraction",
        "data_exfiltration", "social_engineering", "excessive_agency", "model_extraction"};
    private static final String[] SEVERITIES = {"high", "medium", "critical", "low"};

    public SyntheticRules {
        if (count < 0 || (long) count * WORDS_PER_RULE > VOCABULARY_SIZE) {
            throw new IllegalArgumentException("count must be 0 to " + VOCABULARY_SIZE / WORDS_PER_RULE + ", not " + count);
        }
    }

    /** The id of rule {@code k} (1-based). */
    public static String ruleId(int k) {
        return String.format("gen.r%05d", k);
    }

    /**
     * The rules as YAML packs of at most {@link #RULES_PER_PACK} rules each, as a user would write
     * them (one file per few thousand rules: the YAML reader refuses documents over 3 M characters).
     */
    public List<RuleLoader.Source> packs() {
        List<RuleLoader.Source> packs = new ArrayList<>();
        for (int first = 1, n = 1; first <= count; first += RULES_PER_PACK, n++) {
            int last = Math.min(count, first + RULES_PER_PACK - 1);
            packs.add(new RuleLoader.Source("generated-" + count + "-" + n + ".yml", yaml("generated-" + n, first, last)));
        }
        return packs;
    }

    private String yaml(String pack, int first, int last) {
        StringBuilder sb = new StringBuilder((last - first + 1) * 420 + 200);
        sb.append("pack: ").append(pack).append("\nversion: \"1.0.0\"\n")
                .append("description: Rules ").append(first).append(" to ").append(last)
                .append(" of ").append(count).append(" synthetic rules for the rule-count scaling benchmark.\n")
                .append("rules:\n");
        for (int k = first; k <= last; k++) {
            String[] w = words(k);
            sb.append("  - id: ").append(ruleId(k)).append('\n')
                    .append("    name: Generated rule ").append(k).append('\n')
                    .append("    category: ").append(CATEGORIES[k % CATEGORIES.length]).append('\n')
                    .append("    severity: ").append(SEVERITIES[k % SEVERITIES.length]).append('\n')
                    .append("    patterns:\n")
                    .append("      - '\\b").append(w[0]).append(' ').append(w[1]).append(' ').append(w[2]).append("\\b'\n")
                    .append("      - '\\b(").append(w[3]).append('|').append(w[4]).append(") (\\w+ ){0,3}(")
                    .append(w[5]).append('|').append(w[6]).append(")\\b'\n")
                    .append("    tags: [LLM01:2025]\n")
                    .append("    description: Synthetic rule ").append(k).append(" of the scaling benchmark.\n")
                    .append("    examples:\n")
                    .append("      match:\n")
                    .append("        - ").append(matchingText(k)).append('\n')
                    .append("      no_match:\n")
                    .append("        - ").append(w[0]).append(" and ").append(w[2]).append('\n');
        }
        return sb.toString();
    }

    /** A short text that rule {@code k}'s regex pattern matches (and no other generated rule). */
    public String matchingText(int k) {
        String[] w = words(k);
        return "please " + w[4] + " the quarterly " + w[5] + " now";
    }

    /** The bundled packs plus this pack, compiled. */
    public RuleSet withBundled() {
        List<RuleLoader.Source> sources = new ArrayList<>(RuleLoader.bundled());
        sources.addAll(packs());
        return RuleLoader.load(sources).orThrow();
    }

    /** The seven words of rule {@code k}. */
    String[] words(int k) {
        if (k < 1 || k > count) {
            throw new IllegalArgumentException("rule " + k + " is not in 1.." + count);
        }
        String[] w = new String[WORDS_PER_RULE];
        for (int i = 0; i < WORDS_PER_RULE; i++) {
            w[i] = word((long) (k - 1) * WORDS_PER_RULE + i);
        }
        return w;
    }

    /** Vocabulary word {@code index}: distinct for every index below {@link #VOCABULARY_SIZE}. */
    String word(long index) {
        long n = Math.floorMod(index * STEP + seed, (long) VOCABULARY_SIZE);
        StringBuilder sb = new StringBuilder(8);
        for (int s = 0; s < 3; s++) {
            int syllable = (int) (n % SYLLABLES);
            n /= SYLLABLES;
            sb.append(CONSONANTS.charAt(syllable / VOWELS.length())).append(VOWELS.charAt(syllable % VOWELS.length()));
        }
        return sb.append(ENDINGS[(int) n]).toString();
    }
}
