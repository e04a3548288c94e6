package io.threatmon.cli;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Match;
import io.threatmon.engine.RuleDetector;
import io.threatmon.engine.Scoring;
import io.threatmon.engine.model.FeatureConfig;
import io.threatmon.engine.model.FeatureHasher;
import io.threatmon.engine.model.LinearModel;
import io.threatmon.engine.model.ModelDetector;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextViews;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Trains and calibrates the statistical model with LIBLINEAR (L2-regularised logistic regression,
 * primal trust-region Newton solver: no randomness; the random source is still seeded). Each
 * training text contributes one sample per chunk of its de-obfuscated view, with the features the
 * engine uses at inference ({@link FeatureHasher}); harmful-content asks are left out.
 *
 * <p>Calibration: out-of-fold predictions (k folds by a hash of the row id, each scored by a model
 * trained on the other folds; or, with {@code folds = 0}, out-of-source: each source group scored
 * by a model trained without it) choose the decision value {@code zThreshold} at which the model's
 * risk reaches 70: the lowest one that keeps every benign family at or under the target
 * false-positive rate for the <em>combined</em> verdict (rules + model, as the engine combines them),
 * both out of fold and in sample (the stricter of the two).
 */
final class ModelTrainer {

    /** Hyper-parameters. */
    record Settings(FeatureConfig features, double c, double positiveWeight, double eps, long seed, double scale,
            int evidenceFloor, double targetFpr, String name, int folds, int minAttackGroups, Augment augment) {}

    /** Which {@link Augmentation} rows training adds. */
    enum Augment { NONE, EXAMPLES, INJECTED }

    /** Fold of a row for k-fold out-of-fold predictions: a fixed hash of its id (no randomness, no order dependence). */
    int fold(int i) {
        return Math.floorMod(Augmentation.baseId(rows.get(i).id()).hashCode() * 0x9E3779B1 + (int) s.seed(), s.folds());
    }

    /**
     * Out-of-fold decision values for the rows selected by {@code within} ({@code folds} folds by id
     * hash): each row is scored by a model trained on the other folds. With {@code folds == 0},
     * out-of-source values ({@link #outOfSource}).
     */
    double[] outOfFold(Predicate<Integer> within) {
        if (s.folds() <= 0) {
            return outOfSource(within);
        }
        double[] z = new double[rows.size()];
        Arrays.fill(z, Double.NaN);
        parallel(s.folds(), f -> {
            LinearModel m = train(i -> within.test(i) && fold(i) != f);
            ModelDetector d = new ModelDetector(m);
            for (int i = 0; i < rows.size(); i++) {
                if (within.test(i) && fold(i) == f && trainable(i) && real(i)) {
                    z[i] = d.decision(rows.get(i).text());
                }
            }
        });
        return z;
    }

    final Settings s;
    final List<Dataset.Row> rows;
    /** Per row: the sparse vectors of its chunks. */
    final List<FeatureHasher.Vector[]> vectors;
    /** Per row: the base risks of the rules that fired on it. */
    final List<List<Integer>> ruleRisks;
    final int threads;

    /** The dataset's rows come first; {@link Augmentation} rows (trained on, never measured) follow. */
    final int realRows;

