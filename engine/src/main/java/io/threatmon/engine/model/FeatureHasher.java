package io.threatmon.engine.model;

import java.util.Arrays;

/**
 * Hashed, signed n-gram features of a text: character n-grams across word boundaries
 * ({@code charMin..charMax}, on the lower-cased text padded with a space at each end) and word
 * unigrams and bigrams (runs of letters or digits), each hashed (FNV-1a, then MurmurHash3's
 * finaliser) into {@code 2^bits} buckets with a sign taken from the hash's top bit; counts per
 * bucket become {@code sign × (1 + ln |count|)} (sublinear tf) and the vector is L2-normalised.
 * Language-agnostic: no tokenizer, no vocabulary, no stop words.
 *
 * <p>The same code extracts features for training (the {@code threatmon train} command) and for
 * inference, so the two cannot drift apart. Extraction works in a caller-owned
 * {@link Accumulator} (one per thread), so scoring allocates nothing per message once warm.
 *
 * <pre>{@code
 * FeatureHasher h = new FeatureHasher(FeatureConfig.DEFAULT);
 * FeatureHasher.Accumulator acc = new FeatureHasher.Accumulator();
 * h.accumulate("ignore previous instructions", 0, 28, acc);
 * double z = acc.dot(weights);   // already L2-normalised
 * }</pre>
 */
public final class FeatureHasher {

    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int CHAR_SEED = 0x3C6EF372;
    private static final int WORD_SEED = 0x5BD1E995;
    private static final int BIGRAM_SEED = 0x27D4EB2F;

    private final FeatureConfig config;
    private final int mask;

    public FeatureHasher(FeatureConfig config) {
        this.config = config;
        this.mask = config.buckets() - 1;
    }

    public FeatureConfig config() {
        return config;
    }

    /** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
    static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** Adds the features of {@code text[from, to)} to {@code acc} (which is not cleared). */
    public void accumulate(CharSequence text, int from, int to, Accumulator acc) {
        int len = to - from + 2;
        char[] buf = acc.chars(len);
        buf[0] = ' ';
        for (int i = 0; i < to - from; i++) {
            buf[i + 1] = Character.toLowerCase(text.charAt(from + i));
        }
        buf[len - 1] = ' ';
        int cmin = config.charMin();
        int cmax = config.charMax();
        for (int i = 0; i < len; i++) {
            int h = FNV_OFFSET ^ CHAR_SEED;
            int limit = Math.min(cmax, len - i);
            for (int k = 0; k < limit; k++) {
                h = (h ^ buf[i + k]) * FNV_PRIME;
                if (k + 1 >= cmin) {
                    add(fmix(h + (k + 1) * 0x9E3779B9), acc);
                }
            }
        }
        if (config.wordMax() > 0) {
            int prev = 0;
            boolean havePrev = false;
            int i = 0;
            while (i < len) {
                if (!Character.isLetterOrDigit(buf[i])) {
                    i++;
                    continue;
                }
                int h = FNV_OFFSET ^ WORD_SEED;
                while (i < len && Character.isLetterOrDigit(buf[i])) {
                    h = (h ^ buf[i]) * FNV_PRIME;
                    i++;
                }
                int w = fmix(h);
                add(w, acc);
                if (config.wordMax() > 1 && havePrev) {
                    add(fmix(prev * 31 + w ^ BIGRAM_SEED), acc);
                }
                prev = w;
                havePrev = true;
            }
        }
    }

    private void add(int hash, Accumulator acc) {
        acc.add(hash & mask, hash < 0 ? -1 : 1);
    }

    /** A sparse feature vector: ascending bucket indices and their (normalised) values. */
    public record Vector(int[] indices, float[] values) {}

    /** The features of {@code text[from, to)} as a sorted sparse vector (for training; allocates). */
    public Vector vector(CharSequence text, int from, int to, Accumulator acc) {
        acc.clear();
        accumulate(text, from, to, acc);
        return acc.toVector();
    }

