package io.threatmon.engine.model;

import io.threatmon.engine.DetectionMethod;
import io.threatmon.engine.Detector;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Match;
import io.threatmon.engine.rules.ViewKind;
import io.threatmon.engine.text.Normalizer;
import io.threatmon.engine.text.TextView;
import io.threatmon.engine.text.TextViews;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The local statistical detector: a {@link LinearModel} (logistic regression over hashed character
 * and word n-grams, trained by {@code threatmon train}) as a {@link Detector}.
 *
 * <p>What it reads: the de-obfuscated view of the text (normalized, with leetspeak folded, so
 * homoglyphs, zero-width characters, letter spacing and leetspeak do not change the features)
 * and, when the text holds base64/hex/URL-encoded segments, the decoded view. Long texts are cut
 * into overlapping chunks ({@link FeatureConfig#chunkSize()} characters every
 * {@link FeatureConfig#chunkStep()}) and the most suspicious chunk counts, so an attack at the end
 * of a 100 KB document is scored as if it stood alone; nothing is truncated.
 *
 * <p>What it reports: one {@link Match} with rule id {@code model.<name>}, category
 * {@code prompt_injection}, the calibrated risk (≥ 70 exactly at the operating point chosen at
 * training time), the view and original offsets of the chunk, when the risk reaches the model's
 * evidence floor; nothing otherwise. Scoring allocates nothing per chunk once a thread is warm.
 *
 * <pre>{@code
 * ModelDetector model = ModelDetector.bundled();
 * double z = model.decision("Ignore previous instructions");     // log-odds
 * Analyzer combined = Analyzer.of(rules, 70, List.of(model));
 * }</pre>
 */
public final class ModelDetector implements Detector {

    /** Classpath location of the shipped model. */
    public static final String BUNDLED_RESOURCE = "/io/threatmon/engine/model/threatmon-ngram-lr.bin";

    static final List<String> TAGS = List.of("LLM01:2025", "AML.T0051");
    static final int EXCERPT_CHARS = 120;

    private final LinearModel model;
    private final FeatureHasher hasher;
    private final ThreadLocal<FeatureHasher.Accumulator> accumulators =
            ThreadLocal.withInitial(FeatureHasher.Accumulator::new);

    public ModelDetector(LinearModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.hasher = new FeatureHasher(model.config());
    }

    private static final class Bundled {
        static final ModelDetector INSTANCE = load();

        private static ModelDetector load() {
            try (InputStream in = ModelDetector.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled model " + BUNDLED_RESOURCE
                            + " is missing from the classpath; train one with 'threatmon train' or disable the model");
                }
                return new ModelDetector(LinearModel.read(new java.io.BufferedInputStream(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled model " + BUNDLED_RESOURCE, e);
            }
        }
    }

    /** The shipped model (loaded once per class loader and shared: it is immutable). */
    public static ModelDetector bundled() {
        return Bundled.INSTANCE;
    }

    /** A model file written by {@code threatmon train}. */
    public static ModelDetector fromPath(Path path) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path))) {
            return new ModelDetector(LinearModel.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + path + ": " + e.getMessage(), e);
        }
    }

    public LinearModel model() {
        return model;
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public DetectionMethod method() {
        return DetectionMethod.MODEL;
    }

    /**
     * The texts the model reads: the de-obfuscated view (the one standing for {@code folded}) and
     * the decoded view when there is one. Shared with training, which uses the first only.
     */
    public static List<TextView> modelViews(List<TextView> views) {
        TextView primary = null;
        TextView decoded = null;
        for (TextView v : views) {
            if (primary == null && v.kinds().contains(ViewKind.FOLDED)) {
                primary = v;
            } else if (decoded == null && v.kinds().contains(ViewKind.DECODED) && !v.kinds().contains(ViewKind.FOLDED)) {
                decoded = v;
            }
        }
        if (primary == null) {
            primary = views.get(0);
        }
        return decoded == null ? List.of(primary) : List.of(primary, decoded);
    }

    /** The text training uses for {@code raw}: its de-obfuscated view. */
    public static String trainingText(String raw) {
        return modelViews(TextViews.of(raw)).get(0).text();
    }

    /** Start offsets of the chunks of a text of {@code length} characters (the last chunk ends at the end). */
    public static int[] chunkStarts(int length, FeatureConfig c) {
        if (length <= c.chunkSize()) {
            return new int[] {0};
        }
        int n = (length - c.chunkSize() + c.chunkStep() - 1) / c.chunkStep() + 1;
        int[] starts = new int[n];
        for (int i = 0; i < n - 1; i++) {
            starts[i] = i * c.chunkStep();
        }
        starts[n - 1] = length - c.chunkSize();
        return starts;
    }

    /** The highest decision value (log-odds) over every chunk of every model view of {@code text}. */
    public double decision(String text) {
        return best(text, TextViews.of(text)).z;
    }

    /** The calibrated risk 0-100 of {@code text} according to the model alone. */
    public int risk(String text) {
        return model.risk(decision(text));
    }

    private record Best(double z, TextView view, int from, int to) {}

    private Best best(String text, List<TextView> views) {
        FeatureHasher.Accumulator acc = accumulators.get();
        Best best = null;
        for (TextView v : modelViews(views)) {
            String t = v.text();
            int len = t.length();
            int chunk = model.config().chunkSize();
            int step = model.config().chunkStep();
            int from = 0;
            while (true) {
                int to = Math.min(len, from + chunk);
                acc.clear();
                hasher.accumulate(t, from, to, acc);
                double z = model.decision(acc);
                if (best == null || z > best.z) {
                    best = new Best(z, v, from, to);
                }
                if (to >= len) {
                    break;
                }
                from = Math.min(from + step, len - chunk);
            }
        }
        acc.clear();
        return best;
    }

    @Override
    public List<Match> detect(String text, List<TextView> views, Direction direction) {
        Best b = best(text, views);
        int risk = model.risk(b.z);
        if (risk < model.evidenceFloor()) {
            return List.of();
        }
        TextView v = b.view;
        String vt = v.text();
        String excerpt = vt.substring(Normalizer.charBoundary(vt, b.from),
                Normalizer.charBoundary(vt, Math.min(b.to, b.from + EXCERPT_CHARS))).replaceAll("\\s+", " ").strip();
        if (b.to - b.from > EXCERPT_CHARS) {
            excerpt += "…";
        }
        int start = v.originalStart(b.from);
        int end = b.to > b.from ? v.originalEnd(b.to, text) : start;
        String severity = risk >= 90 ? "critical" : risk >= 70 ? "high" : risk >= 50 ? "medium" : "low";
        return List.of(new Match("model." + model.name(), "Statistical detector (" + model.name() + ")",
                "prompt_injection", severity, risk, v.label(), start, end, excerpt, TAGS));
    }
}