    ModelTrainer(Settings s, List<Dataset.Row> dataset, RuleSet rules, int threads) {
        this.s = s;
        List<Dataset.Row> all = new ArrayList<>(dataset);
        if (s.augment() != Augment.NONE) {
            all.addAll(Augmentation.rows(dataset, rules, s.augment() == Augment.INJECTED));
        }
        this.rows = List.copyOf(all);
        this.realRows = dataset.size();
        List<Dataset.Row> rows = this.rows;
        this.threads = Math.max(1, threads);
        FeatureHasher hasher = new FeatureHasher(s.features());
        ThreadLocal<FeatureHasher.Accumulator> acc = ThreadLocal.withInitial(FeatureHasher.Accumulator::new);
        RuleDetector ruleDetector = rules == null ? null : new RuleDetector(rules);
        FeatureHasher.Vector[][] vs = new FeatureHasher.Vector[rows.size()][];
        @SuppressWarnings("unchecked")
        List<Integer>[] rr = new List[rows.size()];
        parallel(rows.size(), i -> {
            String t = ModelDetector.trainingText(rows.get(i).text());
            int[] starts = ModelDetector.chunkStarts(t.length(), s.features());
            FeatureHasher.Vector[] v = new FeatureHasher.Vector[starts.length];
            for (int k = 0; k < starts.length; k++) {
                v[k] = hasher.vector(t, starts[k], Math.min(t.length(), starts[k] + s.features().chunkSize()), acc.get());
            }
            vs[i] = v;
            if (ruleDetector != null && i < realRows) {
                String text = rows.get(i).text();
                rr[i] = ruleDetector.detect(text, TextViews.of(text), Direction.PROMPT).stream().map(Match::risk).toList();
            } else {
                rr[i] = List.of();
            }
        });
        this.vectors = Arrays.asList(vs);
        this.ruleRisks = Arrays.asList(rr);
    }

    private void parallel(int n, java.util.function.IntConsumer body) {
        if (threads == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** A row of the dataset, not an augmentation: the only rows that are scored and measured. */
    boolean real(int i) {
        return i < realRows;
    }

    boolean trainable(int i) {
        return !rows.get(i).harmful();
    }

    /** Trains on the rows selected by {@code use} (harmful requests are always left out); uncalibrated. */
    LinearModel train(Predicate<Integer> use) {
        java.util.BitSet keep = stableFeatures(use);
        List<Feature[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!trainable(i) || !use.test(i)) {
                continue;
            }
            double label = rows.get(i).attack() ? 1 : -1;
            for (FeatureHasher.Vector v : vectors.get(i)) {
                List<Feature> fl = new ArrayList<>(v.indices().length);
                for (int k = 0; k < v.indices().length; k++) {
                    if (keep == null || keep.get(v.indices()[k])) {
                        fl.add(new FeatureNode(v.indices()[k] + 1, v.values()[k]));
                    }
                }
                Feature[] f = fl.toArray(new Feature[0]);
                x.add(f);
                y.add(label);
            }
        }
        if (y.stream().distinct().count() < 2) {
            throw new CliException("training needs both attacks and benign rows");
        }
        Problem p = new Problem();
        p.l = x.size();
        p.n = s.features().buckets() + 1;
        p.bias = 1;
        p.x = new Feature[p.l][];
        p.y = new double[p.l];
        FeatureNode biasNode = new FeatureNode(p.n, 1);
        for (int i = 0; i < p.l; i++) {
            Feature[] f = Arrays.copyOf(x.get(i), x.get(i).length + 1);
            f[f.length - 1] = biasNode;
            p.x[i] = f;
            p.y[i] = y.get(i);
        }
        Parameter param = new Parameter(SolverType.L2R_LR, s.c(), s.eps());
        param.setRandom(new Random(s.seed()));
        param.setWeights(new double[] {s.positiveWeight(), 1.0}, new int[] {1, -1});
        Linear.disableDebugOutput();
        Model m = Linear.train(p, param);
        double[] w = m.getFeatureWeights();
        double sign = m.getLabels()[0] == 1 ? 1 : -1;
        float[] weights = new float[s.features().buckets()];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = (float) (sign * w[j]);
        }
        double bias = sign * w[w.length - 1];
        return new LinearModel(s.name(), "", s.features(), weights, bias, 0.0, s.scale(), s.evidenceFloor());
    }

