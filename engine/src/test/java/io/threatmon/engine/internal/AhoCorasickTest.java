package io.threatmon.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AhoCorasickTest {

    private static final List<String> KEYWORDS = List.of(
            "ignore", "ignore previous", "previous instructions", "he", "she", "hers", "his",
            "игнорируй", "инструкции", "पिछले निर्देश", "निर्देश", "忽略", "忽略之前", "señal", "ñu", "a\u00e9b");

    /** Every occurrence as "keyword@end", by lower-casing each character and comparing, the slow way. */
    private static TreeSet<String> naive(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            lower.append(Character.toLowerCase(text.charAt(i)));
        }
        TreeSet<String> out = new TreeSet<>();
        for (int k = 0; k < KEYWORDS.size(); k++) {
            String w = KEYWORDS.get(k);
            for (int at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) {
                out.add(k + "@" + (at + w.length()));
            }
        }
        return out;
    }

    /** {@code n} pieces drawn at random and joined. */
    private static String randomText(Random random, String[] pieces, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(pieces[random.nextInt(pieces.length)]);
        }
        return b.toString();
    }

    private static TreeSet<String> scanned(AhoCorasick ac, String text) {
        TreeSet<String> out = new TreeSet<>();
        ac.scan(text, (k, end) -> out.add(k + "@" + end));
        return out;
    }

    @ParameterizedTest(name = "complete rows to depth {0}")
    @ValueSource(ints = {0, 1, 2, AhoCorasick.DEPTH})
    void findsEveryOccurrenceTheSlowWayFinds(int denseDepth) {
        AhoCorasick ac = new AhoCorasick(KEYWORDS, denseDepth);
        String[] pieces = {"ig", "nore", " ", "previous", " instructions", "H", "E", "RS", "s", "h", "is",
            "ИГНОР", "ируй", "инструкции", "पिछले", " ", "निर्देश", "忽", "略", "之前", "se", "ñ", "Ñ", "al", "u",
            "a", "é", "É", "b", "ж", "中", "ü", "\u00e0", "x", ".", "\n"};
        Random random = new Random(42);
        for (int round = 0; round < 3_000; round++) {
            String text = randomText(random, pieces, 1 + random.nextInt(20));
            assertEquals(naive(text), scanned(ac, text), () -> "text: " + text);
        }
    }

    @ParameterizedTest(name = "complete rows to depth {0}")
    @ValueSource(ints = {0, 2, AhoCorasick.DEPTH})
    void findsEveryOccurrenceOnceInLongTextsScannedAsTwoHalves(int denseDepth) {
        AhoCorasick ac = new AhoCorasick(KEYWORDS, denseDepth);
        String[] pieces = {"ig", "nore", " ", "previous", " instructions", "H", "E", "RS", "s", "h", "is",
            "ИГНОР", "ируй", "инструкции", "पिछले", " ", "निर्देश", "忽", "略", "之前", "ñ", "al", "u", "é", "x", "\n"};
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            String text = randomText(random, pieces, 60 + random.nextInt(600));
            List<int[]> hits = new ArrayList<>();
            ac.scan(text, (k, end) -> hits.add(new int[] {k, end}));
            TreeSet<String> got = new TreeSet<>();
            for (int h = 0; h < hits.size(); h++) {
                got.add(hits.get(h)[0] + "@" + hits.get(h)[1]);
            }
            assertEquals(hits.size(), got.size(), "each occurrence once");
            assertEquals(naive(text), got, () -> "text of " + text.length() + " chars");
        }
    }

    /**
     * Many keywords over a small alphabet make long failure chains through deep states: a deep
     * state's transitions come from its run, its failure chain's runs and the nearest complete row.
     * With a maximum, deep states that prefix many keywords get complete rows too, so complete and
     * sparse states alternate along failure chains. Non-ASCII letters take the same chains.
     */
    @ParameterizedTest(name = "complete rows to depth {0}, at most {1}")
    @CsvSource({"0, 0", "1, 0", "2, 0", "3, 0", "10, 0", "0, 40", "1, 200", "2, 1000"})
    void deepStatesInheritTheirFailureChainsTransitions(int denseDepth, int denseMax) {
        Random random = new Random(11);
        String alphabet = "ab c.жé中";
        List<String> keywords = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            StringBuilder w = new StringBuilder();
            for (int i = 1 + random.nextInt(14); i > 0; i--) {
                w.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            keywords.add(w.toString());
        }
        AhoCorasick ac = new AhoCorasick(keywords, denseDepth, denseMax);
        for (int round = 0; round < 300; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(400); i > 0; i--) {
                String letters = "abABc. xжЖéÉ中ü";
                text.append(letters.charAt(random.nextInt(letters.length())));
            }
            String lower = text.toString().toLowerCase(java.util.Locale.ROOT);
            TreeSet<String> expected = new TreeSet<>();
            for (int k = 0; k < keywords.size(); k++) {
                for (int at = lower.indexOf(keywords.get(k)); at >= 0; at = lower.indexOf(keywords.get(k), at + 1)) {
                    expected.add(k + "@" + (at + keywords.get(k).length()));
                }
            }
            TreeSet<String> got = new TreeSet<>();
            ac.scan(text.toString(), (k, end) -> got.add(k + "@" + end));
            assertEquals(expected, got, () -> "text: " + text);
        }
    }

    @Test
    void findsKeywordsLongerThanTheTrieDepthByTheirTail() {
        List<String> keywords = List.of("ignore all previous instructions", "ignore all prior instructions",
                "ignore all", "all previous", "instructions", "previous instructions and rules");
        assertTrue(keywords.get(0).length() > AhoCorasick.DEPTH);
        AhoCorasick ac = new AhoCorasick(keywords);
        String[] texts = {
            "please IGNORE ALL PREVIOUS INSTRUCTIONS now",
            "ignore all prior instructions",                      // at the very end of the text
            "ignore all previous instruction",                    // the tail is cut short by the end
            "ignore all previous instructiozs and rules",         // a tail that differs late
            "xignore all previous instructions and rules, ignore all prior instructions",
        };
        for (String text : texts) {
            TreeSet<String> expected = new TreeSet<>();
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (int k = 0; k < keywords.size(); k++) {
                for (int at = lower.indexOf(keywords.get(k)); at >= 0; at = lower.indexOf(keywords.get(k), at + 1)) {
                    expected.add(k + "@" + (at + keywords.get(k).length()));
                }
            }
            TreeSet<String> got = new TreeSet<>();
            ac.scan(text, (k, end) -> got.add(k + "@" + end));
            assertEquals(expected, got, () -> "text: " + text);
        }
    }

    @Test
    void scansLongTextsWithNoKeywordOrOnlyOneCharacterKeywords() {
        String text = "a".repeat(10_000) + "!";
        List<int[]> none = new ArrayList<>();
        new AhoCorasick(List.of()).scan(text, (k, end) -> none.add(new int[] {k, end}));
        assertEquals(0, none.size());
        TreeSet<Integer> ends = new TreeSet<>();
        new AhoCorasick(List.of("!")).scan(text, (k, end) -> ends.add(end));
        assertEquals(new TreeSet<>(List.of(text.length())), ends);
        List<Integer> as = new ArrayList<>();
        new AhoCorasick(List.of("a")).scan(text, (k, end) -> as.add(end));
        assertEquals(10_000, as.size(), "every a once, whichever half found it");
    }

    @Test
    void aCharacterInNoKeywordEndsAPartialMatchWithoutHidingTheNextOne() {
        AhoCorasick ac = new AhoCorasick(KEYWORDS);
        // "игнор" + a character no keyword has + "игнорируй": only the second is a hit.
        assertEquals(new TreeSet<>(List.of("7@16")), scanned(ac, "игнорж игнорируй "));
        assertEquals(naive("忽中忽略之前"), scanned(ac, "忽中忽略之前"));
        assertEquals(naive("señ\u00e0señal"), scanned(ac, "señ\u00e0señal"));
    }

    @Test
    void reportsKeywordsThatEndInsideLongerOnes() {
        AhoCorasick ac = new AhoCorasick(KEYWORDS);
        List<String> hits = new ArrayList<>(scanned(ac, "USHERS"));
        // she@4, he@4, hers@6
        assertEquals(naive("USHERS").stream().toList(), hits);
        assertEquals(3, hits.size());
    }
}
