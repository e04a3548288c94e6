package io.threatmon.engine.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** Builds the automaton over lower-case keywords (duplicates allowed; each keeps its index). */
    public AhoCorasick(List<String> keywords) {
        List<int[]> gotoAscii = new ArrayList<>();
        Map<Long, Integer> gotoWide = new HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        gotoAscii.add(newRow());
        out.add(new ArrayList<>());
        lengths = new int[keywords.size()];
        for (int k = 0; k < keywords.size(); k++) {
            String w = keywords.get(k);
            lengths[k] = w.length();
            int s = 0;
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                int next = edge(gotoAscii, gotoWide, s, c);
                if (next < 0) {
                    next = gotoAscii.size();
                    gotoAscii.add(newRow());
                    out.add(new ArrayList<>());
                    if (c < ASCII) {
                        gotoAscii.get(s)[c] = next;
                    } else {
                        gotoWide.put(key(s, c), next);
                    }
                }
                s = next;
            }
            out.get(s).add(k);
        }
        int n = gotoAscii.size();
        column = new int[ASCII];
        int cols = 1;
        for (String w : keywords) {
            for (int i = 0; i < w.length(); i++) {
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
        int[] fail = new int[n];
        // States in breadth-first order: the shallow states ordinary text keeps visiting end up
        // side by side at the start of the table, so the rows in use stay in cache.
        int[] order = new int[n];
        int ordered = 0;
        order[ordered++] = 0;
        Map<Integer, List<Character>> wideChildren = new HashMap<>();
        for (Map.Entry<Long, Integer> e : gotoWide.entrySet()) {
            wideChildren.computeIfAbsent((int) (e.getKey() >>> 16), x -> new ArrayList<>()).add((char) (e.getKey() & 0xFFFF));
        }
        int[] ascii = new int[n * columns];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ASCII; c++) {
            int t = gotoAscii.get(0)[c];
            if (t > 0 && !(c >= 'A' && c <= 'Z')) {
                ascii[column[c]] = t;
                fail[t] = 0;
                queue.add(t);
                order[ordered++] = t;
            }
        }
        for (char c : wideChildren.getOrDefault(0, List.of())) {
            int t = gotoWide.get(key(0, c));
            fail[t] = 0;
            queue.add(t);
            order[ordered++] = t;
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            out.get(s).addAll(out.get(fail[s]));
            for (int c = 0; c < ASCII; c++) {
                if (column[c] == 0 || (c >= 'A' && c <= 'Z')) {
                    continue; // column 0 always leads to the root; upper case shares the lower-case column
                }
                int col = column[c];
                int t = gotoAscii.get(s)[c];
                if (t > 0) {
                    fail[t] = ascii[fail[s] * columns + col];
                    ascii[s * columns + col] = t;
                    queue.add(t);
                    order[ordered++] = t;
                } else {
                    ascii[s * columns + col] = ascii[fail[s] * columns + col];
                }
            }
            for (char c : wideChildren.getOrDefault(s, List.of())) {
                int t = gotoWide.get(key(s, c));
                int f = fail[s];
                Integer ft;
                while ((ft = gotoWide.get(key(f, c))) == null && f != 0) {
                    f = fail[f];
                }
                fail[t] = ft != null && ft != t ? ft : 0;
                queue.add(t);
                order[ordered++] = t;
            }
        }
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[order[i]] = i;
        }
        this.ascii = new int[n * columns];
        this.outputs = new int[n][];
        for (int s = 0; s < n; s++) {
            int r = rank[s];
            for (int col = 0; col < columns; col++) {
                int t = ascii[s * columns + col];
                int offset = rank[t] * columns;
                this.ascii[r * columns + col] = out.get(t).isEmpty() ? offset : ~offset;
            }
            this.outputs[r] = out.get(s).stream().mapToInt(Integer::intValue).distinct().toArray();
        }
        // Non-ASCII transitions complete like the ASCII table (no failure walk while scanning), but
        // stored only where they differ from the root's: a state inherits its failure state's
        // differing entries and adds its own edges. States whose failure state is the root (most
        // of them) store only their own edges, so the table stays near the size of the trie.
        List<Map<Character, Integer>> wideDelta = new ArrayList<>(java.util.Collections.nCopies(n, null));
        for (int i = 0; i < ordered; i++) {
            int s = order[i];
            Map<Character, Integer> d = s != 0 && fail[s] != 0 ? new HashMap<>(wideDelta.get(fail[s])) : new HashMap<>();
            for (char c : wideChildren.getOrDefault(s, List.of())) {
                d.put(c, gotoWide.get(key(s, c)));
            }
            wideDelta.set(s, d);
        }
        this.wideRoot = new int[0x10000];
        this.wideAnywhere = new boolean[0x10000];
        this.wideFrom = new int[n + 1];
        int entries = 0;
        for (int s = 1; s < n; s++) {
            entries += wideDelta.get(s).size();
        }
        this.wideChars = new char[entries];
        this.wideTargets = new int[entries];
        int at = 0;
        for (int r = 0; r < n; r++) {
            int s = order[r];
            wideFrom[r] = at;
            java.util.TreeMap<Character, Integer> sorted = new java.util.TreeMap<>(wideDelta.get(s));
            for (Map.Entry<Character, Integer> e : sorted.entrySet()) {
                char c = e.getKey();
                wideAnywhere[c] = true;
                if (r == 0) {
                    wideRoot[c] = rank[e.getValue()] + 1;
                } else {
                    wideChars[at] = c;
                    wideTargets[at] = rank[e.getValue()];
                    at++;
                }
            }
        }
        wideFrom[n] = at;
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

    private static int[] newRow() {
        int[] row = new int[ASCII];
        Arrays.fill(row, -1);
        return row;
    }

    private static int edge(List<int[]> gotoAscii, Map<Long, Integer> gotoWide, int s, char c) {
        if (c < ASCII) {
            return gotoAscii.get(s)[c];
        }
        Integer t = gotoWide.get(key(s, c));
        return t == null ? -1 : t;
    }

    private static long key(int state, char c) {
        return ((long) state << 16) | c;
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

    /** Reports every keyword occurrence in {@code text[0, n)}. */
    public void scan(char[] text, int n, Hits hits) {
        int row = 0;
        final int[] column = this.column;
        final int[] ascii = this.ascii;
        final int columns = this.columns;
        for (int i = 0; i < n; i++) {
            char c = text[i];
            if (c < ASCII) {
                int v = ascii[row + column[c]];
                if (v >= 0) {
                    row = v;
                    continue;
                }
                row = ~v;
            } else {
                c = LOWER[c];
                if (!wideAnywhere[c] || (row == 0 && wideRoot[c] == 0)) {
                    // Most non-ASCII text: no keyword has this character (or starts with it, at the
                    // root), so the walk is back at the root, which reports nothing.
                    row = 0;
                    continue;
                }
                row = wideEdge(row / columns, c) * columns;
            }
            int[] o = outputs[row / columns];
            for (int k = 0; k < o.length; k++) {
                hits.hit(o[k], i + 1);
            }
        }
    }
}
