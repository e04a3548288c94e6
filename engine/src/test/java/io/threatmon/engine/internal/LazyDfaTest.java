package io.threatmon.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RulePackReader;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextViews;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The DFA must say "match" exactly when RE2/J finds one in the same range, and never report an end
 * later than RE2/J's match: it replaces RE2/J on every text that does not match.
 */
class LazyDfaTest {

    private static final Path DEV = Path.of("../../shared/datasets/dev.jsonl");

    /**
     * The character classes are worked out from each instruction's own ranges, not by asking
     * every instruction about every character: they must still be exactly what RE2/J accepts, for
     * every ASCII character and at the first, middle and last code point of every non-ASCII
     * interval (an interval cut wrongly would differ inside it), for every bundled regex and its
     * relaxed form.
     */
    @Test
    void shouldGroupCharactersIntoClassesExactlyAsRe2jAcceptsThem() {
        RuleSet rules = RuleLoader.load(RuleLoader.bundled()).orThrow();
        int checked = 0;
        // Each distinct regex once: a fragment spelled out in ~100 rules is the same automaton.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RuleDefinition d : rules.definitions()) {
            List<String> sources = d.regexes();
            for (String source : sources) {
                if (!seen.add(source)) {
                    continue;
                }
                for (String regex : new String[] {source, RegexAtoms.relaxRepeats(source, 6)}) {
                    LazyDfa dfa = regex == null ? null : LazyDfa.of(RulePackReader.compileRegex(regex));
                    if (dfa == null) {
                        continue;
                    }
                    com.google.re2j.ProgramExport prog = dfa.program();
                    List<Integer> runeInsts = new ArrayList<>();
                    for (int pc = 0; pc < prog.size(); pc++) {
                        int op = prog.op(pc);
                        if (op == com.google.re2j.ProgramExport.RUNE || op == com.google.re2j.ProgramExport.RUNE1
                                || op == com.google.re2j.ProgramExport.RUNE_ANY
                                || op == com.google.re2j.ProgramExport.RUNE_ANY_NOT_NL) {
                            runeInsts.add(pc);
                        }
                    }
                    List<Integer> probes = new ArrayList<>();
                    for (int c = 0; c < 128; c++) {
                        probes.add(c);
                    }
                    int[] starts = dfa.intervalStarts();
                    for (int i = 0; i < starts.length; i++) {
                        int last = i + 1 < starts.length ? starts[i + 1] - 1 : Character.MAX_CODE_POINT;
                        probes.add(starts[i]);
                        probes.add((starts[i] + last) >>> 1);
                        probes.add(last);
                    }
                    for (int cp : probes) {
                        int cls = dfa.classOfRune(cp);
                        for (int pc : runeInsts) {
                            if (prog.matchRune(pc, cp) != dfa.classAccepts(cls, pc)) {
                                throw new AssertionError(d.id() + ": instruction " + pc + " of " + regex
                                        + " disagrees with RE2/J on U+" + Integer.toHexString(cp));
                            }
                        }
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 900, "checked " + checked + " automata");
    }

    /** Texts of other rules and of dev each regex is also compared on (besides its own rule's examples). */
    private static final int OTHER_TEXTS_PER_REGEX = 600;

    @Test
    void shouldAgreeWithRe2jOnEveryBundledRegexOverExamplesDevTextsAndTheirPieces() throws IOException {
        RuleSet rules = RuleLoader.load(RuleLoader.bundled()).orThrow();
        // The views of each rule's examples, and of all examples and a sample of dev together.
        Map<RuleDefinition, List<String>> ownViews = new HashMap<>();
        List<String> all = new ArrayList<>();
        for (RuleDefinition d : rules.definitions()) {
            List<String> own = new ArrayList<>();
            for (String t : d.matchExamples()) {
                TextViews.of(t).forEach(v -> own.add(v.text()));
            }
            for (String t : d.noMatchExamples()) {
                TextViews.of(t).forEach(v -> own.add(v.text()));
            }
            ownViews.put(d, own);
            all.addAll(own);
        }
        if (Files.exists(DEV)) {
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(DEV);
            for (int i = 0; i < lines.size(); i += 16) {
                TextViews.of(json.readTree(lines.get(i)).get("text").asText()).forEach(v -> all.add(v.text()));
            }
        }
        Random random = new Random(7);
        java.util.Set<String> sampled = new java.util.HashSet<>();
        int matched = 0;
        int gaveUp = 0;
        int checks = 0;
        for (RuleDefinition d : rules.definitions()) {
            // Every regex reads its own rule's examples (where its matches are) and a fixed-seed
            // random sample of all the other texts: every regex against every text grew with the rule
            // packs to five of the CI run's minutes (session 30).
            for (String regex : d.regexes()) {
                List<String> sample = new ArrayList<>(ownViews.get(d));
                // A regex shared by many rules (a fragment) reads the other texts once, with its first rule.
                if (sampled.add(regex)) {
                    for (int k = 0; k < OTHER_TEXTS_PER_REGEX && !all.isEmpty(); k++) {
                        sample.add(all.get(random.nextInt(all.size())));
                    }
                }
                Pattern pattern = RulePackReader.compileRegex(regex);
                LazyDfa dfa = LazyDfa.of(pattern);
                LazyDfa.Cache cache = dfa.newCache();
                String relaxedSource = RegexAtoms.relaxRepeats(regex, 6);
                LazyDfa relaxed = relaxedSource == null ? null : LazyDfa.of(RulePackReader.compileRegex(relaxedSource));
                LazyDfa.Cache relaxedCache = relaxed == null ? null : relaxed.newCache();
                for (String text : sample) {
                    char[] chars = text.toCharArray();
                    int from = 0;
                    int to = chars.length;
                    if (random.nextInt(3) == 0 && chars.length > 1) {
                        from = random.nextInt(chars.length);
                        to = from + random.nextInt(chars.length - from + 1);
                    }
                    int end = substringEnd(dfa, cache, chars, from, to);
                    checks++;
                    Matcher m = pattern.matcher(text.substring(from, to));
                    boolean found = m.find();
                    int start = from;
                    int stop = to;
                    if (relaxed != null && found) {
                        assertNotEquals(LazyDfa.NO_MATCH, substringEnd(relaxed, relaxedCache, chars, from, to),
                                () -> "relaxed " + relaxedSource + " is no superset on [" + start + ", " + stop + ") of: " + abbreviate(text));
                    }
                    if (end == LazyDfa.GAVE_UP) {
                        gaveUp++;
                        continue;
                    }
                    assertEquals(found, end >= 0, () -> regex + " on [" + start + ", " + stop + ") of: " + abbreviate(text));
                    if (found) {
                        matched++;
                        int rel = end - from;
                        int re2jEnd = m.end();
                        assertTrue(rel <= re2jEnd, () -> regex + ": earliest end " + rel + " after RE2/J's " + re2jEnd);
                    }
                }
            }
        }
        assertTrue(matched > 1_000, "the comparison should include many matches: " + matched);
        assertTrue(gaveUp < checks / 50, "the DFA should rarely give up: " + gaveUp + " of " + checks);
    }

    @Test
    void shouldSeeWordBoundariesAndAnchorsAtTheEdgesOfTheRangeAsRe2jSeesASubstring() {
        assertEnds("\\bkey\\b", "monkey keys", 0, 11, -1);
        assertEnds("\\bkey\\b", "monkey keys", 3, 6, 6);     // "key" alone: edges are boundaries
        assertEnds("\\bkey\\b", "a key.", 0, 6, 5);
        assertEnds("^key", "a key", 2, 5, 5);
        assertEnds("^key", "a key", 0, 5, -1);
        assertEnds("key$", "key\nx", 0, 5, -1);
        assertEnds("(?m)key$", "key\nx", 0, 5, 3);
        assertEnds("(?m)^x", "key\nx", 0, 5, 5);
        assertEnds("a.b", "a\nb", 0, 3, -1);                // . does not match a newline
        assertEnds("(?s)a.b", "a\nb", 0, 3, 3);
        assertEnds("\\Bey", "key", 0, 3, 3);
        assertEnds("\\Bey", "key", 1, 3, -1);
    }

    @Test
    void shouldReadARangeInPlaceWithTheCharactersAroundIt() {
        assertWithin("\\bkey\\b", "monkey keys", 3, 6, -1);   // "key" of "monkey": no boundary before it
        assertWithin("\\bkey\\b", "a key.", 2, 5, 5);         // "." after the range closes the word
        assertWithin("\\bkey\\b", "a keys", 2, 5, -1);        // "s" after the range does not
        assertWithin("^key", "a key", 2, 5, -1);                // not the start of the text
        assertWithin("^key", "key a", 0, 3, 3);
        assertWithin("key$", "a key b", 2, 5, -1);              // not the end of the text
        assertWithin("key$", "a key", 2, 5, 5);
        assertWithin("(?m)^key$", "a\nkey\nb", 2, 5, 5);       // newlines around the range
        assertWithin("(?m)^key$", "a key\nb", 2, 5, -1);
        assertWithin("x\\b", "ax😀", 0, 2, 2);                 // a surrogate pair after the range is a non-word rune
    }

    @Test
    void shouldFoldCaseAndReadSurrogatePairsLikeRe2j() {
        assertEnds("kelvin", "\u212Aelvin", 0, 6, 6);           // KELVIN SIGN folds to k
        assertEnds("ss", "\u017Fs", 0, 2, 2);                  // long s folds to s
        assertEnds("[\\x{1F600}-\\x{1F64F}]{2}", "hi 😀😃", 0, 7, 7);
        assertEnds("[\\x{1F600}-\\x{1F64F}]{2}", "hi 😀x😃", 0, 8, -1);
        assertEnds("\\p{Cyrillic}[a-z]", "пa", 0, 2, 2);
        assertEnds("\\p{Cyrillic}[a-z]", "xa", 0, 2, -1);
    }

    @Test
    void shouldRelaxOnlyLongCountedRepeatsOutsideClassesAndEscapes() {
        assertEquals(".{3,}x", RegexAtoms.relaxRepeats(".{3,500}x", 6));
        assertEquals("\\b(a|b)\\b.{0,}\\bz", RegexAtoms.relaxRepeats("\\b(a|b)\\b.{0,40}\\bz", 6));
        assertEquals("\\p{L}{1,}[{0,99}]", RegexAtoms.relaxRepeats("\\p{L}{1,50}[{0,99}]", 6));
        assertEquals(null, RegexAtoms.relaxRepeats("[a-z]{0,3}\\d{2}x{40}y{7,}", 6));
        assertEquals(null, RegexAtoms.relaxRepeats("\\{1,50}\\Q{0,9}\\E", 6));
    }

    @Test
    void shouldClearAFullCacheAndGiveUpOnlyWhenItThrashes() {
        Pattern p = RulePackReader.compileRegex("\\b(a|b)\\b.{0,30}\\bz\\b");
        LazyDfa dfa = LazyDfa.of(p);
        String text = "a b a x b a b x a ".repeat(40) + "z";
        char[] chars = text.toCharArray();
        // Enough room for the states one text needs, too little for all: cleared, still right.
        LazyDfa.Cache roomy = dfa.newCache(400);
        for (int i = 0; i < 5; i++) {
            assertEquals(chars.length, dfa.firstEndWithin(roomy, chars, 0, chars.length, chars.length));
        }
        // A tiny cache refills every few characters: the DFA gives up, and says so.
        LazyDfa.Cache tiny = dfa.newCache(4);
        int result = dfa.firstEndWithin(tiny, chars, 0, chars.length, chars.length);
        assertEquals(LazyDfa.GAVE_UP, result);
        assertEquals(LazyDfa.GAVE_UP, dfa.firstEndWithin(tiny, "z".toCharArray(), 0, 1, 1));
        // Another thread's cache is not affected.
        assertNotEquals(LazyDfa.GAVE_UP, dfa.firstEndWithin(dfa.newCache(), chars, 0, chars.length, chars.length));
    }

    /**
     * Caches sharing a budget stay within it: the ones used longest ago are cleared, those of the
     * current text never are, and every answer is the same as with caches of their own.
     */
    @Test
    void shouldKeepCachesSharingABudgetWithinItAndAnswerTheSame() {
        List<LazyDfa> dfas = new ArrayList<>();
        for (String word : List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")) {
            dfas.add(LazyDfa.of(RulePackReader.compileRegex(
                    "\\b" + word + "\\b.{0,30}\\b(secret|password|token|key)s?\\b")));
        }
        Random random = new Random(7);
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "the", "secret", "keys",
            "token", "a", "of", "password", "xyz"};
        LazyDfa.Budget budget = new LazyDfa.Budget(40_000);
        List<LazyDfa.Cache> shared = new ArrayList<>();
        List<LazyDfa.Cache> own = new ArrayList<>();
        for (LazyDfa dfa : dfas) {
            shared.add(dfa.newCache(budget));
            own.add(dfa.newCache());
        }
        long peak = 0;
        for (int t = 0; t < 300; t++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 5 + random.nextInt(40); w++) {
                sb.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : ", ");
            }
            char[] text = sb.toString().toCharArray();
            budget.tick();
            // Each text runs two of the regexes, as a text runs the few whose atoms it holds.
            for (int d : new int[] {t % dfas.size(), (t + 1) % dfas.size()}) {
                shared.get(d).markUsed();
                int expected = dfas.get(d).firstEndWithin(own.get(d), text, 0, text.length, text.length);
                int got = dfas.get(d).firstEndWithin(shared.get(d), text, 0, text.length, text.length);
                assertEquals(expected, got, () -> "regex " + d + " on " + new String(text));
                peak = Math.max(peak, budget.used());
            }
        }
        long unbounded = own.stream().mapToLong(LazyDfa.Cache::bytes).sum();
        assertTrue(unbounded > 2 * budget.limit(), "the texts need more than the budget: " + unbounded);
        assertTrue(budget.clears() > 0, "caches were cleared");
        // Only the current text's caches may take the group past the limit, by their own growth.
        long twoLargest = own.stream().mapToLong(LazyDfa.Cache::bytes).sorted().skip(own.size() - 2).sum();
        assertTrue(peak <= budget.limit() + twoLargest, "peak " + peak);
        assertEquals(shared.stream().mapToLong(LazyDfa.Cache::bytes).sum(), budget.used(),
                "the budget's count is the caches' own");
    }

    private static void assertEnds(String regex, String text, int from, int to, int expected) {
        Pattern p = RulePackReader.compileRegex(regex);
        LazyDfa dfa = LazyDfa.of(p);
        int end = substringEnd(dfa, dfa.newCache(), text.toCharArray(), from, to);
        assertEquals(expected, end, regex + " on [" + from + ", " + to + ") of " + text);
        assertEquals(p.matcher(text.substring(from, to)).find(), end >= 0, regex + " vs RE2/J");
    }

    /** The DFA on {@code chars[from, to)} read as a text of its own, as RE2/J reads a substring; offsets in {@code chars}. */
    private static int substringEnd(LazyDfa dfa, LazyDfa.Cache cache, char[] chars, int from, int to) {
        int end = dfa.firstEndWithin(cache, java.util.Arrays.copyOfRange(chars, from, to), 0, to - from, to - from);
        return end >= 0 ? from + end : end;
    }

    private static void assertWithin(String regex, String text, int from, int to, int expected) {
        LazyDfa dfa = LazyDfa.of(RulePackReader.compileRegex(regex));
        char[] chars = text.toCharArray();
        assertEquals(expected, dfa.firstEndWithin(dfa.newCache(), chars, from, to, chars.length),
                regex + " within [" + from + ", " + to + ") of " + text);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