    /**
     * With {@code minAttackGroups > 0}: the buckets that occur in attack rows of at least that many
     * source groups among the selected rows; the others are left out of training (weight 0), so
     * the model cannot learn a single source's vocabulary or style. Null: keep every bucket.
     */
    java.util.BitSet stableFeatures(Predicate<Integer> use) {
        if (s.minAttackGroups() <= 0) {
            return null;
        }
        Map<String, java.util.BitSet> byGroup = new java.util.TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!trainable(i) || !use.test(i) || !rows.get(i).attack()) {
                continue;
            }
            java.util.BitSet b = byGroup.computeIfAbsent(Dataset.sourceGroup(rows.get(i)), g -> new java.util.BitSet());
            for (FeatureHasher.Vector v : vectors.get(i)) {
                for (int idx : v.indices()) {
                    b.set(idx);
                }
            }
        }
        int[] count = new int[s.features().buckets()];
        for (java.util.BitSet b : byGroup.values()) {
            for (int j = b.nextSetBit(0); j >= 0; j = b.nextSetBit(j + 1)) {
                count[j]++;
            }
        }
        java.util.BitSet keep = new java.util.BitSet(count.length);
        for (int j = 0; j < count.length; j++) {
            if (count[j] >= s.minAttackGroups()) {
                keep.set(j);
            }
        }
        return keep;
    }

    /** Decision values of the rows selected by {@code which}, as the engine computes them (NaN elsewhere). */
    double[] score(LinearModel m, Predicate<Integer> which) {
        ModelDetector d = new ModelDetector(m);
        double[] z = new double[rows.size()];
        Arrays.fill(z, Double.NaN);
        parallel(rows.size(), i -> {
            if (which.test(i) && real(i)) {
                z[i] = d.decision(rows.get(i).text());
            }
        });
        return z;
    }

    /**
     * Out-of-source decision values for the rows selected by {@code within}: each source group is
     * scored by a model trained on the other selected groups. Harmful requests are scored by the
     * model trained on everything selected.
     */
    double[] outOfSource(Predicate<Integer> within) {
        List<String> groups = rows.subList(0, realRows).stream().map(Dataset::sourceGroup).distinct().sorted().toList();
        double[] z = new double[rows.size()];
        Arrays.fill(z, Double.NaN);
        // one model per group, trained in parallel; each writes only its own group's rows
        parallel(groups.size(), gi -> {
            String g = groups.get(gi);
            Predicate<Integer> inG = i -> Dataset.sourceGroup(rows.get(i)).equals(g);
            boolean any = false;
            for (int i = 0; i < rows.size(); i++) {
                if (within.test(i) && trainable(i) && inG.test(i) && real(i)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return;
            }
            LinearModel m;
            try {
                m = train(i -> within.test(i) && !inG.test(i));
            } catch (CliException e) {
                throw new CliException("leaving out source group '" + g + "' (of " + groups.size() + ": " + groups
                        + ") leaves no attacks or no benign rows to train on: out-of-source scoring needs both "
                        + "in the other groups (a row's group comes from its 'subset' field)", e);
            }
            ModelDetector d = new ModelDetector(m);
            for (int i = 0; i < rows.size(); i++) {
                if (within.test(i) && inG.test(i) && trainable(i) && real(i)) {
                    z[i] = d.decision(rows.get(i).text());
                }
            }
        });
        return z;
    }

    /** The combined verdict of the engine for a row: rules' risks plus the model's calibrated evidence. */
    boolean combinedThreat(int i, LinearModel calibrated, double z) {
        return combinedRisk(i, calibrated, z) >= Scoring.DEFAULT_THRESHOLD;
    }

    // Evidence is combined over the whole row, as the engine does for messages; for documents
    // (over 8 KB) the engine combines by passage, and the trainer, which keeps no spans, does not:
    // training rows are messages (dev has two attacks over 8 KB, and benign rows decide the operating point).
    int combinedRisk(int i, LinearModel calibrated, double z) {
        int mr = calibrated.risk(z);
        List<Integer> risks = new ArrayList<>(ruleRisks.get(i));
        if (mr >= calibrated.evidenceFloor()) {
            risks.add(mr);
        }
        return Scoring.combine(risks);
    }

    boolean rulesThreat(int i) {
        return Scoring.combine(ruleRisks.get(i)) >= Scoring.DEFAULT_THRESHOLD;
    }

    /**
     * The lowest operating point (decision value) at which, on the rows selected by {@code within}
     * with decision values {@code z}, every benign subset family's combined false-positive rate is
     * at most the target; in a family where the rules alone are already over it, the model may add
     * no false positive.
     */
    double chooseThreshold(LinearModel model, double[] z, Predicate<Integer> within) {
        List<Integer> benign = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (within.test(i) && trainable(i) && real(i) && !rows.get(i).attack() && !Double.isNaN(z[i])) {
                benign.add(i);
            }
        }
        // Candidate thresholds: just above each benign score, where the model alone stops flagging it.
        double[] scores = benign.stream().mapToDouble(i -> z[i]).sorted().distinct().toArray();
        if (scores.length == 0) {
            return 0;
        }
        double t = lowestOk(model, z, benign, scores);
        if (ok(model, z, benign, t)) {
            return t;
        }
        // The evidence floor (65) is below the threat line, so a benign row under the threshold
        // still lends evidence that can lift a medium rule over 70: above every score is not yet
        // the rules' own verdicts. Then the candidates are also each score plus the evidence
        // margin, where the model stops adding evidence to that row at all; just above the highest
        // of them no benign row has model evidence, which ok() always allows.
        double margin = evidenceMargin();
        double[] wider = benign.stream().flatMapToDouble(i -> java.util.stream.DoubleStream.of(z[i], z[i] + margin))
                .filter(v -> v >= t).sorted().distinct().toArray();
        return wider.length == 0 ? t : lowestOk(model, z, benign, wider);
    }

    /** The lowest candidate (or just above it) at which ok() holds; ok is monotone in the threshold. */
    private double lowestOk(LinearModel model, double[] z, List<Integer> benign, double[] cand) {
        int a = -1;
        int b = cand.length - 1;
        while (b - a > 1) {
            int mid = (a + b) >>> 1;
            if (ok(model, z, benign, Math.nextUp(cand[mid]))) {
                b = mid;
            } else {
                a = mid;
            }
        }
        return a < 0 && ok(model, z, benign, cand[0]) ? cand[0] : Math.nextUp(cand[b]);
    }

    /**
     * How far below the threshold a score still gives evidence: the model's risk rounds to the
     * evidence floor from {@code z − margin} on ({@link io.threatmon.engine.model.LinearModel#risk}).
     */
    private double evidenceMargin() {
        int floor = s.evidenceFloor();
        if (floor <= 0 || floor >= 70) {
            return 0;
        }
        double p = (floor - 0.5) / 100.0;
        double logit70 = Math.log(0.7 / 0.3);
        return (logit70 - Math.log(p / (1 - p))) / s.scale() + 1e-9;
    }

    private boolean ok(LinearModel model, double[] z, List<Integer> benign, double t) {
        LinearModel m = model.withCalibration(t, s.scale(), s.evidenceFloor());
        // Per family: combined false positives, benign rows, the rules' own false positives. A
        // family the rules alone flag over the target (hand-written look-alikes keep a few such
        // lines on purpose) would fail every threshold and so switch the model off everywhere;
        // there the model may add none instead.
        Map<String, int[]> fam = new HashMap<>();
        for (int i : benign) {
            int[] c = fam.computeIfAbsent(rows.get(i).family(), k -> new int[3]);
            c[1]++;
            if (combinedThreat(i, m, z[i])) {
                c[0]++;
            }
            if (rulesThreat(i)) {
                c[2]++;
            }
        }
        for (int[] c : fam.values()) {
            if (c[0] > Math.max(s.targetFpr() * c[1] + 1e-9, c[2])) {
                return false;
            }
        }
        return true;
    }

    /** Trains on every selected row and calibrates on out-of-source predictions. */
    LinearModel trainCalibrated(Predicate<Integer> within) {
        double[] oos = outOfFold(within);
        LinearModel m = train(within);
        // the operating point must hold out of fold (for new data) and in sample (for the data shipped
        // with): the full model's scores spread wider than the fold models', so take the stricter
        double tOut = chooseThreshold(m, oos, within);
        double tIn = chooseThreshold(m, score(m, i -> within.test(i) && trainable(i)), within);
        return m.withCalibration(Math.max(tOut, tIn), s.scale(), s.evidenceFloor());
    }
}
