package io.threatmon.engine.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of many keywords in one pass, case-insensitively (keywords must be
 * lower-case; text is lower-cased per character as it is read, so offsets are unchanged).
 *
 * <p>Hand-written because it is the hot loop of the product: ASCII input walks a complete
 * transition table (one array read per character); other characters read the root's table or
 * search the state's short sorted run of transitions that differ from the root's (never a
 * failure walk). Library implementations allocate an object per hit and per character class,
 * which costs more than the scan itself. Immutable and thread-safe once built.
 */
public final class AhoCorasick {

    /** Receives each keyword occurrence: the keyword's index and the offset just past it. */
    @FunctionalInterface
    public interface Hits {
        void hit(int keyword, int end);
    }

    private static final int ASCII = 128;

    /** {@code Character.toLowerCase} of every BMP character: one array read instead of a Unicode table walk per character. */
    private static final char[] LOWER = new char[0x10000];

    static {
        for (int c = 0; c < LOWER.length; c++) {
            LOWER[c] = Character.toLowerCase((char) c);
        }
    }

    /**
     * ASCII characters (lower-cased) mapped to column numbers: only characters that occur in some
     * keyword get a column of their own, all others share column 0. With ~40 columns instead of
     * 128 the table is a third the size, and far more of it stays in cache.
     */
    private final int[] column;
    private final int columns;
    /**
     * The ASCII transition table, row per state, holding the target's row offset (state ×
     * columns, so a step is one add and one read) and, bit-inverted, when the target has
     * keywords to report: ordinary text then never reads the outputs table.
     */
    private final int[] ascii;
    /**
     * Non-ASCII transitions of the root, per character: target + 1, 0 for none (back to the
     * root). Text in a script the rules have keywords for starts a keyword at most characters.
     */
    private final int[] wideRoot;
    /**
     * Non-ASCII transitions of the other states that differ from the root's, per state (in
     * ranked order) a contiguous run sorted by character: {@code wideFrom[s]} to
     * {@code wideFrom[s + 1]} in {@code wideChars} and {@code wideTargets}. Contiguous runs keep
     * a state's few edges in one cache line, where a hash table scattered them.
     */
    private final int[] wideFrom;
    private final char[] wideChars;
    private final int[] wideTargets;
    /** Non-ASCII characters that occur in some keyword: any other one leads every state back to the root. */
    private final boolean[] wideAnywhere;
    private final int[][] outputs;
    private final int[] lengths;
    /**
     * Keywords longer than {@link #DEPTH} enter the automaton by their first {@code DEPTH}
     * characters only; the rest of each (lower-case) is compared with the text when that prefix
     * is found, and the hit is reported at the keyword's real end. Null for shorter keywords.
     */
    private final char[][] tails;
    /** Length of the longest keyword prefix in the automaton. */
    private final int maxLength;

    /**
     * Deepest trie level. The bundled rules' ~12,800 atoms include long multi-word ones ("ignore
     * all previous instructions" in many variants); their private tails made three in five of
     * the automaton's ~75,000 states, each a table row. Cut at 10 characters the table holds
     * ~31,000 rows (19.5 -> 8 MB of heap, and more of it in cache), and a long atom's tail is
     * checked only where its first 10 characters occur.
     */
    static final int DEPTH = 10;

