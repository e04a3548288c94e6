package io.threatmon.engine.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Finds every occurrence of many keywords in one pass, case-insensitively (keywords must be
 * lower-case; text is lower-cased per character as it is read, so offsets are unchanged).
 *
 * <p>Hand-written because it is the hot loop of the product: ASCII input in the states text
 * visits most walks a complete transition table (one array read per character), in the others a
 * short run of the state's own transitions over the row of a complete state; other characters
 * read the root's table or search the state's short sorted run of transitions that differ from
 * the root's. Never a failure walk while scanning. Library implementations allocate an object
 * per hit and per character class, which costs more than the scan itself. Immutable and
 * thread-safe once built.
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
     * keyword get a column of their own, all others share column 0. With ~70 columns instead of
     * 128 the rows are half the size.
     */
    private final int[] column;
    private final int columns;
    /**
     * A state is named by a code: {@code i × columns} for the i-th dense state (its row in
     * {@link #ascii}), {@code denseLimit + p} for a sparse one at {@code p} in {@link #sparse}.
     * Dense states are the shallow ones and those that prefix the most keywords
     * ({@link #denseStates}), which ordinary text keeps visiting; the others (~160,000 of
     * ~230,000 for the bundled rules) mostly have one or two edges of their own.
     */
    private final int denseLimit;
    private final int denseCount;
    /**
     * The dense states' complete ASCII transitions, a row per state, holding the target's code
     * and, bit-inverted, when the target has keywords to report: ordinary text then never reads
     * the outputs table.
     */
    private final int[] ascii;
    /**
     * The sparse states, each at its code minus {@link #denseLimit}: the row in {@link #ascii} of
     * its base (the nearest dense state on its failure chain), then {@code length << 24 | number}
     * (its number among sparse states), then its run: {@code column << 25 | target}, the target's
     * code (bit-inverted when it reports) in the low 25 bits, sorted by column. A sparse state's
     * ASCII transitions are those of its run, else its base's. A complete table for every state (as
     * this class had) was 62 MB for the bundled rules, most of it rows of deep states text seldom
     * reaches; this holds the same complete function in a few MB.
     */
    private final int[] sparse;
    /**
     * Non-ASCII transitions of the root, per character: target code + 1, 0 for none (back to the
     * root). Text in a script the rules have keywords for starts a keyword at most characters.
     */
    private final int[] wideRoot;
    /**
     * Non-ASCII transitions of the other states, per state id (dense states, then sparse ones) a
     * contiguous run sorted by character: {@code wideFrom[s]} to {@code wideFrom[s + 1]} in
     * {@code wideChars} and {@code wideTargets} (codes). A dense state's run holds every transition
     * that differs from the root's; a sparse state's those that differ from its base's, whose run
     * is read next. Contiguous runs keep a state's few edges in one cache line, where a hash table
     * scattered them.
     */
    private final int[] wideFrom;
    private final char[] wideChars;
    private final int[] wideTargets;
    /** Non-ASCII characters that occur in some keyword: any other one leads every state back to the root. */
    private final boolean[] wideAnywhere;
    /** Per state id (dense states by row, then sparse ones by number), the keywords ending there. */
    private final int[][] outputs;
    private final int[] lengths;
    /**
     * Keywords longer than {@link #DEPTH} enter the automaton by their first {@code DEPTH}
     * characters only; the rest of each (lower-case) is compared with the text when that prefix
     * is found, and the hit is reported at the keyword's real end. Per keyword, where its tail
     * starts in {@link #tailChars} (its length is the keyword's less {@code DEPTH}), -1 for
     * shorter keywords. The tails of keywords that share a prefix are side by side, since they are
     * compared one after the other (an array each, they were ~84,000 scattered objects).
     */
    private final int[] tailFrom;
    private final char[] tailChars;
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

    /** States this deep or shallower get a complete ASCII row; deeper ones a run (see {@link #sparse}). */
    static final int DENSE_DEPTH = 2;

    /**
     * States with a complete row, at most (more when {@link #DENSE_DEPTH} alone needs more): 65,536
     * rows of ~70 columns are ~18 MB where a row for each of the bundled rules' ~230,000 states was
     * 62 MB. Timed in one JVM over JMH's 1 KB texts, this analyses as fast as complete rows
     * everywhere; 32,768 rows were ~5% slower, 16,384 ~13%.
     */
    static final int DENSE_MAX = 65_536;

    /** Builds the automaton over lower-case keywords (duplicates allowed; each keeps its index). */
    public AhoCorasick(List<String> keywords) {
        this(keywords, DENSE_DEPTH, DENSE_MAX);
    }

    /** Builds the automaton with complete rows for states at most {@code denseDepth} deep (tests vary it). */
    AhoCorasick(List<String> keywords, int denseDepth) {
        this(keywords, denseDepth, 0);
    }

    /**
     * Builds the automaton with complete rows for states at most {@code denseDepth} deep and, up
     * to {@code denseMax} states in all, for those with the most keywords below them (tests vary both).
     */
    AhoCorasick(List<String> keywords, int denseDepth, int denseMax) {
        lengths = new int[keywords.size()];
        maxLength = Math.min(DEPTH, keywords.stream().mapToInt(String::length).max().orElse(0));
        // The trie keeps each node's children as a linked list (label, first child, next sibling):
        // a 128-entry row per node would allocate tens of MB for the ~200k nodes of the bundled
        // atoms, and made loading rules slow.
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
        // States in breadth-first order (their rank): a state's failure state is shallower, so it
        // is complete by the time the state is reached.
        int[] order = new int[n];
        int[] depth = new int[n];
        int ordered = 1;
        for (int q = 0; q < ordered; q++) {
            for (int t = firstChild[order[q]]; t >= 0; t = sibling[t]) {
                depth[t] = depth[order[q]] + 1;
                order[ordered++] = t;
            }
        }
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[order[i]] = i;
        }
        tailFrom = new int[keywords.size()];
        tailChars = layOutTails(keywords, order, ownHead, sameNode, tailFrom);
        boolean[] isDense = denseStates(order, depth, firstChild, sibling, ownHead, sameNode, denseDepth, denseMax);
        // Slots: dense states numbered among themselves, sparse ones too, each in rank order.
        int[] slot = new int[n];
        int dense = 0;
        for (int q = 0; q < n; q++) {
            slot[q] = isDense[q] ? dense++ : q - dense;
        }
        denseCount = dense;
        denseLimit = dense * columns;
        // The complete ASCII function while building, by rank: rows for dense states, runs over a
        // base row for sparse ones (exactly the shape the scan reads, but in ranks).
        Build build = new Build(columns, isDense, slot, new int[denseLimit], new int[n - dense + 1], new int[n - dense],
                new Runs());
        int[] fail = new int[n];
        boolean[] reports = new boolean[n];
        int[][] outs = new int[n][];
        outs[0] = new int[0];
        Own own = new Own();
        for (int q = 0; q < n; q++) {
            int s = order[q];
            int f = rank[fail[s]];
            if (s != 0) {
                outs[q] = withOwn(ownHead[s], sameNode, outs[f]);
            }
            own.clear();
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                if (label[t] < ASCII) {
                    own.add(column[label[t]], rank[t]);
                }
            }
            if (isDense[q]) {
                int row = slot[q] * columns;
                if (q != 0) {
                    for (int col = 0; col < columns; col++) {
                        build.rows[row + col] = build.next(f, col);
                    }
                }
                for (int k = 0; k < own.count; k++) {
                    build.rows[row + own.keys[k]] = own.targets[k];
                }
            } else {
                int j = slot[q];
                Runs runs = build.runs;
                build.runFrom[j] = runs.size;
                if (isDense[f]) {
                    build.base[j] = slot[f];
                    runs.merge(0, 0, own);
                } else {
                    build.base[j] = build.base[slot[f]];
                    runs.merge(build.runFrom[slot[f]], build.runFrom[slot[f] + 1], own);
                }
                build.runFrom[j + 1] = runs.size;
            }
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                char c = label[t];
                int ft;
                if (s == 0) {
                    ft = 0;
                } else if (c < ASCII) {
                    ft = order[build.next(f, column[c])];
                } else {
                    ft = wideFailure(fail[s], c, firstChild, sibling, label, fail, rootChild);
                }
                fail[t] = ft;
                reports[t] = ownHead[t] >= 0 || reports[ft];
            }
        }
        // Sparse states laid out in depth-first order, so a keyword's chain of deep states lies in
        // consecutive memory: following a keyword reads the next cache line, not a random one.
        int[] sparseOrder = new int[n - dense];
        int laid = 0;
        int[] stack = new int[n];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int s = stack[--top];
            if (!isDense[rank[s]]) {
                sparseOrder[laid++] = rank[s];
            }
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                stack[top++] = t;
            }
        }
        int[] code = new int[n];
        int[] id = new int[n];
        int laidSize = 0;
        for (int i = 0; i < laid; i++) {
            int q = sparseOrder[i];
            code[q] = denseLimit + laidSize;
            id[q] = dense + i;
            laidSize += 2 + build.runFrom[slot[q] + 1] - build.runFrom[slot[q]];
        }
        if ((long) denseLimit + laidSize >= 1 << 24) {
            throw new IllegalArgumentException("too many keywords for one automaton: " + n + " states");
        }
        for (int q = 0; q < n; q++) {
            if (isDense[q]) {
                code[q] = slot[q] * columns;
                id[q] = slot[q];
            }
        }
        this.ascii = new int[denseLimit];
        for (int i = 0; i < denseLimit; i++) {
            int t = build.rows[i];
            ascii[i] = reports[order[t]] ? ~code[t] : code[t];
        }
        Runs built = build.runs;
        this.sparse = new int[laidSize];
        for (int i = 0; i < laid; i++) {
            int q = sparseOrder[i];
            int p = code[q] - denseLimit;
            int j = slot[q];
            int from = build.runFrom[j];
            int len = build.runFrom[j + 1] - from;
            sparse[p] = build.base[j] * columns;
            sparse[p + 1] = len << 24 | i;
            for (int k = 0; k < len; k++) {
                int t = built.targets[from + k];
                int v = reports[order[t]] ? ~code[t] : code[t];
                sparse[p + 2 + k] = built.cols[from + k] << 25 | (v & 0x1FFFFFF);
            }
        }
        this.outputs = new int[n][];
        for (int q = 0; q < n; q++) {
            outputs[id[q]] = outs[q];
        }
        Wide wide = wideTransitions(order, rank, firstChild, sibling, label, fail, code, id, isDense, slot, build.base);
        this.wideRoot = wide.root();
        this.wideAnywhere = wide.anywhere();
        this.wideFrom = wide.from();
        this.wideChars = wide.chars();
        this.wideTargets = wide.targets();
    }

    /**
     * The tails of keywords longer than {@link #DEPTH}, node by node in {@code order} (so those
     * sharing a prefix are side by side); fills {@code tailFrom} (-1 for shorter keywords).
     */
    private static char[] layOutTails(List<String> keywords, int[] order, int[] ownHead, int[] sameNode, int[] tailFrom) {
        int total = 0;
        for (String w : keywords) {
            total += Math.max(0, w.length() - DEPTH);
        }
        char[] chars = new char[total];
        int at = 0;
        for (int s : order) {
            for (int k = ownHead[s]; k >= 0; k = sameNode[k]) {
                int length = keywords.get(k).length();
                if (length > DEPTH) {
                    tailFrom[k] = at;
                    keywords.get(k).getChars(DEPTH, length, chars, at);
                    at += length - DEPTH;
                } else {
                    tailFrom[k] = -1;
                }
            }
        }
        return chars;
    }

    /** The non-ASCII transitions as the scan reads them ({@link #wideRoot}, {@link #wideFrom}). */
    private record Wide(int[] root, boolean[] anywhere, int[] from, char[] chars, int[] targets) {}

    /**
     * Builds the non-ASCII transitions: {@code order}, {@code rank}, {@code fail} as the
     * constructor has them; {@code code} and {@code id} of each rank; which ranks are dense, their
     * slots and, per sparse slot, the dense slot of its base.
     */
    private static Wide wideTransitions(int[] order, int[] rank, int[] firstChild, int[] sibling, char[] label,
            int[] fail, int[] code, int[] id, boolean[] isDense, int[] slot, int[] baseSlot) {
        int n = order.length;
        // Non-ASCII transitions complete like the ASCII table (no failure walk while scanning), but
        // stored only where they differ from the root's: a state inherits its failure state's
        // differing entries and adds its own edges. States whose failure state is the root (most
        // of them) store only their own edges, and states without either store nothing, so the
        // table stays near the size of the trie's non-ASCII part.
        // Built in rank order straight into the contiguous runs: a state's failure state has a
        // lower rank, so its run is complete when the state's own is merged with it.
        int[] wideRoot = new int[0x10000];
        boolean[] wideAnywhere = new boolean[0x10000];
        int[] wideFrom = new int[n + 1];
        Runs runs = new Runs();
        Own own = new Own();
        for (int r = 0; r < n; r++) {
            int s = order[r];
            wideFrom[r] = runs.size;
            own.clear();
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                if (label[t] >= ASCII) {
                    own.add(label[t], code[rank[t]]);
                }
            }
            for (int k = 0; k < own.count; k++) {
                wideAnywhere[own.keys[k]] = true;
            }
            if (r == 0) {
                for (int k = 0; k < own.count; k++) {
                    wideRoot[own.keys[k]] = own.targets[k] + 1;
                }
            } else if (fail[s] != 0) {
                runs.merge(wideFrom[rank[fail[s]]], wideFrom[rank[fail[s]] + 1], own);
            } else {
                runs.merge(0, 0, own);
            }
        }
        int at = runs.size;
        wideFrom[n] = at;
        char[] chars = new char[at];
        for (int k = 0; k < at; k++) {
            chars[k] = (char) runs.cols[k];
        }
        int[] targets = runs.targets;
        // Built by rank; read by id. A sparse state keeps only the entries that differ from its
        // base's (its own chain's edges): inheriting every non-ASCII entry of its failure chain, as
        // dense states do, was 2.7 million entries (16 MB) for the bundled rules' scripts.
        int[] byId = new int[n + 1];
        char[] keptChars = new char[at];
        int[] keptTargets = new int[at];
        int[] rankOf = new int[n];
        for (int q = 0; q < n; q++) {
            rankOf[id[q]] = q;
        }
        int put = 0;
        for (int i = 0; i < n; i++) {
            int q = rankOf[i];
            byId[i] = put;
            int baseRank = isDense[q] ? -1 : rankOf[baseSlot[slot[q]]];
            for (int k = wideFrom[q]; k < wideFrom[q + 1]; k++) {
                if (baseRank < 0 || find(chars, targets, wideFrom[baseRank], wideFrom[baseRank + 1], chars[k]) != targets[k]) {
                    keptChars[put] = chars[k];
                    keptTargets[put++] = targets[k];
                }
            }
        }
        byId[n] = put;
        return new Wide(wideRoot, wideAnywhere, byId, Arrays.copyOf(keptChars, put), Arrays.copyOf(keptTargets, put));
    }

    /**
     * Which states (by rank) get a complete row: the root and every state at most
     * {@code denseDepth} deep, then, up to {@code denseMax} in all, the states with the most
     * keywords below them. Those are the prefixes common words share ("the ", "you", " to "),
     * which ordinary text walks through all the time; a rare keyword's private chain is read from
     * runs.
     */
    private static boolean[] denseStates(int[] order, int[] depth, int[] firstChild, int[] sibling, int[] ownHead,
            int[] sameNode, int denseDepth, int denseMax) {
        int n = order.length;
        int[] below = new int[n];
        for (int q = n - 1; q >= 0; q--) {
            int s = order[q];
            for (int k = ownHead[s]; k >= 0; k = sameNode[k]) {
                below[s]++;
            }
            for (int t = firstChild[s]; t >= 0; t = sibling[t]) {
                below[s] += below[t];
            }
        }
        boolean[] dense = new boolean[n];
        int count = 0;
        long[] others = new long[n];
        int m = 0;
        for (int q = 0; q < n; q++) {
            if (q == 0 || depth[order[q]] <= denseDepth) {
                dense[q] = true;
                count++;
            } else {
                others[m++] = (long) below[order[q]] << 32 | (n - q); // most keywords first, then lowest rank
            }
        }
        Arrays.sort(others, 0, m);
        for (int i = m - 1; i >= 0 && count < denseMax; i--) {
            dense[n - (int) others[i]] = true;
            count++;
        }
        return dense;
    }

    /** The complete ASCII function while building, in ranks: dense rows and sparse runs over a base row. */
    private record Build(int columns, boolean[] isDense, int[] slot, int[] rows, int[] runFrom, int[] base, Runs runs) {

        /** The ASCII transition from rank {@code q} on column {@code col}: a rank. */
        int next(int q, int col) {
            if (isDense[q]) {
                return rows[slot[q] * columns + col];
            }
            int j = slot[q];
            for (int k = runFrom[j]; k < runFrom[j + 1]; k++) {
                if (runs.cols[k] == col) {
                    return runs.targets[k];
                }
            }
            return rows[base[j] * columns + col];
        }
    }

    /**
     * A state's own edges of one kind (ASCII by column, or non-ASCII by character) while building,
     * sorted by key; cleared and reused from state to state.
     */
    private static final class Own {
        int[] keys = new int[16];
        int[] targets = new int[16];
        int count;

        void clear() {
            count = 0;
        }

        /** Inserts by key: a state has few edges of its own (the root aside). */
        void add(int key, int target) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                targets = Arrays.copyOf(targets, count * 2);
            }
            int k = count++;
            while (k > 0 && keys[k - 1] > key) {
                keys[k] = keys[k - 1];
                targets[k] = targets[k - 1];
                k--;
            }
            keys[k] = key;
            targets[k] = target;
        }
    }

    /**
     * Runs of transitions while building: keys (columns or characters) and targets, appended
     * state by state; a state's run is its failure state's, earlier in the same arrays, merged
     * with its own edges.
     */
    private static final class Runs {
        int[] cols = new int[1024];
        int[] targets = new int[1024];
        int size;

        /** Appends the run {@code [lo, hi)} merged with {@code own} (both sorted by key); an own edge wins. */
        void merge(int lo, int hi, Own own) {
            if (size + own.count + (hi - lo) > cols.length) {
                int grown = Math.max(cols.length * 2, size + own.count + (hi - lo));
                cols = Arrays.copyOf(cols, grown);
                targets = Arrays.copyOf(targets, grown);
            }
            int i = lo;
            int k = 0;
            while (i < hi || k < own.count) {
                if (k == own.count || (i < hi && cols[i] < own.keys[k])) {
                    cols[size] = cols[i];
                    targets[size++] = targets[i++];
                } else {
                    if (i < hi && cols[i] == own.keys[k]) {
                        i++;
                    }
                    cols[size] = own.keys[k];
                    targets[size++] = own.targets[k++];
                }
            }
        }
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

    /** The non-ASCII transition from the state with code {@code row} on {@code c}: a state code (0 for the root). */
    private int wideEdge(int row, char c) {
        if (row != 0) {
            int id = idOf(row);
            int t = find(wideChars, wideTargets, wideFrom[id], wideFrom[id + 1], c);
            if (t >= 0) {
                return t;
            }
            if (row >= denseLimit) {
                int base = sparse[row - denseLimit] / columns; // a sparse state's base: a dense id
                t = find(wideChars, wideTargets, wideFrom[base], wideFrom[base + 1], c);
                if (t >= 0) {
                    return t;
                }
            }
        }
        return Math.max(0, wideRoot[c] - 1); // not stored: the same as the root's
    }

    /** The target stored for {@code c} in the sorted run {@code [lo, hi)}, or -1. */
    private static int find(char[] chars, int[] targets, int lo, int hi, char c) {
        hi--;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char m = chars[mid];
            if (m < c) {
                lo = mid + 1;
            } else if (m > c) {
                hi = mid - 1;
            } else {
                return targets[mid];
            }
        }
        return -1;
    }

    /** The id of the state with code {@code code} (its index in {@link #outputs} and {@link #wideFrom}). */
    private int idOf(int code) {
        return code < denseLimit ? code / columns : denseCount + (sparse[code - denseLimit + 1] & 0xFFFFFF);
    }

    /** The ASCII transition of the state with code {@code row} on column {@code col}, as {@link #ascii} holds it. */
    private int asciiNext(int row, int col) {
        if (row < denseLimit) {
            return ascii[row + col];
        }
        int p = row - denseLimit;
        int end = p + 2 + (sparse[p + 1] >>> 24);
        for (int k = p + 2; k < end; k++) {
            int e = sparse[k];
            if (e >>> 25 == col) {
                return e << 7 >> 7;
            }
        }
        return ascii[sparse[p] + col];
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
        final int denseLimit = this.denseLimit;
        while (i < mid) {
            char a = text[i];
            char b = text[j];
            if ((a | b) < ASCII) {
                int va;
                int vb;
                if ((rowA | rowB) < denseLimit) {
                    va = ascii[rowA + column[a]];
                    vb = ascii[rowB + column[b]];
                } else {
                    va = asciiNext(rowA, column[a]);
                    vb = asciiNext(rowB, column[b]);
                }
                i++;
                j++;
                if ((va | vb) >= 0) {
                    rowA = va;
                    rowB = vb;
                    continue;
                }
                rowA = va >= 0 ? va : report(text, n, ~va, i, hits, -1);
                rowB = vb >= 0 ? vb : report(text, n, ~vb, j, later, mid);
                continue;
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
        final int denseLimit = this.denseLimit;
        for (int i = from; i < to; i++) {
            char c = text[i];
            if (c < ASCII) {
                int v = row < denseLimit ? ascii[row + column[c]] : asciiNext(row, column[c]);
                row = v >= 0 ? v : report(text, to, ~v, i + 1, hits, minEnd);
                continue;
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
            int v = asciiNext(row, column[c]);
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
            row = wideEdge(row, c);
        }
        return report(text, n, row, end, hits, minEnd);
    }

    /** Reports the keywords of state {@code row} that end at {@code end} (when past {@code minEnd}); returns {@code row}. */
    private int report(char[] text, int n, int row, int end, Hits hits, int minEnd) {
        if (end > minEnd) {
            int[] o = outputs[idOf(row)];
            for (int k = 0; k < o.length; k++) {
                int keyword = o[k];
                int from = tailFrom[keyword];
                if (from < 0) {
                    hits.hit(keyword, end);
                } else {
                    int length = lengths[keyword] - DEPTH;
                    if (tailAt(text, end, n, from, length)) {
                        hits.hit(keyword, end + length);
                    }
                }
            }
        }
        return row;
    }

    /** Whether the tail {@code tailChars[from, from + length)} follows at {@code text[at, ...)} (compared lower-cased, as the scan reads). */
    private boolean tailAt(char[] text, int at, int n, int from, int length) {
        if (at + length > n) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (LOWER[text[at + i]] != tailChars[from + i]) {
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