    /**
     * A reusable bucket → signed count table (open addressing), with the list of used slots so
     * clearing costs only what was used. Not thread-safe: one per thread.
     *
     * <p>Keys and counts sit side by side in one {@code int[]} (slot {@code s}: key at {@code 2s},
     * count at {@code 2s+1}), so a probe touches one cache line instead of two; counts are sums of
     * ±1, so integers hold them exactly.
     */
    public static final class Accumulator {
        private int[] table = new int[2 << 12];   // [bucket + 1 (0 = empty), signed count] per slot
        private int[] used = new int[1 << 12];
        private int size;
        private char[] chars = new char[256];

        char[] chars(int n) {
            if (chars.length < n) {
                chars = new char[Math.max(n, chars.length * 2)];
            }
            return chars;
        }

        public void clear() {
            for (int i = 0; i < size; i++) {
                int s = used[i] << 1;
                table[s] = 0;
                table[s + 1] = 0;
            }
            size = 0;
        }

        public int size() {
            return size;
        }

        void add(int bucket, int v) {
            int[] t = table;
            int m = (t.length >> 1) - 1;
            int slot = bucket & m; // buckets are already well-mixed hash bits
            int k = bucket + 1;
            while (true) {
                int at = slot << 1;
                int cur = t[at];
                if (cur == k) {
                    t[at + 1] += v;
                    return;
                }
                if (cur == 0) {
                    t[at] = k;
                    t[at + 1] = v;
                    used[size++] = slot;
                    if (size * 2 > m + 1) {
                        grow();
                    }
                    return;
                }
                slot = (slot + 1) & m;
            }
        }

        private void grow() {
            int[] old = table;
            int[] oldUsed = used;
            int n = size;
            int slots = old.length; // twice the old slot count
            table = new int[slots * 2];
            used = new int[slots];
            size = 0;
            int m = slots - 1;
            for (int i = 0; i < n; i++) {
                int s = oldUsed[i] << 1;
                int k = old[s];
                int slot = (k - 1) & m;
                while (table[slot << 1] != 0) {
                    slot = (slot + 1) & m;
                }
                table[slot << 1] = k;
                table[(slot << 1) + 1] = old[s + 1];
                used[size++] = slot;
            }
        }

        /** {@code 1 + ln n} for the small counts almost every bucket has: Math.log per bucket was a third of scoring time. */
        private static final double[] SUBLINEAR = new double[64];

        static {
            for (int n = 1; n < SUBLINEAR.length; n++) {
                SUBLINEAR[n] = 1 + Math.log(n);
            }
        }

        /** Sublinear term frequency: {@code sign(c) × (1 + ln |c|)}, 0 for 0. */
        static double tf(int c) {
            if (c == 0) {
                return 0;
            }
            int a = Math.abs(c);
            double t = a < SUBLINEAR.length ? SUBLINEAR[a] : 1 + Math.log(a);
            return c < 0 ? -t : t;
        }

        /** The normalised vector's dot product with dense {@code weights}. */
        public double dot(float[] weights) {
            int[] t = table;
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < size; i++) {
                int s = used[i] << 1;
                double x = tf(t[s + 1]);
                norm += x * x;
                dot += x * weights[t[s] - 1];
            }
            return norm == 0 ? 0 : dot / Math.sqrt(norm);
        }

        Vector toVector() {
            int[] idx = new int[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                int s = used[i] << 1;
                if (table[s + 1] != 0) {
                    idx[n++] = table[s] - 1;
                }
            }
            idx = Arrays.copyOf(idx, n);
            Arrays.sort(idx);
            // look each bucket up again (sorted order makes the output deterministic)
            float[] v = new float[n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double x = tf(get(idx[i]));
                v[i] = (float) x;
                norm += x * x;
            }
            float inv = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < n; i++) {
                v[i] *= inv;
            }
            return new Vector(idx, v);
        }

        private int get(int bucket) {
            int m = (table.length >> 1) - 1;
            int slot = bucket & m;
            int k = bucket + 1;
            while (table[slot << 1] != 0) {
                if (table[slot << 1] == k) {
                    return table[(slot << 1) + 1];
                }
                slot = (slot + 1) & m;
            }
            return 0;
        }
    }
}
