package io.threatmon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Direction;
import io.threatmon.engine.ThreatClient;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon eval}: detection figures of the configured detector (rules + model by default)
 * on a labelled JSONL dataset, the same numbers as {@code score_eval.py} on {@code threatmon batch}
 * output; or, with {@code --predictions}, the figures of an existing batch output.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure detection on a labelled JSONL dataset (id, text, label, category, subset, lang): "
                + "detection rate per attack group, false-positive rate per benign group, balanced accuracy, "
                + "recall at 1%% FPR of the risk score, confusion by category.",
                "Same figures as score_eval.py on 'threatmon batch' output."})
final class EvalCommand implements Callable<Integer> {

    enum By { SUBSET, CATEGORY, LANG }

    private final CliContext ctx;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Labelled JSONL dataset.")
    Path dataset;

    @Option(names = "--by", paramLabel = "subset|category|lang", defaultValue = "subset",
            description = "Group figures by subset family (default, as score_eval.py), category or language.")
    By by;

    @Option(names = "--json", description = "One JSON object: score_eval.py's headline keys, plus 'groups'.")
    boolean json;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "Score this 'threatmon batch' output (id, is_threat, risk_score) instead of running the detector.")
    Path predictions;

    @Option(names = "--workers", paramLabel = "N", description = "Analysis threads (default: all cores).")
    Integer workers;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    EvalCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<Dataset.Row> rows = Dataset.read(dataset);
        Map<String, EvalMetrics.Prediction> preds;
        Map<String, String> methods = new HashMap<>();
        long micros = 0;
        if (predictions != null) {
            // Options of a live run would silently not apply to a file of finished verdicts.
            List<String> unused = List.of("--threshold", "--rules", "--no-bundled", "--model", "--no-model", "--workers")
                    .stream().filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
            if (!unused.isEmpty()) {
                throw new CliException(String.join(", ", unused) + (unused.size() == 1 ? " has" : " have")
                        + " no effect with --predictions: the verdicts in " + predictions + " are scored as they are");
            }
            preds = readPredictions(predictions);
        } else {
            ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).cacheSize(0).build();
            RuleOptions.reportWarnings(ctx, client.rules());
            int threads = BatchCommand.workerThreads(workers);
            AnalysisResult[] results = new AnalysisResult[rows.size()];
            long t0 = System.nanoTime();
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(() -> IntStream.range(0, rows.size()).parallel()
                        .forEach(i -> results[i] = client.analyze(rows.get(i).text(), Direction.PROMPT))).get();
            } finally {
                pool.shutdown();
            }
            micros = (System.nanoTime() - t0) / 1000;
            preds = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                preds.put(rows.get(i).id(), new EvalMetrics.Prediction(results[i].isThreat(), results[i].riskScore()));
                methods.put(rows.get(i).id(), results[i].detectionMethod().id());
            }
        }
        Function<Dataset.Row, String> key = switch (by) {
            case SUBSET -> Dataset.Row::family;
            case CATEGORY -> Dataset.Row::category;
            case LANG -> Dataset.Row::lang;
        };
        EvalMetrics m = EvalMetrics.of(rows, preds, key);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = (ObjectNode) mapper.readTree(m.headlineJson());
            ObjectNode groups = o.putObject("groups");
            m.groups.forEach((g, c) -> groups.putObject(g).put("flagged", c.flagged()).put("total", c.total())
                    .put("rate", EvalMetrics.round4(c.rate())));
            ctx.out.println(mapper.writeValueAsString(o));
            return Main.OK;
        }
        m.groupLines().forEach(ctx.out::println);
        ctx.out.println(m.headlineJson());
        ctx.out.println();
        ctx.out.println("confusion by category (flagged = is_threat):");
        Map<String, int[]> conf = new TreeMap<>();
        for (Dataset.Row r : rows) {
            EvalMetrics.Prediction p = preds.get(r.id());
            boolean flag = p != null && p.threat();
            int[] c = conf.computeIfAbsent(r.category().isEmpty() ? "(none)" : r.category(), k -> new int[4]);
            c[(r.attack() ? 0 : 2) + (flag ? 0 : 1)]++;
        }
        ctx.out.printf(Locale.ROOT, "  %-32s %8s %8s %8s %8s%n", "category", "TP", "FN", "FP", "TN");
        conf.forEach((cat, c) -> ctx.out.printf(Locale.ROOT, "  %-32s %8d %8d %8d %8d%n", cat, c[0], c[1], c[2], c[3]));
        if (!methods.isEmpty()) {
            Map<String, Integer> byMethod = new TreeMap<>();
            methods.values().forEach(v -> byMethod.merge(v, 1, Integer::sum));
            ctx.out.println("detection_method: " + byMethod);
            ctx.out.printf(Locale.ROOT, "time: %d rows in %.2f s (%.1f µs/row of wall time on %d threads)%n", rows.size(),
                    micros / 1e6, (double) micros / Math.max(1, rows.size()),
                    workers == null ? Runtime.getRuntime().availableProcessors() : workers);
        }
        return Main.OK;
    }

    static Map<String, EvalMetrics.Prediction> readPredictions(Path p) throws java.io.IOException {
        if (!Files.isRegularFile(p)) {
            throw new CliException("predictions file not found: " + p);
        }
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        Map<String, EvalMetrics.Prediction> out = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = mapper.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new CliException(p + ":" + n + ": not valid JSON: " + io.threatmon.connectors.RecordParser.jsonProblem(e));
                }
                if (!o.isObject()) {
                    throw new CliException(p + ":" + n + ": expected a JSON object");
                }
                JsonNode id = o.get("id");
                if (id == null || id.isNull()) {
                    continue;
                }
                JsonNode risk = o.get("risk_score");
                out.put(id.asText(), new EvalMetrics.Prediction(o.path("is_threat").asBoolean(false),
                        risk == null || risk.isNull() ? 0 : risk.asDouble()));
            }
        }
        return out;
    }
}
