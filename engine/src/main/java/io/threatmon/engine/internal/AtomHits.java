package io.threatmon.engine.internal;

import java.util.Arrays;

/**
 * Where the atoms of each regex occurred in one text: per regex id and atom set (slot 0 for its
 * main atoms, slot g + 1 for its further required set g), the spans of the hits in order of their
 * end. Every set's hits are kept, so a regex can be searched around the hits of whichever of its
 * required sets is rarest in this text. Reusable ({@link #reset()} clears only what the last text
 * touched, so a rule set of 10,000 rules costs nothing per text for the rules it did not touch);
 * not thread-safe.
 */
public final class AtomHits {

    /** Per regex id, the index of its slot 0 in the per-slot arrays; its slots follow it. */
    private final int[] base;
    private final int[] head;
    private final int[] tail;
    private final int[] slotCount;
    private final long[] groups;
    private final long[] need;
    /** The automaton's raw hits of the current text (keyword, end), before they are sorted into slots. */
    private final AhoCorasick.HitList raw = new AhoCorasick.HitList();
    /** Regex ids touched since the last reset, each once. */
    private int[] touched = new int[16];
    private int touchedCount;
    private final boolean[] isTouched;
    /** Regexes ruled out for this text although their atoms occurred (see {@link #veto}). */
    private final boolean[] vetoed;
    /** Per regex id, whether it matches in this text as far as known: 0 not asked yet, else {@link #FOUND} or {@link #ABSENT}. */
    private final byte[] found;
    /** Regex ids with an answer in {@link #found}, to clear at {@link #reset()}. */
    private int[] answered = new int[16];
    private int answeredCount;
    /** {@link #found}: the regex matches somewhere in the text. */
    public static final byte FOUND = 1;
    /** {@link #found}: it does not. */
    public static final byte ABSENT = 2;
    private int[] next = new int[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;
    /** Buffers up to this size are kept for the next text whatever its length. */
    private static final int KEEP_CHARS = 1 << 16;
    /** The characters of the text the hits are for (see {@link #text(String)}). */
    private char[] chars = new char[256];
    private int length;
    /** Longest runs of whitespace and of other characters in the text, once asked for; -1 before. */
    private int longestSpaceRun = -1;
    private int longestTokenRun;
    /** Per regex id (then per regex id again for the relaxed ones), the states of its {@link LazyDfa}s built through this buffer, made at first use. */
    private final LazyDfa.Cache[] dfaCaches;
    /** What the DFA caches of this buffer may hold together. */
    private final LazyDfa.Budget dfaBudget = new LazyDfa.Budget(DFA_CACHE_BYTES);

    /**
     * Heap the DFA state caches of one buffer may hold together (a text whose own states need
     * more keeps them until the next text). Without a limit a buffer grew with the variety of the
     * traffic: ~230 MB after session 31's pool of 23,529 texts; with 32 MB, ~25 MB per buffer and
     * ~6% more time on the first pass and the same after it (8 MB: ~25% on the first pass; docs/performance.md,
     * session 32).
     */
    public static final long DFA_CACHE_BYTES = 32L << 20;

    /**
     * @param need per regex id, the bit mask of further atom sets that must all occur (0 for none,
     *     set g is bit g, sets numbered from 0 without gaps); shared, not copied
     */
    public AtomHits(long[] need) {
        int n = need.length;
        this.need = need;
        base = new int[n + 1];
        for (int r = 0; r < n; r++) {
            base[r + 1] = base[r] + 1 + Long.bitCount(need[r]);
        }
        head = new int[base[n]];
        tail = new int[base[n]];
        slotCount = new int[base[n]];
        groups = new long[n];
        isTouched = new boolean[n];
        vetoed = new boolean[n];
        found = new byte[n];
        dfaCaches = new LazyDfa.Cache[2 * n];
        Arrays.fill(head, -1);
    }

    /** Approximate heap held by this buffer's DFA state caches (for diagnostics). */
    public long dfaCacheBytes() {
        return dfaBudget.used();
    }

    /**
     * This buffer's state cache for {@code dfa}, regex {@code regex}'s exact or relaxed DFA (the
     * hits serve one analysis at a time, so the caches need no locking).
     */
    public LazyDfa.Cache dfaCache(int regex, boolean relaxed, LazyDfa dfa) {
        int slot = relaxed ? need.length + regex : regex;
        LazyDfa.Cache cache = dfaCaches[slot];
        if (cache == null) {
            cache = dfa.newCache(dfaBudget);
            dfaCaches[slot] = cache;
        }
        cache.markUsed();
        return cache;
    }

    /**
     * Copies the characters of the text these hits are for, once, so the automata that read it
     * again for each candidate regex index an array instead of calling {@code String.charAt}.
     */
    public void text(String text) {
        if (text.length() > chars.length) {
            chars = new char[Math.max(text.length(), chars.length * 2)];
        } else if (chars.length > KEEP_CHARS && chars.length > 4 * text.length()) {
            // One huge text must not leave its buffer behind in every thread that saw it.
            chars = new char[Math.max(256, text.length())];
        }
        text.getChars(0, text.length(), chars, 0);
        length = text.length();
        dfaBudget.tick();
        longestSpaceRun = -1;
    }

    /** The length of the text the hits are for. */
    public int length() {
        return length;
    }

    /** The longest run of RE2's whitespace ({@code [\t\n\f\r ]}) in the text, in characters. */
    public int longestSpaceRun() {
        if (longestSpaceRun < 0) {
            measureRuns();
        }
        return longestSpaceRun;
    }

    /** The longest run of characters other than RE2's whitespace in the text (a long token). */
    public int longestTokenRun() {
        if (longestSpaceRun < 0) {
            measureRuns();
        }
        return longestTokenRun;
    }

    private void measureRuns() {
        // Branch-free: the kind of character changes every few characters, so a branch per
        // character mispredicts often. A run's length is the distance to the last character of
        // the other kind (which is 0 for the kind the character is not).
        int space = 0;
        int token = 0;
        int lastSpace = -1;
        int lastToken = -1;
        for (int i = 0; i < length; i++) {
            boolean s = RegexAtoms.isSpace(chars[i]);
            lastSpace = s ? i : lastSpace;
            lastToken = s ? lastToken : i;
            space = Math.max(space, i - lastToken);
            token = Math.max(token, i - lastSpace);
        }
        longestSpaceRun = space;
        longestTokenRun = token;
    }

    /** The characters of the last text given to {@link #text(String)} (the array may be longer). */
    public char[] chars() {
        return chars;
    }

    /** Forgets the last text. */
    public void reset() {
        for (int i = 0; i < touchedCount; i++) {
            int r = touched[i];
            for (int k = base[r]; k < base[r + 1]; k++) {
                head[k] = -1;
                slotCount[k] = 0;
            }
            groups[r] = 0;
            isTouched[r] = false;
            vetoed[r] = false;
        }
        touchedCount = 0;
        for (int i = 0; i < answeredCount; i++) {
            found[answered[i]] = 0;
        }
        answeredCount = 0;
        count = 0;
        raw.clear();
    }

    /**
     * Whether {@code regex} matches somewhere in this text, if a rule already asked: 0 when not
     * known, else {@link #FOUND} or {@link #ABSENT}. A {@code requires} shared by several rules
     * runs once a text.
     */
    public byte found(int regex) {
        return found[regex];
    }

    /** Records whether {@code regex} matches in this text (see {@link #found(int)}), until the next {@link #reset()}. */
    public void found(int regex, boolean matches) {
        if (found[regex] == 0) {
            if (answeredCount == answered.length) {
                answered = Arrays.copyOf(answered, answeredCount * 2);
            }
            answered[answeredCount++] = regex;
        }
        found[regex] = matches ? FOUND : ABSENT;
    }

    /** Where the automaton's hits of the current text go before they are sorted into slots (cleared by {@link #reset()}). */
    public AhoCorasick.HitList raw() {
        return raw;
    }

    /** Whether some atom of {@code regex} was recorded since the last reset. */
    public boolean wasTouched(int regex) {
        return isTouched[regex];
    }

    private void touch(int regex) {
        if (!isTouched[regex]) {
            isTouched[regex] = true;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = regex;
        }
    }

    /** Records that a main atom of {@code regex} spans {@code [start, end)}. */
    public void add(int regex, int start, int end) {
        add(regex, 0, start, end);
    }

    /**
     * Records that an atom of {@code regex}'s set {@code slot} (0: main atoms, g + 1: further
     * required set g) spans {@code [start, end)}.
     */
    public void add(int regex, int slot, int start, int end) {
        if (count == next.length) {
            next = Arrays.copyOf(next, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        touch(regex);
        if (slot > 0) {
            groups[regex] |= 1L << (slot - 1);
        }
        int k = base[regex] + slot;
        next[count] = -1;
        starts[count] = start;
        ends[count] = end;
        if (head[k] < 0) {
            head[k] = count;
        } else {
            next[tail[k]] = count;
        }
        tail[k] = count;
        slotCount[k]++;
        count++;
    }

    /**
     * True when a main atom of {@code regex} occurred and so did one of each further required set
     * (and it was not {@linkplain #veto vetoed}).
     */
    public boolean any(int regex) {
        return head[base[regex]] >= 0 && (groups[regex] & need[regex]) == need[regex] && !vetoed[regex];
    }

    /**
     * Rules out a touched {@code regex} for this text: a character every match must contain is
     * absent (so {@link #any} is false until the next {@link #reset()}).
     */
    public void veto(int regex) {
        if (isTouched[regex]) {
            vetoed[regex] = true;
        }
    }

    /** Number of regexes touched by the last text; see {@link #touched(int)}. */
    public int touchedCount() {
        return touchedCount;
    }

    /** The {@code i}-th regex id touched by the last text (in order of first hit). */
    public int touched(int i) {
        return touched[i];
    }

    /**
     * The required set of {@code regex} with the fewest hits in this text: every match contains
     * one of its hits, so windows around them are the narrowest search. Call when {@link #any} holds.
     */
    public int rarestSlot(int regex) {
        int best = 0;
        for (int slot = 1; slot < base[regex + 1] - base[regex]; slot++) {
            if (slotCount[base[regex] + slot] < slotCount[base[regex] + best]) {
                best = slot;
            }
        }
        return best;
    }

    /** First hit of {@code regex}'s set {@code slot}, or -1; walk with {@link #next(int)}. */
    public int first(int regex, int slot) {
        return head[base[regex] + slot];
    }

    public int next(int hit) {
        return next[hit];
    }

    public int start(int hit) {
        return starts[hit];
    }

    public int end(int hit) {
        return ends[hit];
    }
}
