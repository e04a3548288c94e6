package io.threatmon.engine.internal;

import java.util.Arrays;

/**
 * Where the atoms of each regex occurred in one text: per regex id, the spans of its atom hits,
 * in text order. Made per scan; not thread-safe.
 */
public final class AtomHits {

    private final int[] head;
    private final int[] tail;
    private int[] next = new int[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int count;

    public AtomHits(int regexCount) {
        head = new int[regexCount];
        tail = new int[regexCount];
        Arrays.fill(head, -1);
    }

    /** Records that an atom of {@code regex} spans {@code [start, end)}. */
    public void add(int regex, int start, int end) {
        if (count == next.length) {
            next = Arrays.copyOf(next, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
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

    /** True when some atom of {@code regex} occurred. */
    public boolean any(int regex) {
        return head[regex] >= 0;
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
