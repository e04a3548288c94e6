package io.threatmon.engine.internal;

import java.util.Arrays;

/**
 * Where the atoms of each regex occurred in one text: per regex id, the spans of its main atom
 * hits in text order, and which of its further required atom sets occurred at all. Reusable
 * ({@link #reset()} clears only what the last text touched, so a rule set of 10,000 rules costs
 * nothing per text for the rules it did not touch); not thread-safe.
 */
public final class AtomHits {

    private final int[] head;
    private final int[] tail;
    private final long[] groups;
    private final long[] need;
    /** Regex ids touched since the last reset, each once. */
    private int[] touched = new int[16];
    private int touchedCount;
    private final boolean[] isTouched;
    private int[] next = new int[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;

    /**
     * @param need per regex id, the bit mask of further atom sets that must all occur (0 for none);
     *     shared, not copied
     */
    public AtomHits(long[] need) {
        int n = need.length;
        this.need = need;
        head = new int[n];
        tail = new int[n];
        groups = new long[n];
        isTouched = new boolean[n];
        Arrays.fill(head, -1);
    }

    /** Forgets the last text. */
    public void reset() {
        for (int i = 0; i < touchedCount; i++) {
            int r = touched[i];
            head[r] = -1;
            groups[r] = 0;
            isTouched[r] = false;
        }
        touchedCount = 0;
        count = 0;
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
        if (count == next.length) {
            next = Arrays.copyOf(next, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        touch(regex);
        next[count] = -1;
        starts[count] = start;
        ends[count] = end;
        if (head[regex] < 0) {
            head[regex] = count;
        } else {
            next[tail[regex]] = count;
        }
        tail[regex] = count;
        count++;
    }

    /** Records that an atom of further required set {@code group} of {@code regex} occurred. */
    public void mark(int regex, int group) {
        touch(regex);
        groups[regex] |= 1L << group;
    }

    /** True when a main atom of {@code regex} occurred and so did one of each further required set. */
    public boolean any(int regex) {
        return head[regex] >= 0 && (groups[regex] & need[regex]) == need[regex];
    }

    /** Number of regexes touched by the last text; see {@link #touched(int)}. */
    public int touchedCount() {
        return touchedCount;
    }

    /** The {@code i}-th regex id touched by the last text (in order of first hit). */
    public int touched(int i) {
        return touched[i];
    }

    /** First hit of {@code regex}, or -1; walk with {@link #next(int)}. */
    public int first(int regex) {
        return head[regex];
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
