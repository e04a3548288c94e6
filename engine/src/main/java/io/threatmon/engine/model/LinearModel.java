package io.threatmon.engine.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A trained linear model over {@link FeatureHasher} features, with its calibration: the decision
 * value {@code z = w·x + b} (a log-odds) becomes a risk 0-100 that reaches the threat threshold
 * (70) exactly at {@code z = zThreshold}, the operating point chosen on out-of-source predictions
 * at training time.
 *
 * <p>File format (big-endian, written by {@link #write}; byte-identical for identical models):
 * magic {@code TMLM}, version, name, info, feature configuration, bias, zThreshold, scale,
 * evidence floor, the number of non-zero weights, their bucket indices delta-encoded as varints,
 * then the weights as float32.
 *
 * <pre>{@code
 * LinearModel m = LinearModel.read(Files.newInputStream(Path.of("model.bin")));
 * int risk = m.risk(m.decision(vector));
 * }</pre>
 */
public final class LinearModel {

    static final int MAGIC = 0x544D4C4D; // "TMLM"
    static final int VERSION = 1;
    /** log(0.7 / 0.3): the log-odds that maps to risk 70. */
    static final double LOGIT_70 = Math.log(0.7 / 0.3);

    private final String name;
    private final String info;
    private final FeatureConfig config;
    private final float[] weights;
    private final double bias;
    private final double zThreshold;
    private final double scale;
    private final int evidenceFloor;

    /**
     * @param weights       dense weights, one per bucket ({@code config.buckets()} long)
     * @param zThreshold    decision value at which the model's risk is 70
     * @param scale         log-odds of risk per unit of decision value (1 = z is used as is)
     * @param evidenceFloor model risks below this are not reported as evidence
     */
    public LinearModel(String name, String info, FeatureConfig config, float[] weights, double bias, double zThreshold,
            double scale, int evidenceFloor) {
        this.name = Objects.requireNonNull(name, "name");
        this.info = info == null ? "" : info;
        this.config = Objects.requireNonNull(config, "config");
        if (weights.length != config.buckets()) {
            throw new IllegalArgumentException("expected " + config.buckets() + " weights, not " + weights.length);
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive");
        }
        this.weights = weights;
        this.bias = bias;
        this.zThreshold = zThreshold;
        this.scale = scale;
        this.evidenceFloor = evidenceFloor;
    }

    public String name() {
        return name;
    }

    public String info() {
        return info;
    }

    public FeatureConfig config() {
        return config;
    }

    public double bias() {
        return bias;
    }

    public double zThreshold() {
        return zThreshold;
    }

    public double scale() {
        return scale;
    }

    public int evidenceFloor() {
        return evidenceFloor;
    }

    /** The weights (not copied: do not modify). */
    float[] weights() {
        return weights;
    }

    /** Number of non-zero weights. */
    public int nonZeroWeights() {
        int n = 0;
        for (float w : weights) {
            if (w != 0f) {
                n++;
            }
        }
        return n;
    }

    /** The decision value (log-odds) of an accumulated, not yet normalised, feature table. */
    public double decision(FeatureHasher.Accumulator acc) {
        return acc.dot(weights) + bias;
    }

    /** The decision value of a normalised sparse vector. */
    public double decision(FeatureHasher.Vector v) {
        double z = bias;
        for (int i = 0; i < v.indices().length; i++) {
            z += weights[v.indices()[i]] * v.values()[i];
        }
        return z;
    }

    /** Probability of an attack according to the raw model (uncalibrated logistic output). */
    public static double probability(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * Risk 0-100 for a decision value: {@code 100 × σ(logit(0.7) + scale × (z − zThreshold))},
     * so risk ≥ 70 exactly when {@code z ≥ zThreshold}.
     */
    public int risk(double z) {
        double r = 100 * probability(LOGIT_70 + scale * (z - zThreshold));
        int rounded = (int) Math.round(r);
        return z >= zThreshold ? Math.max(70, Math.min(100, rounded)) : Math.max(0, Math.min(69, rounded));
    }

    /** This model with another operating point, scale and evidence floor. */
    public LinearModel withCalibration(double newZThreshold, double newScale, int newFloor) {
        return new LinearModel(name, info, config, weights, bias, newZThreshold, newScale, newFloor);
    }

    /** This model with another description. */
    public LinearModel withInfo(String newInfo) {
        return new LinearModel(name, newInfo, config, weights, bias, zThreshold, scale, evidenceFloor);
    }

    /** Writes the model (see the class doc for the format). */
    public void write(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        d.writeUTF(name);
        d.writeUTF(info);
        d.writeInt(config.bits());
        d.writeInt(config.charMin());
        d.writeInt(config.charMax());
        d.writeInt(config.wordMax());
        d.writeInt(config.chunkSize());
        d.writeInt(config.chunkStep());
        d.writeDouble(bias);
        d.writeDouble(zThreshold);
        d.writeDouble(scale);
        d.writeInt(evidenceFloor);
        int nnz = nonZeroWeights();
        d.writeInt(nnz);
        ByteArrayOutputStream idx = new ByteArrayOutputStream(nnz * 2);
        int prev = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0f) {
                writeVarint(idx, i - prev);
                prev = i;
            }
        }
        d.writeInt(idx.size());
        idx.writeTo(d);
        for (float w : weights) {
            if (w != 0f) {
                d.writeFloat(w);
            }
        }
        d.flush();
    }

    /** Reads a model written by {@link #write}. */
    public static LinearModel read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        if (d.readInt() != MAGIC) {
            throw new IOException("not a ThreatMon model file (bad magic)");
        }
        int version = d.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported model file version " + version + " (expected " + VERSION + ")");
        }
        String name = d.readUTF();
        String info = d.readUTF();
        FeatureConfig config;
        try {
            config = new FeatureConfig(d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt(), d.readInt());
        } catch (IllegalArgumentException e) {
            throw new IOException("bad model file: " + e.getMessage());
        }
        double bias = d.readDouble();
        double zThreshold = d.readDouble();
        double scale = d.readDouble();
        int floor = d.readInt();
        int nnz = d.readInt();
        int idxBytes = d.readInt();
        if (nnz < 0 || nnz > config.buckets() || idxBytes < 0 || idxBytes > 5 * nnz) {
            throw new IOException("bad model file: " + nnz + " weights");
        }
        byte[] idx = d.readNBytes(idxBytes);
        if (idx.length != idxBytes) {
            throw new IOException("bad model file: truncated");
        }
        float[] weights = new float[config.buckets()];
        int[] indices = new int[nnz];
        int pos = 0;
        int prev = -1;
        for (int i = 0; i < nnz; i++) {
            int delta = 0;
            int shift = 0;
            while (true) {
                if (pos >= idx.length) {
                    throw new IOException("bad model file: truncated index");
                }
                int b = idx[pos++] & 0xFF;
                delta |= (b & 0x7F) << shift;
                if (b < 0x80) {
                    break;
                }
                shift += 7;
            }
            prev += delta;
            if (prev >= weights.length || delta <= 0) {
                throw new IOException("bad model file: index out of range");
            }
            indices[i] = prev;
        }
        for (int i = 0; i < nnz; i++) {
            weights[indices[i]] = d.readFloat();
        }
        return new LinearModel(name, info, config, weights, bias, zThreshold, scale, floor);
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }
}
