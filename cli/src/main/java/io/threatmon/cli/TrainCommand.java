package io.threatmon.cli;

import io.threatmon.engine.model.FeatureConfig;
import io.threatmon.engine.model.LinearModel;
import io.threatmon.engine.rules.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon train}: trains the statistical model on a labelled JSONL dataset and writes the
 * model file (the same bytes for the same dataset and settings), or with {@code --loso} measures
 * the whole procedure by leave-one-source-out cross-validation and prints the table.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the statistical detector (LIBLINEAR logistic regression over hashed char/word n-grams) "
                + "on a labelled JSONL dataset, calibrated on out-of-source predictions.",
                "With --loso: leave-one-source-out cross-validation of rules, model and combined detector; prints a table."})
final class TrainCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Labelled JSONL (id, text, label, category, subset).")
    Path dataset;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the model file.")
    Path out;

    @Option(names = "--loso", description = "Leave-one-source-out cross-validation instead of (or before) writing a model.")
    boolean loso;

    @Option(names = "--c", paramLabel = "C", defaultValue = "0.1", description = "Inverse regularisation strength (default ${DEFAULT-VALUE}, chosen by leave-one-source-out CV).")
    double c;

    @Option(names = "--positive-weight", paramLabel = "W", defaultValue = "1.0", description = "Weight of attack samples (default ${DEFAULT-VALUE}).")
    double positiveWeight;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "18", description = "log2 of hash buckets (default ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--char-ngrams", paramLabel = "MIN-MAX", defaultValue = "2-5", description = "Character n-gram lengths (default ${DEFAULT-VALUE}).")
    String charNgrams;

    @Option(names = "--word-ngrams", paramLabel = "N", defaultValue = "2", description = "Longest word n-gram, 0-2 (default ${DEFAULT-VALUE}).")
    int wordNgrams;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "512",
            description = "Characters per chunk; longer texts are trained and scored chunk by chunk (default ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--chunk-step", paramLabel = "N", defaultValue = "256",
            description = "Distance between chunk starts (default ${DEFAULT-VALUE}).")
    int chunkStep;

    @Option(names = "--target-fpr", paramLabel = "RATE", defaultValue = "0.01",
            description = "Highest combined false-positive rate allowed on any benign family, out of source (default ${DEFAULT-VALUE});"
                    + " where the rules alone are over it, the model may add no false positive.")
    double targetFpr;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1.0", description = "Risk log-odds per unit of decision value (default ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--evidence-floor", paramLabel = "RISK", defaultValue = "65",
            description = "Model risks below this are not reported as evidence (default ${DEFAULT-VALUE}).")
    int evidenceFloor;

    @Option(names = "--calibration-folds", paramLabel = "K", defaultValue = "5",
            description = "Folds for the out-of-fold predictions that choose the operating point; 0 = out-of-source "
                    + "(one fold per source group) (default ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--min-attack-groups", paramLabel = "N", defaultValue = "0",
            description = "Train only on n-gram buckets seen in attacks of at least N source groups (0 = all buckets; default ${DEFAULT-VALUE}).")
    int minAttackGroups;

    @Option(names = "--augment", paramLabel = "none|examples|injected", defaultValue = "none",
            description = "Training rows the project adds: none; the rules' examples; or those plus benign rows with an "
                    + "attack example inserted (default ${DEFAULT-VALUE}; see Augmentation).")
    ModelTrainer.Augment augment;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--name", defaultValue = "ngram-lr", description = "Model name, in evidence ids model.<name> (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--workers", paramLabel = "N", description = "Threads for features and scoring (default: all cores). Results do not depend on it.")
    Integer workers;

    @Option(names = "--dump-oos", paramLabel = "FILE", hidden = true,
            description = "Write each row's out-of-source decision value and rule risk (JSONL) for analysis.")
    Path dumpOos;

    @Mixin
    RuleOptions ruleOptions;

    TrainCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    private static void positive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new CliException(option + " must be a positive number, not " + v);
        }
    }

    ModelTrainer.Settings settings() {
        String[] r = charNgrams.split("-");
        if (r.length != 2) {
            throw new CliException("--char-ngrams must be MIN-MAX, not " + charNgrams);
        }
        FeatureConfig f = new FeatureConfig(bits, Integer.parseInt(r[0].trim()), Integer.parseInt(r[1].trim()), wordNgrams,
                chunkSize, chunkStep);
        if (!name.matches("[a-z0-9_.-]+")) {
            throw new CliException("--name must match [a-z0-9_.-]+");
        }
        if (folds == 1 || folds < 0) {
            throw new CliException("--calibration-folds must be 0 (out of source) or at least 2");
        }
        positive("--c", c);
        positive("--positive-weight", positiveWeight);
        positive("--scale", scale);
        if (!(targetFpr >= 0 && targetFpr < 1)) {
            throw new CliException("--target-fpr must be at least 0 and below 1, not " + targetFpr);
        }
        if (evidenceFloor < 1 || evidenceFloor > 70) {
            throw new CliException("--evidence-floor must be 1-70 (70 is the model's own threat line), not " + evidenceFloor);
        }
        if (minAttackGroups < 0) {
            throw new CliException("--min-attack-groups must be 0 (off) or more, not " + minAttackGroups);
        }
        return new ModelTrainer.Settings(f, c, positiveWeight, 0.01, seed, scale, evidenceFloor, targetFpr, name, folds, minAttackGroups, augment);
    }

    @Override
    public Integer call() throws Exception {
        if (out == null && !loso && dumpOos == null) {
            throw new CliException("give --out FILE (to write a model) or --loso (to cross-validate)");
        }
        ModelTrainer.Settings s = settings();
        List<Dataset.Row> rows = Dataset.read(dataset);
        RuleSet rules = ruleOptions.ruleSet(ctx);
        int threads = BatchCommand.workerThreads(workers);
        long t0 = System.nanoTime();
        ModelTrainer trainer = new ModelTrainer(s, rows, rules, threads);
        ctx.info(String.format(Locale.ROOT, "features of %d rows in %.1f s", rows.size(), (System.nanoTime() - t0) / 1e9));
        if (dumpOos != null) {
            double[] z = trainer.outOfFold(i -> true);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                Dataset.Row r = rows.get(i);
                sb.append(String.format(Locale.ROOT, "{\"id\":\"%s\",\"family\":\"%s\",\"label\":%d,\"harmful\":%b,\"z\":%s,\"rules\":%d}%n",
                        r.id(), r.family(), r.label(), r.harmful(), Double.isNaN(z[i]) ? "null" : Double.toString(z[i]),
                        io.threatmon.engine.Scoring.combine(trainer.ruleRisks.get(i))));
            }
            Files.writeString(dumpOos, sb.toString());
        }
        if (loso) {
            loso(trainer);
        }
        if (out != null) {
            long t1 = System.nanoTime();
            LinearModel m = trainer.trainCalibrated(i -> true);
            String info = String.format(Locale.ROOT, "trained on %s (%d rows, sha256 %s); LIBLINEAR L2R_LR C=%s w+=%s; "
                    + "features %s; augmentation %s; operating point chosen on %s predictions for <= %s FP per benign family",
                    dataset.getFileName(), rows.size(), sha256(dataset), c, positiveWeight, s.features(), augment.name().toLowerCase(Locale.ROOT),
                    folds == 0 ? "out-of-source" : folds + "-fold out-of-fold", targetFpr);
            m = m.withInfo(info);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            m.write(bytes);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, bytes.toByteArray());
            ctx.info(String.format(Locale.ROOT, "model %s: %d non-zero weights, %d bytes, operating point z=%.4f, in %.1f s",
                    out, m.nonZeroWeights(), bytes.size(), m.zThreshold(), (System.nanoTime() - t1) / 1e9));
        }
        return Main.OK;
    }

    static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Leave-one-source-out: for each source group, train and calibrate (on out-of-source
     * predictions among the remaining groups) without it, then measure it.
     */
    private void loso(ModelTrainer t) {
        List<Dataset.Row> rows = t.rows;
        List<String> groups = rows.subList(0, t.realRows).stream().filter(r -> !r.harmful()).map(Dataset::sourceGroup)
                .distinct().sorted().toList();
        Map<String, double[]> table = new LinkedHashMap<>();
        boolean[] rulesFlag = new boolean[rows.size()];
        boolean[] modelFlag = new boolean[rows.size()];
        boolean[] combFlag = new boolean[rows.size()];
        List<String> thresholds = new ArrayList<>();
        for (String g : groups) {
            long t0 = System.nanoTime();
            Predicate<Integer> inG = i -> Dataset.sourceGroup(rows.get(i)).equals(g);
            LinearModel m;
            try {
                m = t.trainCalibrated(i -> !inG.test(i));
            } catch (CliException e) {
                throw new CliException("leave-one-source-out: holding out source group '" + g + "' (of " + groups.size()
                        + ": " + groups + ") leaves no attacks or no benign rows to train on; it needs several source "
                        + "groups (a row's group comes from its 'subset' field) with both classes among the others", e);
            }
            double[] z = t.score(m, i -> inG.test(i) && !rows.get(i).harmful());
            for (int i = 0; i < rows.size(); i++) {
                if (!Double.isNaN(z[i])) {
                    rulesFlag[i] = t.rulesThreat(i);
                    modelFlag[i] = m.risk(z[i]) >= 70;
                    combFlag[i] = t.combinedThreat(i, m, z[i]);
                }
            }
            thresholds.add(String.format(Locale.ROOT, "%s: z=%.3f", g, m.zThreshold()));
            ctx.info(String.format(Locale.ROOT, "fold %-28s operating point z=%.3f  (%.1f s)", g, m.zThreshold(),
                    (System.nanoTime() - t0) / 1e9));
        }
        // harmful requests are never trained on: score them with the model trained on everything
        LinearModel all = t.trainCalibrated(i -> true);
        double[] zh = t.score(all, i -> rows.get(i).harmful());
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).harmful()) {
                rulesFlag[i] = t.rulesThreat(i);
                modelFlag[i] = all.risk(zh[i]) >= 70;
                combFlag[i] = t.combinedThreat(i, all, zh[i]);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| held-out source group | subset family | kind | n | rules | model | combined |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        Map<String, int[]> cells = new java.util.TreeMap<>();
        for (int i = 0; i < t.realRows; i++) {
            Dataset.Row r = rows.get(i);
            String kind = r.harmful() ? "harmful_request" : r.attack() ? "attack" : "benign";
            String key = (r.harmful() ? "~" : "") + Dataset.sourceGroup(r) + "\t" + r.family() + "\t" + kind;
            int[] c = cells.computeIfAbsent(key, k -> new int[4]);
            c[0]++;
            c[1] += rulesFlag[i] ? 1 : 0;
            c[2] += modelFlag[i] ? 1 : 0;
            c[3] += combFlag[i] ? 1 : 0;
        }
        int[] att = new int[4];
        int[] ben = new int[4];
        double[] worst = new double[4];
        for (var e : cells.entrySet()) {
            String[] k = e.getKey().split("\t");
            int[] c = e.getValue();
            String what = k[2].equals("benign") ? "FP " : "detected ";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %s |%n", k[0].replace("~", ""), k[1], k[2], c[0],
                    pct(c[1], c[0]), pct(c[2], c[0]), pct(c[3], c[0])));
            int[] agg = k[2].equals("attack") ? att : k[2].equals("benign") ? ben : null;
            if (agg != null) {
                for (int j = 0; j < 4; j++) {
                    agg[j] += c[j];
                }
            }
            if (k[2].equals("benign")) {
                for (int j = 1; j < 4; j++) {
                    worst[j] = Math.max(worst[j], (double) c[j] / c[0]);
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "| **all attacks** (harmful_request excluded) | | attack | %d | %s | %s | %s |%n", att[0],
                pct(att[1], att[0]), pct(att[2], att[0]), pct(att[3], att[0])));
        sb.append(String.format(Locale.ROOT, "| **all benign** | | benign | %d | %s | %s | %s |%n", ben[0],
                pct(ben[1], ben[0]), pct(ben[2], ben[0]), pct(ben[3], ben[0])));
        sb.append(String.format(Locale.ROOT, "| **worst benign family** | | benign | | %.1f%% | %.1f%% | %.1f%% |%n",
                100 * worst[1], 100 * worst[2], 100 * worst[3]));
        sb.append(String.format(Locale.ROOT, "| **balanced accuracy** | | | | %.1f%% | %.1f%% | %.1f%% |%n",
                50.0 * ((double) att[1] / att[0] + 1 - (double) ben[1] / ben[0]),
                50.0 * ((double) att[2] / att[0] + 1 - (double) ben[2] / ben[0]),
                50.0 * ((double) att[3] / att[0] + 1 - (double) ben[3] / ben[0])));
        ctx.out.print(sb);
        ctx.out.println();
        ctx.out.println("Operating points per fold (decision value at which the model's risk is 70): " + String.join("; ", thresholds));
    }

    private static String pct(int a, int n) {
        return String.format(Locale.ROOT, "%.1f%% (%d)", n == 0 ? 0.0 : 100.0 * a / n, a);
    }
}
