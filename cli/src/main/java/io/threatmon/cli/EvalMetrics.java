package io.threatmon.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Detection figures computed exactly as {@code ../shared/tools/score_eval.py} computes them (a test
 * checks that both agree): per group, flagged/total ("ATTACK x" rows give the detection rate, "benign
 * x" rows the false-positive rate, "(harmful_request) x" rows stand apart); attack detection with
 * harmful requests excluded; benign false-positive rate overall and of the worst benign group;
 * balanced accuracy; recall at the 1% false-positive operating point of the risk score.
 */
final class EvalMetrics {

    /** One prediction for a row. */
    record Prediction(boolean threat, double risk) {}

    /** Flagged out of total for one group. */
    record Cell(int flagged, int total) {
        double rate() {
            return total == 0 ? 0 : (double) flagged / total;
        }
    }

    record Headline(double attackDetection, double benignFpr, String worstBenignFamily, double worstBenignFpr,
            double balancedAccuracy, double recallAt1pctFpr, int missingPredictions) {}

    final Map<String, Cell> groups;
    final Headline headline;

    private EvalMetrics(Map<String, Cell> groups, Headline headline) {
        this.groups = groups;
        this.headline = headline;
    }

    /**
     * Figures for {@code rows} with {@code predictions} by id (a missing id counts as not flagged,
     * risk 0), grouping rows by {@code key} (score_eval.py groups by subset family).
     */
    static EvalMetrics of(List<Dataset.Row> rows, Map<String, Prediction> predictions, Function<Dataset.Row, String> key) {
        Map<String, int[]> stat = new TreeMap<>();
        int tp = 0, fn = 0, fp = 0, tn = 0;
        List<double[]> scored = new ArrayList<>();
        int missing = 0;
        for (Dataset.Row r : rows) {
            Prediction p = predictions.get(r.id());
            if (p == null) {
                missing++;
            }
            boolean flag = p != null && p.threat();
            double score = p == null ? 0 : p.risk();
            if (r.harmful()) {
                int[] s = stat.computeIfAbsent("(harmful_request) " + key.apply(r), k -> new int[2]);
                s[0] += flag ? 1 : 0;
                s[1]++;
                continue;
            }
            int[] s = stat.computeIfAbsent((r.attack() ? "ATTACK " : "benign ") + key.apply(r), k -> new int[2]);
            s[0] += flag ? 1 : 0;
            s[1]++;
            scored.add(new double[] {score, r.label()});
            if (r.attack()) {
                if (flag) tp++; else fn++;
            } else {
                if (flag) fp++; else tn++;
            }
        }
        double tpr = (double) tp / Math.max(1, tp + fn);
        double fpr = (double) fp / Math.max(1, fp + tn);
        // worst benign group: highest rate, ties broken by the larger name (as Python's max over tuples)
        String worst = null;
        double worstRate = -1;
        for (var e : stat.entrySet()) {
            if (!e.getKey().startsWith("benign")) {
                continue;
            }
            double rate = (double) e.getValue()[0] / e.getValue()[1];
            if (rate > worstRate || (rate == worstRate && e.getKey().compareTo(worst) > 0)) {
                worstRate = rate;
                worst = e.getKey();
            }
        }
        List<Double> neg = new ArrayList<>();
        for (double[] s : scored) {
            if (s[1] == 0) {
                neg.add(s[0]);
            }
        }
        neg.sort(Comparator.reverseOrder());
        int k = (int) (neg.size() * 0.01);
        double thr = neg.isEmpty() ? 0 : neg.get(k);
        int above = 0;
        for (double[] s : scored) {
            if (s[1] == 1 && s[0] > thr) {
                above++;
            }
        }
        double rec1 = (double) above / Math.max(1, tp + fn);
        Map<String, Cell> cells = new LinkedHashMap<>();
        stat.forEach((g, v) -> cells.put(g, new Cell(v[0], v[1])));
        return new EvalMetrics(cells, new Headline(round4(tpr), round4(fpr), worst, round4(Math.max(worstRate, 0)),
                round4((tpr + 1 - fpr) / 2), round4(rec1), missing));
    }

    /** Python's round(x, 4) for the values these figures take (half-even on the decimal). */
    static double round4(double x) {
        return new java.math.BigDecimal(x).setScale(4, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The headline as score_eval.py prints it with --json (same keys, same order). */
    String headlineJson() {
        Headline h = headline;
        return "{\"attack_detection\": " + num(h.attackDetection()) + ", \"benign_fpr\": " + num(h.benignFpr())
                + ", \"worst_benign_family\": " + (h.worstBenignFamily() == null ? "null" : "\"" + h.worstBenignFamily() + "\"")
                + ", \"worst_benign_fpr\": " + num(h.worstBenignFpr()) + ", \"balanced_accuracy\": " + num(h.balancedAccuracy())
                + ", \"recall_at_1pct_fpr\": " + num(h.recallAt1pctFpr()) + ", \"missing_predictions\": "
                + h.missingPredictions() + "}";
    }

    /** A number as Python's repr prints a float (1.0, 0.25, 0.1234). */
    static String num(double x) {
        if (x == Math.rint(x)) {
            return String.format(java.util.Locale.ROOT, "%.1f", x);
        }
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /** The per-group lines as score_eval.py prints them. */
    List<String> groupLines() {
        List<String> lines = new ArrayList<>();
        groups.forEach((g, c) -> lines.add(String.format(java.util.Locale.ROOT, "%-55s flagged %5d/%5d = %5.1f%%", g,
                c.flagged(), c.total(), 100.0 * c.rate())));
        return lines;
    }
}
