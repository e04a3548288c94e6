package io.threatmon.engine.model;

/**
 * How a text becomes a feature vector; stored in the model file so inference extracts exactly
 * the features the model was trained on.
 *
 * <pre>{@code
 * FeatureConfig big = new FeatureConfig(20, 2, 5, 2, 512, 256); // 2^20 buckets instead of the default 2^18
 * }</pre>
 *
 * @param bits      log2 of the number of hash buckets (16-24)
 * @param charMin   shortest character n-gram
 * @param charMax   longest character n-gram
 * @param wordMax   longest word n-gram (0 = no word features, 1 = unigrams, 2 = +bigrams)
 * @param chunkSize characters per chunk; longer texts are scored chunk by chunk (max)
 * @param chunkStep distance between chunk starts (less than chunkSize: chunks overlap)
 */
public record FeatureConfig(int bits, int charMin, int charMax, int wordMax, int chunkSize, int chunkStep) {

    /** The configuration of the shipped model. */
    public static final FeatureConfig DEFAULT = new FeatureConfig(18, 2, 5, 2, 512, 256);

    public FeatureConfig {
        if (bits < 10 || bits > 24) {
            throw new IllegalArgumentException("bits must be 10-24, not " + bits);
        }
        if (charMin < 1 || charMax < charMin || charMax > 8) {
            throw new IllegalArgumentException("char n-gram range must be within 1-8, not " + charMin + "-" + charMax);
        }
        if (wordMax < 0 || wordMax > 2) {
            throw new IllegalArgumentException("wordMax must be 0-2, not " + wordMax);
        }
        if (chunkSize < 100 || chunkStep < 1 || chunkStep > chunkSize) {
            throw new IllegalArgumentException("bad chunking " + chunkSize + "/" + chunkStep);
        }
    }

    public int buckets() {
        return 1 << bits;
    }
}