    /** Builds the automaton over lower-case keywords (duplicates allowed; each keeps its index). */
    public AhoCorasick(List<String> keywords) {
        lengths = new int[keywords.size()];
        tails = new char[keywords.size()][];
        maxLength = Math.min(DEPTH, keywords.stream().mapToInt(String::length).max().orElse(0));
        // The trie keeps each node's children as a linked list (label, first child, next sibling):
        // a 128-entry row per node would allocate tens of MB for the ~100k nodes of the bundled
        // atoms before the compact table below exists, and made loading rules slow.
        int capacity = 1 + keywords.stream().mapToInt(k -> Math.min(DEPTH, k.length())).sum();
        char[] label = new char[capacity];
        int[] firstChild = new int[capacity];
        int[] sibling = new int[capacity];
        int[] ownHead = new int[capacity];
        int[] sameNode = new int[keywords.size()];
        Arrays.fill(firstChild, -1);
        Arrays.fill(ownHead, -1);
        // The root's children are also indexed by character: it has one per distinct first
        // character (hundreds, with the multilingual atoms), and walking that list for each of
        // ~17,000 keywords and for each non-ASCII failure link was most of building the automaton.
        int[] rootChild = new int[0x10000];
        Arrays.fill(rootChild, -1);
        int n = 1;
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k);
            lengths[k] = w.length();
            if (w.length() > DEPTH) {
                tails[k] = w.substring(DEPTH).toCharArray();
            }
            int s = 0;
            for (int i = 0; i < Math.min(DEPTH, w.length()); i++) {
                char c = w.charAt(i);
                int t;
                if (s == 0) {
                    t = rootChild[c];
                } else {
                    t = firstChild[s];
                    while (t >= 0 && label[t] != c) {
                        t = sibling[t];
                    }
                }
                if (t < 0) {
                    t = n++;
                    label[t] = c;
                    sibling[t] = firstChild[s];
                    firstChild[s] = t;
                    if (s == 0) {
                        rootChild[c] = t;
                    }
                }
                s = t;
            }
            sameNode[k] = ownHead[s];
            ownHead[s] = k;
        }
        column = new int[ASCII];
        int cols = 1;
        for (String w : keywords) {
            for (int i = 0; i < Math.min(DEPTH, w.length()); i++) {
                char c = w.charAt(i);
                if (c < ASCII && column[c] == 0) {
                    column[c] = cols++;
                }
            }
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            column[c] = column[c + 32];
        }
        columns = cols;
        // States in breadth-first order: the shallow states ordinary text keeps visiting end up
        // side by side at the start of the table, so the rows in use stay in cache. A state's
        // failure state is shallower, so it is complete by the time the state is reached.
        int[] order = new int[n];
        int ordered = 1;
        for (int q = 0; q < ordered; q++) {
            for (int t = firstChild[order[q]]; t >= 0; t = sibling[t]) {
                order[ordered++] = t;
            }
        }
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[order[i]] = i;
        }
        int[] fail = new int[n];
        boolean[] reports = new boolean[n];
        int[] table = new int[n * columns];
        int[][] outs = new int[n][];
        outs[0] = new int[0];
        for (int q = 0; q < n; q++) {
            int s = order[q];
            int row = q * columns;
            int failRow = rank[fail[s]] * columns;
            if (s != 0) {
                System.arraycopy(table, failRow, table, row, columns);
                outs[q] = withOwn(ownHead[s], sameNode, outs[rank[fail[s]]]);
            }
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                char c = label[t];
                int f;
                if (s == 0) {
                    f = 0;
                } else if (c < ASCII) {
                    int v = table[failRow + column[c]];
                    f = order[(v >= 0 ? v : ~v) / columns];
                } else {
                    f = wideFailure(fail[s], c, firstChild, sibling, label, fail, rootChild);
                }
                fail[t] = f;
                reports[t] = ownHead[t] >= 0 || reports[f];
                if (c < ASCII) {
                    int offset = rank[t] * columns;
                    table[row + column[c]] = reports[t] ? ~offset : offset;
                }
            }
        }
        this.ascii = table;
        this.outputs = outs;
        // Non-ASCII transitions complete like the ASCII table (no failure walk while scanning), but
        // stored only where they differ from the root's: a state inherits its failure state's
        // differing entries and adds its own edges. States whose failure state is the root (most
        // of them) store only their own edges, and states without either store nothing, so the
        // table stays near the size of the trie's non-ASCII part.
        // Built in rank order straight into the contiguous runs: a state's failure state has a
        // lower rank, so its run is complete when the state's own is merged with it.
        this.wideRoot = new int[0x10000];
        this.wideAnywhere = new boolean[0x10000];
        this.wideFrom = new int[n + 1];
        char[] chars = new char[1024];
        int[] targets = new int[1024];
        char[] ownChars = new char[16];
        int[] ownTargets = new int[16];
        int at = 0;
        for (int r = 0; r < n; r++) {
            int s = order[r];
            wideFrom[r] = at;
            int own = 0;
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                if (label[t] >= ASCII) {
                    if (own == ownChars.length) {
                        ownChars = Arrays.copyOf(ownChars, own * 2);
                        ownTargets = Arrays.copyOf(ownTargets, own * 2);
                    }
                    // Insertion by character: a state has few non-ASCII edges (the root aside).
                    int k = own++;
                    while (k > 0 && ownChars[k - 1] > label[t]) {
                        ownChars[k] = ownChars[k - 1];
                        ownTargets[k] = ownTargets[k - 1];
                        k--;
                    }
                    ownChars[k] = label[t];
                    ownTargets[k] = rank[t];
                }
            }
            if (r == 0) {
                for (int k = 0; k < own; k++) {
                    wideAnywhere[ownChars[k]] = true;
                    wideRoot[ownChars[k]] = ownTargets[k] + 1;
                }
                continue;
            }
            int from = 0;
            int to = 0;
            if (fail[s] != 0) {
                from = wideFrom[rank[fail[s]]];
                to = wideFrom[rank[fail[s]] + 1];
            }
            if (at + own + (to - from) > chars.length) {
                int size = Math.max(chars.length * 2, at + own + (to - from));
                chars = Arrays.copyOf(chars, size);
                targets = Arrays.copyOf(targets, size);
            }
            // Merge the inherited run with the own edges (sorted both); an own edge wins.
            int i = from;
            int k = 0;
            while (i < to || k < own) {
                if (k == own || (i < to && chars[i] < ownChars[k])) {
                    chars[at] = chars[i];
                    targets[at++] = targets[i++];
                } else {
                    if (i < to && chars[i] == ownChars[k]) {
                        i++;
                    }
                    wideAnywhere[ownChars[k]] = true;
                    chars[at] = ownChars[k];
                    targets[at++] = ownTargets[k++];
                }
            }
        }
        this.wideChars = Arrays.copyOf(chars, at);
        this.wideTargets = Arrays.copyOf(targets, at);
        wideFrom[n] = at;
    }

    /** The keywords ending at a node (its own, a linked list through {@code sameNode}) before the inherited ones. */
    private static int[] withOwn(int head, int[] sameNode, int[] inherited) {
        if (head < 0) {
            return inherited;
        }
        int own = 0;
        for (int k = head; k >= 0; k = sameNode[k]) {
            own++;
        }
        int[] out = Arrays.copyOf(inherited, own + inherited.length);
        System.arraycopy(inherited, 0, out, own, inherited.length);
        int i = 0;
        for (int k = head; k >= 0; k = sameNode[k]) {
            out[i++] = k;
        }
        return out;
    }

    /**
     * The failure state of the child on non-ASCII {@code c} of a state whose failure state is
     * {@code from}: the deepest proper suffix state with a child on {@code c}, else the root.
     */
    private static int wideFailure(int from, char c, int[] firstChild, int[] sibling, char[] label, int[] fail,
            int[] rootChild) {
        int g = from;
        while (g != 0) {
            for (int t = firstChild[g]; t >= 0; t = sibling[t]) {
                if (label[t] == c) {
                    return t;
                }
            }
            g = fail[g];
        }
        return Math.max(0, rootChild[c]);
    }

    /** The non-ASCII transition from ranked state {@code state} on {@code c}: a state, or 0 (the root). */
    private int wideEdge(int state, char c) {
        if (state != 0) {
            int lo = wideFrom[state];
            int hi = wideFrom[state + 1] - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                char m = wideChars[mid];
                if (m < c) {
                    lo = mid + 1;
                } else if (m > c) {
                    hi = mid - 1;
                } else {
                    return wideTargets[mid];
                }
            }
        }
        return Math.max(0, wideRoot[c] - 1); // not stored: the same as the root's
    }

    /** Number of keywords. */
    public int size() {
        return lengths.length;
    }

    /** Length of keyword {@code k}. */
    public int length(int k) {
        return lengths[k];
    }

    /** Reports every keyword occurrence in {@code text}. */
    public void scan(String text, Hits hits) {
        scan(text.toCharArray(), text.length(), hits);
    }

    /**
     * Texts at least this many times the longest keyword are scanned as two interleaved halves:
     * each step of the automaton waits on the table read of the step before, so one walk leaves
     * the core mostly idle, while two independent walks overlap their reads.
     */
    private static final int SPLIT_FACTOR = 4;

    /**
     * Reports every keyword occurrence in {@code text[0, n)}, each once, by its end; in order of
     * where their first {@value #DEPTH} characters end, so a longer keyword may be reported just
     * after shorter ones that end before it.
     */
    public void scan(char[] text, int n, Hits hits) {
        if (lengths.length == 0) {
            return; // no keyword (a rule set whose regexes have no atoms)
        }
        if (n < SPLIT_FACTOR * Math.max(64, maxLength)) {
            scanRange(text, 0, n, 0, hits);
            return;
        }
        // Half A reads [0, mid) and reports the keywords whose automaton prefix ends there; half B
        // starts early enough that every prefix ending after mid starts inside it, and reports
        // only those, after A's.
        int mid = n / 2;
        int i = 0;
        int j = mid - (Math.max(1, maxLength) - 1);
        int rowA = 0;
        int rowB = 0;
        HitList later = new HitList();
        final int[] column = this.column;
        final int[] ascii = this.ascii;
        while (i < mid) {
            char a = text[i];
            char b = text[j];
            if ((a | b) < ASCII) {
                int va = ascii[rowA + column[a]];
                int vb = ascii[rowB + column[b]];
                if ((va | vb) >= 0) {
                    rowA = va;
                    rowB = vb;
                    i++;
                    j++;
                    continue;
                }
            }
            rowA = step(text, n, rowA, a, ++i, hits, -1);
            rowB = step(text, n, rowB, b, ++j, later, mid);
        }
        rowB = j < n ? scanFrom(text, j, n, rowB, later, mid) : rowB;
        for (int k = 0; k < later.count(); k++) {
            hits.hit(later.keyword(k), later.end(k));
        }
    }

    /** Scans {@code text[from, to)} starting in state {@code row}, reporting hits ending after {@code minEnd}. */
    private void scanRange(char[] text, int from, int to, int row, Hits hits) {
        scanFrom(text, from, to, row, hits, -1);
    }

    private int scanFrom(char[] text, int from, int to, int row, Hits hits, int minEnd) {
        final int[] column = this.column;
        final int[] ascii = this.ascii;
        final boolean[] wideAnywhere = this.wideAnywhere;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c < ASCII) {
                int v = ascii[row + column[c]];
                if (v >= 0) {
                    row = v;
                    continue;
                }
            } else if (!wideAnywhere[LOWER[c]]) {
                // The common non-ASCII case, kept out of step(): a quick-starting compiler does
                // not inline it, and most non-ASCII text pays a call per character otherwise.
                row = 0;
                continue;
            }
            row = step(text, to, row, c, i + 1, hits, minEnd);
        }
        return row;
    }

    /**
     * One step on {@code c} from {@code row}, reporting the keywords that end there (at
     * {@code end}, when it is past {@code minEnd}); returns the next row.
     */
    private int step(char[] text, int n, int row, char c, int end, Hits hits, int minEnd) {
        if (c < ASCII) {
            int v = ascii[row + column[c]];
            if (v >= 0) {
                return v;
            }
            row = ~v;
        } else {
            c = LOWER[c];
            if (!wideAnywhere[c] || (row == 0 && wideRoot[c] == 0)) {
                // Most non-ASCII text: no keyword has this character (or starts with it, at the
                // root), so the walk is back at the root, which reports nothing.
                return 0;
            }
            row = wideEdge(row / columns, c) * columns;
        }
        if (end > minEnd) {
            int[] o = outputs[row / columns];
            for (int k = 0; k < o.length; k++) {
                int keyword = o[k];
                char[] tail = tails[keyword];
                if (tail == null) {
                    hits.hit(keyword, end);
                } else if (tailAt(text, end, n, tail)) {
                    hits.hit(keyword, end + tail.length);
                }
            }
        }
        return row;
    }

    /** Whether {@code tail} follows at {@code text[at, ...)} (compared lower-cased, as the scan reads). */
    private static boolean tailAt(char[] text, int at, int n, char[] tail) {
        if (at + tail.length > n) {
            return false;
        }
        for (int i = 0; i < tail.length; i++) {
            if (LOWER[text[at + i]] != tail[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hits kept in order, to be read back later: the second half's hits of a two-halves scan,
     * held until the first half has reported its own, or a caller's hits before it sorts them.
     * Reusable with {@link #clear()}; not thread-safe.
     */
    public static final class HitList implements Hits {
        private int[] keywords = new int[16];
        private int[] ends = new int[16];
        private int count;

        @Override
        public void hit(int keyword, int end) {
            if (count == keywords.length) {
                keywords = Arrays.copyOf(keywords, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            keywords[count] = keyword;
            ends[count++] = end;
        }

        public int count() {
            return count;
        }

        public int keyword(int i) {
            return keywords[i];
        }

        public int end(int i) {
            return ends[i];
        }

        public void clear() {
            count = 0;
        }
    }
}
