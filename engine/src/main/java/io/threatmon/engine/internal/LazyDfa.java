package io.threatmon.engine.internal;

import com.google.re2j.Pattern;
import com.google.re2j.ProgramExport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An exact, lazily built DFA for one RE2/J pattern: says whether the pattern matches in
 * {@code text[start, end)} (read as a text of its own, as RE2/J reads a substring) and where the
 * earliest match ends, with one table read per character once the states a workload visits are
 * built.
 *
 * <p>Why: RE2/J simulates the pattern's NFA, which costs tens to hundreds of nanoseconds a
 * character for the rules' alternations and counted gaps ({@code .{0,40}}); almost every time a
 * rule's regex runs, the text does not match. This DFA is the program RE2/J compiled
 * ({@link ProgramExport}) run the way RE2's own DFA runs it: a state is the set of instructions
 * alive after a character plus what the empty-width assertions need to know about that character
 * (word or not, newline or not, start of text), and is built the first time it is reached.
 * Matching is therefore exactly RE2/J's ({@code \b}, {@code ^}, {@code $}, case folding, Unicode
 * classes); RE2/J itself then runs only on the texts that match, to report the span.
 *
 * <p>The automaton is immutable and shared; the states live in a {@link Cache} used by one thread
 * at a time (the rule engine keeps them in its pooled hit buffers, {@code AtomHits}). A
 * cache that fills up is cleared and refilled; a pattern that keeps filling it (every character a
 * new state, as some counted repeats can) is given up on in that cache
 * ({@link #GAVE_UP}), and the caller runs RE2/J as before.
 *
 * <pre>{@code
 * LazyDfa dfa = LazyDfa.of(Pattern.compile("(?i)\\bignore\\b.{0,40}\\binstructions\\b"));
 * LazyDfa.Cache cache = dfa.newCache();
 * char[] text = "please IGNORE all previous instructions".toCharArray();
 * int end = dfa.firstEndWithin(cache, text, 0, text.length, text.length); // 39: a match ends there
 * }</pre>
 */
public final class LazyDfa {

    /** {@link #firstEndWithin} result: no match in the range. */
    public static final int NO_MATCH = -1;
    /** {@link #firstEndWithin} result: this cache thrashed on this pattern; run the regex engine instead. */
    public static final int GAVE_UP = -2;

    /** Programs bigger than this get no DFA: their states would be too costly to build. */
    static final int MAX_INSTRUCTIONS = 4_000;
    /** States a cache holds before it is cleared. */
    static final int MAX_STATES = 2_000;
    /**
     * Approximate heap a cache holds before it is cleared. Caches are per regex and per hit
     * buffer; what a buffer's caches hold together is bounded by their {@link Budget}. At 128 KB the PII-request regex
     * (an alternation of verbs, {@code .{0,40}}, an alternation of possessives and nouns) cleared
     * its cache on every attack text although its working set is ~360 states: its table and
     * closures need ~400 KB. After 20,000 generated messages one buffer's states take ~12 MB
     * ({@code threatmon bench --heap}: 31.4 MB loaded, 43.3 MB after; 40.4 MB at 128 KB).
     */
    static final long MAX_BYTES = 512 * 1024;
    /**
     * A cache cleared after fewer characters than this per state it held is thrashing: the
     * pattern makes a new state nearly every character, so the DFA costs more than the NFA.
     */
    static final int MIN_CHARS_PER_STATE = 8;

    private static final int ASCII = 128;
    /** State flag: the previous character was a word character (for {@code \b}, {@code \B}). */
    private static final int PREV_WORD = 1;
    /** State flag: the previous character was a newline (for multi-line {@code ^}). */
    private static final int PREV_NEWLINE = 2;
    /** State flag: no character read yet (start of text). */
    private static final int AT_BEGIN = 4;
    /** Transition entry: a match ends before this character. */
    private static final int MATCHED = -1;
    /** Transition entry bit: the next state is idle (no instruction in progress). */
    private static final int IDLE = 1 << 30;

    private final ProgramExport prog;
    /** The program's instructions as plain arrays (read for every state built). */
    private final int[] op;
    private final int[] out;
    private final int[] arg;
    private final int start;
    /** The state flags this program can tell apart; the others are masked off to share states. */
    private final int flagMask;
    private final int classes;
    private final int[] asciiClass;
    /** Per ASCII character, the state flags it leaves behind (word, newline), masked. */
    private final int[] asciiFlags;
    /** Non-ASCII code points: interval starts (ascending, the first is 128) and each interval's class. */
    private final int[] bounds;
    private final int[] boundClass;
    private final boolean[] classWord;
    private final boolean[] classNewline;
    /** Per class, the rune instructions that accept its characters. */
    private final long[][] classAccepts;

    private LazyDfa(ProgramExport prog) {
        this.prog = prog;
        this.start = prog.start();
        int n = prog.size();
        this.op = new int[n];
        this.out = new int[n];
        this.arg = new int[n];
        for (int pc = 0; pc < n; pc++) {
            op[pc] = prog.op(pc);
            out[pc] = prog.out(pc);
            arg[pc] = prog.arg(pc);
        }
        List<Integer> runeInsts = new ArrayList<>();
        int emptyOps = 0;
        TreeSet<Integer> cuts = new TreeSet<>();
        cuts.add(ASCII);
        for (int pc = 0; pc < n; pc++) {
            int op = prog.op(pc);
            if (op == ProgramExport.EMPTY_WIDTH) {
                emptyOps |= prog.arg(pc);
            } else if (op == ProgramExport.RUNE || op == ProgramExport.RUNE1) {
                runeInsts.add(pc);
                int[] runes = prog.runes(pc);
                if (runes.length == 1) {
                    int[] orbit = prog.foldCase(pc) ? ProgramExport.foldOrbit(runes[0]) : runes;
                    for (int r : orbit) {
                        cuts.add(r);
                        cuts.add(r + 1);
                    }
                } else {
                    for (int k = 0; k + 1 < runes.length; k += 2) {
                        cuts.add(runes[k]);
                        cuts.add(runes[k + 1] + 1);
                    }
                }
            } else if (op == ProgramExport.RUNE_ANY || op == ProgramExport.RUNE_ANY_NOT_NL) {
                runeInsts.add(pc);
            }
        }
        int mask = 0;
        if ((emptyOps & (ProgramExport.EMPTY_WORD_BOUNDARY | ProgramExport.EMPTY_NO_WORD_BOUNDARY)) != 0) {
            mask |= PREV_WORD;
        }
        if ((emptyOps & ProgramExport.EMPTY_BEGIN_LINE) != 0) {
            mask |= PREV_NEWLINE | AT_BEGIN;
        }
        if ((emptyOps & ProgramExport.EMPTY_BEGIN_TEXT) != 0) {
            mask |= AT_BEGIN;
        }
        this.flagMask = mask;
        boolean lineOps = (emptyOps & (ProgramExport.EMPTY_BEGIN_LINE | ProgramExport.EMPTY_END_LINE)) != 0;
        // Characters are grouped into classes that no instruction and no assertion tells apart:
        // the transition table then has a column per class, not per character. Each ASCII
        // character is an interval of its own; non-ASCII ones are grouped between cuts.
        int[] starts = cuts.stream().filter(c -> c >= ASCII && c <= Character.MAX_CODE_POINT).mapToInt(Integer::intValue).toArray();
        int[] all = new int[ASCII + starts.length];
        for (int c = 0; c < ASCII; c++) {
            all[c] = c;
        }
        System.arraycopy(starts, 0, all, ASCII, starts.length);
        BitSet[] signatures = intervalSignatures(prog, runeInsts, all);
        Map<BitSet, Integer> classIds = new HashMap<>();
        List<BitSet> accepts = new ArrayList<>();
        List<Boolean> word = new ArrayList<>();
        List<Boolean> newline = new ArrayList<>();
        this.asciiClass = new int[ASCII];
        this.asciiFlags = new int[ASCII];
        this.bounds = starts;
        this.boundClass = new int[starts.length];
        for (int i = 0; i < all.length; i++) {
            int rune = all[i];
            // Non-ASCII characters are neither word characters (RE2's \b is ASCII) nor newlines.
            boolean isWord = ProgramExport.isWordRune(rune);
            boolean isNewline = rune == '\n';
            BitSet sig = signatures[i];
            // Two bits past the instructions keep word and newline characters apart, when an
            // assertion needs to know.
            if ((flagMask & PREV_WORD) != 0 && isWord) {
                sig.set(n);
            }
            if (lineOps && isNewline) {
                sig.set(n + 1);
            }
            Integer id = classIds.get(sig);
            if (id == null) {
                id = accepts.size();
                classIds.put(sig, id);
                BitSet acc = (BitSet) sig.clone();
                acc.clear(n, n + 2);
                accepts.add(acc);
                word.add(isWord);
                newline.add(isNewline);
            }
            if (i < ASCII) {
                asciiClass[rune] = id;
                asciiFlags[rune] = ((isWord ? PREV_WORD : 0) | (isNewline ? PREV_NEWLINE : 0)) & flagMask;
            } else {
                boundClass[i - ASCII] = id;
            }
        }
        this.classes = accepts.size();
        this.classAccepts = new long[classes][];
        for (int k = 0; k < classes; k++) {
            classAccepts[k] = Arrays.copyOf(accepts.get(k).toLongArray(), (n + 63) / 64);
        }
        this.classWord = new boolean[classes];
        this.classNewline = new boolean[classes];
        for (int k = 0; k < classes; k++) {
            classWord[k] = word.get(k);
            classNewline[k] = newline.get(k);
        }
    }

    /**
     * Per interval ({@code starts[i]} up to the next start; the first 128 are the ASCII characters
     * one by one), the rune instructions that accept its characters. Every range end and
     * case-folding partner of a single rune is an interval start, so each instruction accepts an
     * interval whole or not at all.
     *
     * <p>Why not ask every instruction about every interval: a {@code \p{L}} class cuts the
     * non-ASCII range into ~1,300 intervals, and a multilingual rule has hundreds of rune
     * instructions; asking them all cost up to 40 ms for one regex and ~0.4 s for the bundled
     * rules, paid by the first texts a rule ran on. Here each instruction marks only the
     * intervals it covers (a test checks the result against RE2/J for every bundled regex).
     */
    static BitSet[] intervalSignatures(ProgramExport prog, List<Integer> runeInsts, int[] starts) {
        // Dots accept (nearly) every interval: set as one word-wide OR per interval, not bit by bit.
        BitSet dots = new BitSet();
        BitSet anyOnly = new BitSet();
        for (int pc : runeInsts) {
            if (prog.op(pc) == ProgramExport.RUNE_ANY) {
                dots.set(pc);
                anyOnly.set(pc);
            } else if (prog.op(pc) == ProgramExport.RUNE_ANY_NOT_NL) {
                dots.set(pc);
            }
        }
        BitSet[] sig = new BitSet[starts.length];
        for (int i = 0; i < sig.length; i++) {
            sig[i] = new BitSet(prog.size() + 2); // room for the word and newline bits too
            sig[i].or(starts[i] == '\n' ? anyOnly : dots);
        }
        for (int pc : runeInsts) {
            int op = prog.op(pc);
            if (op == ProgramExport.RUNE_ANY || op == ProgramExport.RUNE_ANY_NOT_NL) {
                continue;
            }
            int[] runes = prog.runes(pc);
            if (runes.length == 1) {
                int[] orbit = prog.foldCase(pc) ? ProgramExport.foldOrbit(runes[0]) : runes;
                for (int r : orbit) {
                    int i = Arrays.binarySearch(starts, r);
                    if (i >= 0 && prog.matchRune(pc, r)) {
                        sig[i].set(pc);
                    }
                }
                continue;
            }
            for (int k = 0; k + 1 < runes.length; k += 2) {
                int i = Arrays.binarySearch(starts, runes[k]);
                for (; i >= 0 && i < starts.length && starts[i] <= runes[k + 1]; i++) {
                    sig[i].set(pc);
                }
            }
        }
        return sig;
    }

    /** The DFA for {@code pattern}, or null when its program is too big to be worth one. */
    public static LazyDfa of(Pattern pattern) {
        ProgramExport prog = ProgramExport.of(pattern);
        if (prog.size() > MAX_INSTRUCTIONS) {
            return null;
        }
        return new LazyDfa(prog);
    }

    /**
     * Whether {@code pattern}'s program is small enough for a DFA ({@link #of} returns one), without
     * building it: {@code rules validate} asks this of every regex of a pack.
     */
    public static boolean fits(Pattern pattern) {
        return ProgramExport.of(pattern).size() <= MAX_INSTRUCTIONS;
    }

    /**
     * Makes the DFA of a pattern at first use, once, shared by all threads: working out the
     * character classes costs up to a millisecond for patterns with Unicode classes, and most of
     * a rule set's regexes never run on a given workload, so loading rules does not pay for them.
     */
    public static final class Deferred {
        private final java.util.function.Supplier<Pattern> pattern;
        private volatile boolean built;
        private LazyDfa dfa;

        public Deferred(Pattern pattern) {
            this(() -> pattern);
        }

        /**
         * A DFA whose pattern is also made at first use: the relaxed form of a regex is needed
         * only if the exact DFA gives up, which few do, so compiling every relaxed regex while
         * rules load (a few hundred large alternations) is start-up time spent for nothing.
         */
        public Deferred(java.util.function.Supplier<Pattern> pattern) {
            this.pattern = pattern;
        }

        /** The DFA, or null when the pattern has none (see {@link LazyDfa#of}) or the supplier gave none. */
        public LazyDfa get() {
            if (!built) {
                synchronized (this) {
                    if (!built) {
                        Pattern p = pattern.get();
                        dfa = p == null ? null : of(p);
                        built = true;
                    }
                }
            }
            return dfa;
        }
    }

    /** The program this DFA runs (for tests that check its classes against RE2/J). */
    ProgramExport program() {
        return prog;
    }

    /** The class of code point {@code cp} (ASCII or not). */
    int classOfRune(int cp) {
        return cp < ASCII ? asciiClass[cp] : classOf(cp);
    }

    /** Whether class {@code cls} is accepted by rune instruction {@code pc}. */
    boolean classAccepts(int cls, int pc) {
        return (classAccepts[cls][pc >>> 6] & (1L << pc)) != 0;
    }

    /** Starts of the non-ASCII intervals whose characters share a class. */
    int[] intervalStarts() {
        return bounds.clone();
    }

    /** Number of character classes (columns of the transition table). */
    public int classes() {
        return classes;
    }

    /** A cache of built states, for one thread at a time. */
    public Cache newCache() {
        return new Cache(this, MAX_STATES, null);
    }

    /**
     * A cache of built states whose heap counts against {@code budget}, shared with the other
     * caches of the same thread (see {@link Budget}).
     */
    public Cache newCache(Budget budget) {
        return new Cache(this, MAX_STATES, Objects.requireNonNull(budget, "budget"));
    }

    /** A cache that holds at most {@code maxStates} states (for tests of clearing and giving up). */
    Cache newCache(int maxStates) {
        return new Cache(this, maxStates, null);
    }

    /**
     * The offset just past the earliest-ending match of the pattern within {@code text[from, end)}
     * of a text {@code text[0, length)} read in place: the assertions see the characters around
     * the range ({@code \b} before {@code from}, {@code $} only at the text's real end), so a match
     * reported here is a match in the whole text, and every match of the whole text that lies
     * within the range is reported. {@link #NO_MATCH}, or {@link #GAVE_UP} when this cache
     * thrashes on this pattern. For a whole text, {@code from = 0} and {@code end = length}.
     */
    public int firstEndWithin(Cache cache, char[] text, int from, int end, int length) {
        if (cache.gaveUp) {
            return GAVE_UP;
        }
        cache.charsSinceClear += end - from;
        final int[] asciiClass = this.asciiClass;
        final boolean[] stops = cache.stops;
        int[] trans = cache.trans;
        int row = cache.beginRow;
        if (from > 0) {
            char before = text[from - 1];
            // Nothing is in progress at the start of the range; only the previous character's kind counts.
            row = cache.idleRows[before < ASCII ? asciiFlags[before] : 0];
        }
        int i = from;
        while (i < end) {
            char c = text[i];
            int e;
            int width = 1;
            if (c < ASCII) {
                e = trans[row + asciiClass[c]];
                if (e > 0) {
                    i++;
                    if (e < IDLE) {
                        row = e;
                        continue;
                    }
                    // Nothing in progress: characters that cannot start a match leave the state
                    // idle, so skip them without the table (no chain of dependent reads).
                    while (i < end) {
                        char d = text[i];
                        if (d >= ASCII || stops[d]) {
                            break;
                        }
                        i++;
                    }
                    row = cache.idleRows[asciiFlags[text[i - 1]]];
                    continue;
                }
                e = e == 0 ? cache.compute(row, asciiClass[c]) : e;
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                    cp = Character.toCodePoint(c, text[i + 1]);
                    width = 2;
                }
                int cls = classOf(cp);
                e = trans[row + cls];
                if (e == 0) {
                    e = cache.compute(row, cls);
                }
            }
            if (e == MATCHED) {
                return i;
            }
            if (e == GAVE_UP) {
                return GAVE_UP;
            }
            // A new state may have grown or cleared the table.
            trans = cache.trans;
            row = e & ~IDLE;
            i += width;
        }
        if (end < length) {
            // A match may end at the range's end: whether it does depends on the next character.
            char c = text[end];
            int cp = c;
            if (Character.isHighSurrogate(c) && end + 1 < length && Character.isLowSurrogate(text[end + 1])) {
                cp = Character.toCodePoint(c, text[end + 1]);
            }
            int cls = c < ASCII ? asciiClass[c] : classOf(cp);
            int e = cache.trans[row + cls];
            if (e == 0) {
                e = cache.compute(row, cls);
            }
            return e == MATCHED ? end : e == GAVE_UP ? GAVE_UP : NO_MATCH;
        }
        return cache.matchesAtEnd(row) ? end : NO_MATCH;
    }

    private int classOf(int cp) {
        int lo = 0;
        int hi = bounds.length;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (bounds[mid] > cp) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return boundClass[lo];
    }

    /**
     * A limit on the heap held by a group of caches used by one thread (one hit buffer's caches,
     * one per regex that ran). Each cache is bounded on its own ({@link #MAX_BYTES}), but a buffer
     * keeps one for every regex that ever ran through it: after 20,000 varied texts a buffer held
     * ~230 MB of states, and a pool of buffers multiplies that. When a cache's growth takes the
     * group past its limit, the caches used longest ago (counted in texts, {@link #tick()}) are
     * cleared until half the limit is free; clearing costs only the time to build those states
     * again. Not thread-safe: the caches of one budget are used by one thread at a time.
     *
     * <pre>{@code
     * LazyDfa.Budget budget = new LazyDfa.Budget(32 << 20);
     * LazyDfa.Cache cache = dfa.newCache(budget);
     * budget.tick(); // once per text
     * dfa.firstEndWithin(cache, text, 0, text.length, text.length);
     * }</pre>
     */
    public static final class Budget {
        private final Scratch scratch = new Scratch();
        private final long limit;
        private final List<Cache> caches = new ArrayList<>();
        private long used;
        private long clock;
        private long clears;
        /** The text for which every cache that may be cleared has been. */
        private long spentAt = -1;

        /** @param limit bytes the caches may hold together (approximately, as {@link Cache#bytes()} counts) */
        public Budget(long limit) {
            if (limit <= 0) {
                throw new IllegalArgumentException("budget must be positive: " + limit);
            }
            this.limit = limit;
        }

        /** Marks the start of a new text: caches are aged in texts. */
        public void tick() {
            clock++;
        }

        /** Bytes the caches hold together now. */
        public long used() {
            return used;
        }

        /** The limit in bytes. */
        public long limit() {
            return limit;
        }

        /** How many times a cache was cleared to keep the group within the limit. */
        public long clears() {
            return clears;
        }

        /**
         * Clears the least recently used caches until half the limit is free, sparing those of the
         * current text: clearing a state the text is about to need again costs far more than the
         * memory (at a 16 MB limit, clearing them made the session-31 pool ten times slower). A text
         * whose own states pass the limit keeps them until the next text.
         */
        private void enforce() {
            if (used <= limit || spentAt == clock) {
                return;
            }
            List<Cache> byAge = new ArrayList<>();
            for (Cache c : caches) {
                if (c.lastUsed != clock && !c.gaveUp && c.accounted > c.emptyBytes) {
                    byAge.add(c);
                }
            }
            // Oldest first; among caches last used by the same text, the larger first.
            byAge.sort((a, b) -> a.lastUsed != b.lastUsed ? Long.compare(a.lastUsed, b.lastUsed)
                    : Long.compare(b.accounted, a.accounted));
            // One pass per text: the texts after it clear what this one could not.
            spentAt = clock;
            for (Cache c : byAge) {
                if (used <= limit / 2) {
                    break;
                }
                c.clear();
                c.account();
                clears++;
            }
        }
    }

    /**
     * A sparse set of instructions and a stack for building closures, sized for the largest
     * program it served. Stale entries need no clearing: a member is one whose sparse and dense
     * entries point at each other below the current count. One per budget rather than per cache:
     * a buffer has a cache for every regex that ran, and for the largest programs (4,000
     * instructions) the scratch was 64 KB a cache.
     */
    private static final class Scratch {
        int[] dense = new int[0];
        int[] sparse = new int[0];
        int[] stack = new int[4];

        void fit(int n) {
            if (dense.length < n) {
                dense = new int[n];
                sparse = new int[n];
                stack = new int[n * 2 + 4];
            }
        }
    }

    /**
     * The states built for one pattern through one hit buffer (not thread-safe). Row offsets into {@link #trans} stand for
     * states (state × classes + 1, so 0 can mean "not built yet").
     */
    public static final class Cache {
        private final LazyDfa dfa;
        private final Map<State, Integer> index = new HashMap<>();
        private final List<State> states = new ArrayList<>();
        /** Per row + class: the next state's row, {@link #MATCHED}, or 0 when not computed yet. */
        private int[] trans;
        private int beginRow;
        /** Rows of the idle states (nothing in progress), by the flags of the last character. */
        private final int[] idleRows = new int[(PREV_WORD | PREV_NEWLINE) + 1];
        /** Per ASCII character, whether it can take an idle state out of idleness (or end a match). */
        private final boolean[] stops = new boolean[ASCII];
        private long charsSinceClear;
        /** Approximate heap held by the states and closures (the table is counted from its length). */
        private long stateBytes;
        private boolean gaveUp;
        /** Scratch for closures, shared by the caches of a budget (one builds a state at a time). */
        private final Scratch scratch;

        private final int maxStates;
        /** The group this cache's heap counts against, or null. */
        private final Budget budget;
        /** Bytes last reported to the budget. */
        private long accounted;
        /** Bytes held right after a clear (nothing to gain by clearing again). */
        private long emptyBytes;
        /** The budget's clock when this cache was last handed out. */
        private long lastUsed;

        Cache(LazyDfa dfa, int maxStates, Budget budget) {
            this.dfa = dfa;
            this.maxStates = maxStates;
            this.budget = budget;
            this.scratch = budget != null ? budget.scratch : new Scratch();
            clear();
            if (budget != null) {
                budget.caches.add(this);
                lastUsed = budget.clock;
                emptyBytes = heldBytes();
            }
            for (int f = 0; f < idleRows.length; f++) {
                if ((f & dfa.flagMask) != f) {
                    continue;
                }
                for (int c = 0; c < ASCII && !gaveUp; c++) {
                    int e = trans[idleRows[f] + dfa.asciiClass[c]];
                    if (e == 0) {
                        e = compute(idleRows[f], dfa.asciiClass[c]);
                    }
                    stops[c] |= e < IDLE;
                }
            }
            account();
        }

        /** Notes that this cache is about to be used for the current text (its age for the budget). */
        public void markUsed() {
            if (budget != null) {
                lastUsed = budget.clock;
            }
        }

        private long heldBytes() {
            return 16L + 4L * trans.length + stateBytes;
        }

        /** Reports this cache's size change to its budget. */
        private void account() {
            if (budget != null) {
                long now = heldBytes();
                budget.used += now - accounted;
                accounted = now;
            }
        }

        private void clear() {
            index.clear();
            states.clear();
            stateBytes = 0;
            trans = new int[1 + 16 * dfa.classes];
            beginRow = rowOf(new State(new int[0], AT_BEGIN & dfa.flagMask));
            for (int f = 0; f < idleRows.length; f++) {
                idleRows[f] = rowOf(new State(new int[0], f & dfa.flagMask));
            }
            charsSinceClear = 0;
        }

        private int rowOf(State key) {
            Integer id = index.get(key);
            if (id == null) {
                id = states.size();
                stateBytes += key.bytes();
                states.add(key);
                index.put(key, id);
                int need = 1 + states.size() * dfa.classes;
                if (need > trans.length) {
                    trans = Arrays.copyOf(trans, Math.max(need, trans.length * 2));
                }
            }
            return 1 + id * dfa.classes;
        }

        /**
         * Builds the transition of state {@code row} on class {@code cls}; may clear this cache,
         * or others of its budget that the current text has not used (never this one: the caller
         * is walking it).
         */
        int compute(int row, int cls) {
            int result = build(row, cls);
            if (budget != null) {
                account();
                budget.enforce();
            }
            return result;
        }

        private int build(int row, int cls) {
            State from = states.get((row - 1) / dfa.classes);
            boolean word = dfa.classWord[cls];
            boolean newline = dfa.classNewline[cls];
            // The closure depends on the next character only through the assertions, so a state
            // keeps one per kind of next character rather than one per class.
            int variant = (word ? 1 : 0) | (newline ? 2 : 0);
            int[] closure = from.closures[variant];
            if (closure == null) {
                closure = closure(from.pcs, emptyFlags(from.flags, word, newline, false));
                from.closures[variant] = closure;
                stateBytes += closure == MATCH_CLOSURE ? 0 : 16L + 4L * closure.length;
            }
            int result;
            if (closure == MATCH_CLOSURE) {
                result = MATCHED;
            } else {
                long[] accepts = dfa.classAccepts[cls];
                int[] outs = dfa.out;
                int[] next = new int[closure.length];
                int m = 0;
                for (int pc : closure) {
                    if ((accepts[pc >>> 6] & (1L << pc)) != 0) {
                        next[m++] = outs[pc];
                    }
                }
                next = distinctSorted(next, m);
                int nextFlags = ((word ? PREV_WORD : 0) | (newline ? PREV_NEWLINE : 0)) & dfa.flagMask;
                State key = new State(next, nextFlags);
                int idle = next.length == 0 ? IDLE : 0;
                Integer known = index.get(key);
                if (known != null) {
                    result = (1 + known * dfa.classes) | idle;
                    trans[row + cls] = result;
                    return result;
                }
                if (states.size() >= maxStates || stateBytes + 4L * trans.length > MAX_BYTES) {
                    if (charsSinceClear < (long) MIN_CHARS_PER_STATE * states.size()) {
                        gaveUp = true;
                        trans = new int[1];
                        index.clear();
                        states.clear();
                        stateBytes = 0;
                        return GAVE_UP;
                    }
                    clear();
                    // Rebuilt in the fresh cache; the caller continues from the returned row.
                    row = rowOf(from);
                }
                result = rowOf(key) | idle;
            }
            trans[row + cls] = result;
            return result;
        }

        boolean matchesAtEnd(int row) {
            State s = states.get((row - 1) / dfa.classes);
            if (s.matchesAtEnd == 0) {
                s.matchesAtEnd = (byte) (closure(s.pcs, emptyFlags(s.flags, false, false, true)) == MATCH_CLOSURE ? 2 : 1);
            }
            return s.matchesAtEnd == 2;
        }

        /**
         * RE2/J's empty-width context between the previous character (described by the state's
         * flags) and the next one (or the end of text).
         */
        private static int emptyFlags(int stateFlags, boolean nextWord, boolean nextNewline, boolean atEnd) {
            int op = 0;
            if ((stateFlags & AT_BEGIN) != 0) {
                op |= ProgramExport.EMPTY_BEGIN_TEXT | ProgramExport.EMPTY_BEGIN_LINE;
            }
            if ((stateFlags & PREV_NEWLINE) != 0) {
                op |= ProgramExport.EMPTY_BEGIN_LINE;
            }
            if (atEnd) {
                op |= ProgramExport.EMPTY_END_TEXT | ProgramExport.EMPTY_END_LINE;
            } else if (nextNewline) {
                op |= ProgramExport.EMPTY_END_LINE;
            }
            boolean prevWord = (stateFlags & PREV_WORD) != 0;
            op |= prevWord != nextWord ? ProgramExport.EMPTY_WORD_BOUNDARY : ProgramExport.EMPTY_NO_WORD_BOUNDARY;
            return op;
        }

        /**
         * The rune instructions reachable from {@code pcs} and the start instruction (a match may
         * start at any character) through alternations, captures and the assertions {@code flags}
         * satisfy, in visiting order; {@link #MATCH_CLOSURE} when a match instruction is reached.
         */
        private int[] closure(int[] pcs, int flags) {
            final int[] op = dfa.op;
            final int[] out = dfa.out;
            final int[] arg = dfa.arg;
            scratch.fit(op.length);
            final int[] stack = scratch.stack;
            final int[] dense = scratch.dense;
            final int[] sparse = scratch.sparse;
            int top = 0;
            stack[top++] = dfa.start;
            for (int k = pcs.length - 1; k >= 0; k--) {
                stack[top++] = pcs[k];
            }
            int marked = 0;
            int runes = 0;
            while (top > 0) {
                int pc = stack[--top];
                int at = sparse[pc];
                if (at < marked && dense[at] == pc) {
                    continue;
                }
                sparse[pc] = marked;
                dense[marked++] = pc;
                switch (op[pc]) {
                    case ProgramExport.MATCH:
                        return MATCH_CLOSURE;
                    case ProgramExport.ALT:
                    case ProgramExport.ALT_MATCH:
                        stack[top++] = arg[pc];
                        stack[top++] = out[pc];
                        break;
                    case ProgramExport.CAPTURE:
                    case ProgramExport.NOP:
                        stack[top++] = out[pc];
                        break;
                    case ProgramExport.EMPTY_WIDTH:
                        if ((arg[pc] & ~flags) == 0) {
                            stack[top++] = out[pc];
                        }
                        break;
                    case ProgramExport.RUNE:
                    case ProgramExport.RUNE1:
                    case ProgramExport.RUNE_ANY:
                    case ProgramExport.RUNE_ANY_NOT_NL:
                        runes++;
                        break;
                    default:
                        break;
                }
            }
            int[] result = new int[runes];
            int n = 0;
            for (int k = 0; k < marked && n < runes; k++) {
                int o = op[dense[k]];
                if (o == ProgramExport.RUNE || o == ProgramExport.RUNE1 || o == ProgramExport.RUNE_ANY
                        || o == ProgramExport.RUNE_ANY_NOT_NL) {
                    result[n++] = dense[k];
                }
            }
            return result;
        }

        private static int[] distinctSorted(int[] a, int n) {
            Arrays.sort(a, 0, n);
            int m = 0;
            for (int k = 0; k < n; k++) {
                if (m == 0 || a[m - 1] != a[k]) {
                    a[m++] = a[k];
                }
            }
            return m == a.length ? a : Arrays.copyOf(a, m);
        }

        /** States held (for tests and diagnostics). */
        public int states() {
            return states.size();
        }

        /** Approximate heap held: the transition table and each state's instruction lists. */
        public long bytes() {
            long b = 16L + 4L * trans.length;
            for (State st : states) {
                b += st.bytes();
            }
            return b;
        }
    }

    /** Closure result standing for "a match instruction is reachable". */
    private static final int[] MATCH_CLOSURE = new int[0];

    /**
     * A DFA state: the instructions alive after a character (sorted) and the flags about that
     * character; equal by those two. It also keeps its closures, one per kind of next character
     * (word or not × newline or not), and whether a match ends at the end of text after it.
     */
    private static final class State {
        final int[] pcs;
        final int flags;
        private final int hash;
        final int[][] closures = new int[4][];
        /** 0 not known yet, 1 no, 2 yes. */
        byte matchesAtEnd;

        State(int[] pcs, int flags) {
            this.pcs = pcs;
            this.flags = flags;
            this.hash = Arrays.hashCode(pcs) * 31 + flags;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State k && k.flags == flags && k.hash == hash && Arrays.equals(k.pcs, pcs);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** Approximate heap held by this state (its arrays, object headers, the index entry). */
        long bytes() {
            long b = 96L + 4L * pcs.length;
            for (int[] c : closures) {
                b += c == null || c == MATCH_CLOSURE ? 0 : 16L + 4L * c.length;
            }
            return b;
        }
    }
}
