package io.threatmon.engine.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Misspelled attack keywords, spelled right for the normalized view: {@code ignroe all previus
 * instrucitons} reads {@code ignore all previous instructions} there, so a rule written with the
 * right spelling also reads one typo in each of its keywords (a single typo in one word of an
 * attack the rules caught had lost one in six of them; docs/detection.md, "Session 22").
 *
 * <p>A word is spelled right when it is one edit from a {@link #KEYWORDS keyword} — a letter
 * dropped, added, replaced, or two neighbours swapped — keeps the keyword's first letter, has at
 * least five letters, and is not a real word: {@value #REAL_WORDS_RESOURCE} lists every word one
 * edit from a keyword in the Debian English, German, French, Spanish, Italian, Portuguese and Dutch
 * word lists and in the bundled rule packs' patterns ({@code ignored}, {@code prompts}, {@code
 * revel}, {@code ignora}, {@code passwort} stay as written, so a Spanish rule still reads its
 * word). {@code scripts/spelling-real-words.py} rebuilds that list when the keywords change, and
 * {@code SpellingTest} holds the two together. Keywords include the context words the rules'
 * exemptions read ({@code translate}, {@code explain}, {@code quote}): a typo there would otherwise
 * turn a discussed attack back into one. A few four-letter words are corrected for a swap only
 * ({@link #SWAP_KEYWORDS}), and a keyword split into pieces is joined ({@link #joinedAt}).
 *
 * <pre>{@code
 * Spelling.correction("instrucitons".toCharArray(), 0, 12); // "instructions"
 * Spelling.correction("ignores".toCharArray(), 0, 7);       // null: a keyword itself
 * Spelling.correction("revel".toCharArray(), 0, 5);         // null: a real word
 * }</pre>
 *
 * A fuzzy search over a small fixed list is the core of the feature and hand-written: a spelling
 * library would bring a dictionary and suggestion ranking the engine does not need, and would cost
 * more than the few bit operations most words get here.
 */
final class Spelling {

    /**
     * The words rules hinge on, lower-case: the attack words, then the words their exemptions read.
     * Only these are ever corrected, so a typo elsewhere changes nothing.
     */
    static final String[] KEYWORDS = {
        "ignore", "ignores", "ignored", "ignoring", "disregard", "forget", "override", "bypass", "circumvent",
        "previous", "earlier", "above", "prior", "preceding",
        "instructions", "instruction", "instructed", "directives", "directive", "guidelines", "guardrails",
        "restrictions", "restricted", "limitations", "constraints", "filters", "filter", "censorship", "censored",
        "uncensored", "unrestricted", "unfiltered", "unlimited", "moderation",
        "system", "prompt", "prompts", "password", "passwords", "passphrase", "secret", "secrets", "reveal",
        "disclose", "confidential", "credentials", "hidden", "initial", "original", "verbatim",
        "developer", "administrator", "admin", "jailbreak", "jailbroken", "pretend", "roleplay", "character",
        "persona", "unlock", "disable", "enable",
        "everything", "anything", "respond", "response", "answer", "output", "print", "repeat", "recite",
        "configuration",
        "policies", "policy", "ethical", "ethics", "morals", "amoral", "unethical", "illegal",
        "execute", "command", "commands", "delete", "upload", "exfiltrate", "forward", "transfer", "private",
        "internal", "sensitive",
        "conversation", "messages", "message", "assistant", "chatbot", "programming", "programmed", "safety",
        "security", "rules", "access", "tokens",
        // The context words of the rules' exemptions: a typo there would otherwise turn a quoted
        // or discussed attack back into one.
        "translate", "translation", "explain", "sentence", "phrase", "phrases", "detect", "detection", "detector",
        "attacker", "attackers", "attacks", "payload", "payloads", "contain", "contains", "contained", "containing",
        "example", "examples", "grammar", "proofread", "rephrase", "reword", "shorten", "paragraph",
        "announcement", "correct", "review", "reviewing", "draft", "improve", "notice", "flagged", "malicious",
        "hackers", "strings", "quote", "regex", "meaning", "summarize", "describe", "history", "attempt", "attempts",
    };

    /**
     * Four-letter words rules read ("show me your prompt", "developer mode", "phrases like") that are corrected
     * only for two neighbours swapped after the first letter ({@code yuor}, {@code mdoe}): any
     * other edit of a four-letter word is as likely another word ({@code youre}, {@code mods}).
     * A swapped "your" alone was nearly a third of the caught attacks that one swap in a
     * four-letter word lost.
     */
    static final String[] SWAP_KEYWORDS = {
        "your", "mode", "with", "what", "data", "text", "show", "tell", "give", "have", "user", "from", "this",
        "that", "them", "they", "only", "must", "dont", "rule", "code",
        // and words the rules' exemptions read ("phrases like", "a blog post", "note to reviewers")
        "like", "such", "post", "blog", "note", "good", "read", "file", "team", "mark",
    };

    static final String REAL_WORDS_RESOURCE = "spelling-real-words.txt";

    /** Shortest word looked at: a typo in a four-letter word is as likely another word. */
    static final int MIN_LENGTH = 5;
    static final int MAX_LENGTH;

    /** Keywords by first letter and length: {@code [letter][length]}, null where none. */
    private static final char[][][][] BY_FIRST_AND_LENGTH = new char[26][][][];
    /** The letters of each keyword there, one bit a letter, at the same indexes. */
    private static final long[][][] MASKS = new long[26][][];
    /** Per first letter, bit {@code len} set when a word of that length could be one edit from a keyword. */
    private static final long[] LENGTHS = new long[26];

    private static final Set<String> REAL_WORDS = loadRealWords();

    /**
     * {@link #SWAP_KEYWORDS} packed a letter a byte in an open-addressing table (0 = empty): every
     * four-letter word of every text is looked up twice, so a probe or two, not a search.
     */
    private static final int[] SWAP_TABLE = table(SWAP_KEYWORDS);

    /**
     * The keywords as a trie: {@code TRIE[node * 26 + letter]} is the child node, 0 for none (the
     * root is node 0 and never a child); {@code KEYWORD_AT[node]} is the keyword's index + 1 where
     * one ends. A word that starts no keyword leaves it after a letter or two.
     */
    private static final short[] TRIE;
    private static final short[] KEYWORD_AT;

    static {
        int max = 0;
        for (String k : KEYWORDS) {
            max = Math.max(max, k.length());
        }
        MAX_LENGTH = max + 1;
        for (String k : KEYWORDS) {
            int f = k.charAt(0) - 'a';
            if (BY_FIRST_AND_LENGTH[f] == null) {
                BY_FIRST_AND_LENGTH[f] = new char[max + 1][][];
                MASKS[f] = new long[max + 1][];
            }
            char[][] bucket = BY_FIRST_AND_LENGTH[f][k.length()];
            char[][] grown = bucket == null ? new char[1][] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
            grown[grown.length - 1] = k.toCharArray();
            BY_FIRST_AND_LENGTH[f][k.length()] = grown;
            long[] masks = MASKS[f][k.length()];
            long[] grownMasks = masks == null ? new long[1] : java.util.Arrays.copyOf(masks, masks.length + 1);
            grownMasks[grownMasks.length - 1] = letters(grown[grown.length - 1], 0, k.length());
            MASKS[f][k.length()] = grownMasks;
            LENGTHS[f] |= 7L << (k.length() - 1);
        }
    }

    static {
        int nodes = 1;
        for (String k : KEYWORDS) {
            nodes += k.length();
        }
        short[] trie = new short[nodes * 26];
        short[] at = new short[nodes];
        int used = 1;
        for (int w = 0; w < KEYWORDS.length; w++) {
            int node = 0;
            for (char c : KEYWORDS[w].toCharArray()) {
                int slot = node * 26 + (c - 'a');
                if (trie[slot] == 0) {
                    trie[slot] = (short) used++;
                }
                node = trie[slot];
            }
            at[node] = (short) (w + 1);
        }
        TRIE = java.util.Arrays.copyOf(trie, used * 26);
        KEYWORD_AT = java.util.Arrays.copyOf(at, used);
    }

    private Spelling() {}

    /**
     * A keyword split into two or three pieces of two letters or more by a space, {@code .}, {@code *},
     * {@code -} or {@code _} ({@code ig nore}, {@code instruc tions}, {@code pre.vious}), the first piece
     * starting at {@code i}: the keyword's index in the high half and the end of its last piece in
     * the low half, or -1. Splits that are words are joined too: nearly all mean the keyword
     * ({@code pass word}, {@code any thing}, {@code role-play}), and the rare rest ({@code for get},
     * {@code detect or}) only matters where a rule's other words are there as well.
     */
    static long joinedAt(char[] t, int i, int n) {
        int node = 0;
        int pieces = 0;
        int p = i;
        while (pieces < 3) {
            int start = p;
            while (p < n && Normalizer.isAsciiLetter(t[p])) {
                int child = TRIE[node * 26 + ((t[p] | 0x20) - 'a')];
                if (child == 0) {
                    return -1;
                }
                node = child;
                p++;
            }
            if (p - start < 2) {
                return -1;
            }
            pieces++;
            boolean wordEnds = p == n || !Character.isLetterOrDigit(t[p]);
            if (pieces > 1 && wordEnds && KEYWORD_AT[node] != 0 && KEYWORDS[KEYWORD_AT[node] - 1].length() >= MIN_LENGTH) {
                return (long) (KEYWORD_AT[node] - 1) << 32 | p;
            }
            if (p + 1 >= n || !isSplitter(t[p]) || !Normalizer.isAsciiLetter(t[p + 1])) {
                return -1;
            }
            p++;
        }
        return -1;
    }

    /**
     * The {@link #SWAP_KEYWORDS} word that the four ASCII letters {@code t[i, i+4)} spell with two
     * neighbours after the first swapped, or null (also when they are a real word: {@code form}).
     */
    static String swapped(char[] t, int i) {
        int a = t[i] | 0x20;
        int b = t[i + 1] | 0x20;
        int c = t[i + 2] | 0x20;
        int d = t[i + 3] | 0x20;
        int packed = a << 24 | c << 16 | b << 8 | d;
        if (!inTable(packed)) {
            packed = a << 24 | b << 16 | d << 8 | c;
            if (!inTable(packed)) {
                return null;
            }
        }
        String word = new String(new char[] {(char) a, (char) b, (char) c, (char) d});
        if (inTable(a << 24 | b << 16 | c << 8 | d) || REAL_WORDS.contains(word)) {
            return null;
        }
        return new String(new char[] {(char) (packed >>> 24), (char) (packed >>> 16 & 0xFF), (char) (packed >>> 8 & 0xFF),
            (char) (packed & 0xFF)});
    }

    private static boolean inTable(int packed) {
        int mask = SWAP_TABLE.length - 1;
        for (int slot = slot(packed, mask); ; slot = (slot + 1) & mask) {
            int v = SWAP_TABLE[slot];
            if (v == packed) {
                return true;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    private static int slot(int packed, int mask) {
        return (packed * 0x9E3779B1 >>> 16) & mask;
    }

    private static int[] table(String[] words) {
        int[] t = new int[Integer.highestOneBit(words.length * 4)];
        for (String x : words) {
            int packed = x.charAt(0) << 24 | x.charAt(1) << 16 | x.charAt(2) << 8 | x.charAt(3);
            int slot = slot(packed, t.length - 1);
            while (t[slot] != 0) {
                slot = (slot + 1) & (t.length - 1);
            }
            t[slot] = packed;
        }
        return t;
    }

    /** The trie node after {@code node} on letter {@code l} (0-25), 0 when no keyword goes on that way. */
    static int child(int node, int l) {
        return TRIE[node * 26 + l];
    }

    static boolean isSplitter(char c) {
        return c == ' ' || c == '.' || c == '*' || c == '-' || c == '_';
    }

    /**
     * The keyword that the ASCII-letter word {@code t[i, end)} misspells, or null: when it is a
     * keyword, a real word, too short or long, or more than one edit from every keyword.
     */
    static String correction(char[] t, int i, int end) {
        return correction(t, i, end, letters(t, i, end));
    }

    /** {@link #correction(char[], int, int)} with the word's letter set already read ({@code letters}). */
    static String correction(char[] t, int i, int end, long word) {
        int len = end - i;
        if (len < MIN_LENGTH || len > MAX_LENGTH) {
            return null;
        }
        int f = (t[i] | 0x20) - 'a';
        if (f < 0 || f >= 26 || (LENGTHS[f] >>> len & 1) == 0) {
            return null;
        }
        char[][][] byLength = BY_FIRST_AND_LENGTH[f];
        long[][] masks = MASKS[f];
        char[][] same = len < byLength.length ? byLength[len] : null;
        if (same != null) {
            long[] sameMasks = masks[len];
            for (int b = 0; b < same.length; b++) {
                if (sameMasks[b] == word && equalsIgnoringCase(t, i, same[b])) {
                    return null;
                }
            }
        }
        // Same length first (a letter replaced or two swapped), then a letter dropped, then one added.
        char[] found = same == null ? null : closest(same, masks[len], word, t, i, len);
        if (found == null && len + 1 < byLength.length && byLength[len + 1] != null) {
            found = closest(byLength[len + 1], masks[len + 1], word, t, i, len);
        }
        if (found == null && byLength[len - 1] != null) {
            found = closest(byLength[len - 1], masks[len - 1], word, t, i, len);
        }
        if (found == null) {
            return null;
        }
        char[] lower = new char[len];
        for (int k = 0; k < len; k++) {
            lower[k] = (char) (t[i + k] | 0x20);
        }
        return REAL_WORDS.contains(new String(lower)) ? null : new String(found);
    }

    /**
     * The first keyword of {@code bucket} one edit from the word. Most words share the first letter
     * and about the length of several keywords, so their letter sets are compared first: one edit
     * adds at most one letter to a word's set and takes at most one away, and two bit counts turn
     * nearly every word away before a character is compared (checking each word of every text
     * otherwise cost ~5 µs a 1 KB text).
     */
    private static char[] closest(char[][] bucket, long[] masks, long word, char[] t, int i, int len) {
        for (int b = 0; b < bucket.length; b++) {
            long k = masks[b];
            if (Long.bitCount(word & ~k) <= 1 && Long.bitCount(k & ~word) <= 1 && oneEdit(t, i, len, bucket[b])) {
                return bucket[b];
            }
        }
        return null;
    }

    /** The letters of ASCII-letter text {@code t[i, end)}, one bit a letter whatever its case. */
    static long letters(char[] t, int i, int end) {
        long m = 0;
        for (int k = i; k < end; k++) {
            m |= 1L << ((t[k] | 0x20) - 'a');
        }
        return m;
    }

    private static boolean equalsIgnoringCase(char[] t, int i, char[] k) {
        for (int j = 0; j < k.length; j++) {
            if ((t[i + j] | 0x20) != k[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code t[i, i+len)} (any case) is exactly one edit from {@code k}: one letter replaced,
     * two neighbours swapped, one dropped or one added (optimal string alignment distance 1).
     */
    static boolean oneEdit(char[] t, int i, int len, char[] k) {
        int kl = k.length;
        int p = 0;
        int shorter = Math.min(len, kl);
        while (p < shorter && (t[i + p] | 0x20) == k[p]) {
            p++;
        }
        if (len == kl) {
            if (p == len) {
                return false; // the same word
            }
            if (rest(t, i + p + 1, k, p + 1, len - p - 1)) {
                return true; // replaced
            }
            return p + 1 < len && (t[i + p] | 0x20) == k[p + 1] && (t[i + p + 1] | 0x20) == k[p]
                    && rest(t, i + p + 2, k, p + 2, len - p - 2); // swapped
        }
        if (len == kl + 1) {
            return rest(t, i + p + 1, k, p, kl - p); // one added
        }
        if (len + 1 == kl) {
            return rest(t, i + p, k, p + 1, len - p); // one dropped
        }
        return false;
    }

    private static boolean rest(char[] t, int ti, char[] k, int ki, int n) {
        for (int j = 0; j < n; j++) {
            if ((t[ti + j] | 0x20) != k[ki + j]) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> loadRealWords() {
        Set<String> words = new HashSet<>();
        try (InputStream in = Spelling.class.getResourceAsStream(REAL_WORDS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(REAL_WORDS_RESOURCE + " is missing from the engine jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
