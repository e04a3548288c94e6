package io.threatmon.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.BatchSummary;
import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.CountingInputStream;
import io.threatmon.engine.Direction;
import io.threatmon.engine.ThreatClient;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon batch}: analyzes a JSONL or CSV file record by record and writes one JSON line
 * per record, in input order.
 *
 * <p>Streaming pipeline: the calling thread reads a chunk of records (lines only, no parsing) and
 * hands it to a fork-join pool of {@code --workers} threads, which parse, analyze and serialise
 * each record in parallel; up to {@link #IN_FLIGHT} chunks are in flight, and the calling thread
 * writes finished chunks in order. Memory stays bounded by the chunk size whatever the file size.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Analyze every record of a JSONL or CSV file; write one JSON line per record, in input order.",
                "Output fields: id, is_threat, risk_score, risk_level, threat_type, threat_types, matched_rules, "
                        + "action, detection_method; or id and error for a malformed record."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (threats or not, unless --fail-on-threat)",
                "1:error, or malformed records (unless --skip-invalid)", "2:a threat was found with --fail-on-threat"})
final class BatchCommand implements java.util.concurrent.Callable<Integer> {

    /** Records per chunk handed to the workers. */
    static final int DEFAULT_CHUNK = 4096;
    /** Chunks being analyzed while the next is read and the previous written. */
    static final int IN_FLIGHT = 3;
    /** Cache size when neither the environment nor --cache-size sets one: duplicates are common in logs. */
    static final int BATCH_CACHE_SIZE = 50_000;
    /** Input size above which a progress bar is shown. */
    static final long PROGRESS_MIN_BYTES = 1L << 20;

    enum Format { JSONL, CSV }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter LINE_WRITER = MAPPER.writerFor(OutLine.class);
    private static final ObjectWriter ERROR_WRITER = MAPPER.writerFor(ErrorLine.class);

    private final CliContext ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "Input file; '-' for stdin.")
    String input;

    @Option(names = {"-o", "--output"}, defaultValue = "-", paramLabel = "FILE",
            description = "Output JSONL file; '-' for stdout (default).")
    String output;

    @Option(names = "--format", paramLabel = "jsonl|csv",
            description = "Input format (default: csv for *.csv files, else jsonl). CSV needs a header row.")
    Format format;

    @Option(names = "--id-field", defaultValue = "id", paramLabel = "NAME",
            description = "Field (or CSV column) holding the record id (default: id). Missing ids become the line number.")
    String idField;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "NAME",
            description = "Field (or CSV column) holding the text (default: text).")
    String textField;

    @Option(names = "--direction", paramLabel = "prompt|response", defaultValue = "prompt",
            converter = AnalyzeCommand.DirectionConverter.class,
            description = "Scan texts as prompts (default) or as model responses.")
    Direction direction;

    @Option(names = "--role-field", paramLabel = "NAME",
            description = "Field holding the message role: 'assistant' and 'tool' records are scanned as responses, "
                    + "others as prompts (as the audit job does); overrides --direction per record.")
    String roleField;

    @Option(names = "--workers", paramLabel = "N", description = "Analysis threads (default: all cores).")
    Integer workers;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "" + DEFAULT_CHUNK,
            description = "Records read and analyzed per chunk (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--cache-size", paramLabel = "N",
            description = "Verdicts cached for repeated texts; 0 disables (default: THREATMON_CACHE_SIZE or 50000).")
    Integer cacheSize;

    @Option(names = "--summary", description = "Print a summary (human lines and one JSON line) to stderr at the end.")
    boolean summary;

    @Option(names = "--fail-on-threat", description = "Exit 2 if any record is a threat.")
    boolean failOnThreat;

    @Option(names = "--skip-invalid",
            description = "Leave malformed records out of the output and only warn (default: write an error line and exit 1).")
    boolean skipInvalid;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    BatchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** One output line for an analyzed record. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"id", "is_threat", "risk_score", "risk_level", "threat_type", "threat_types", "matched_rules",
            "action", "detection_method"})
    record OutLine(Object id, boolean isThreat, int riskScore, String riskLevel, String threatType,
            List<String> threatTypes, List<String> matchedRules, String action, String detectionMethod) {}

    /** One output line for a malformed record. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "error"})
    record ErrorLine(Object id, String error) {}

    /** A worker's product: the line to write and the few figures the summary needs. */
    record Outcome(String json, String error, boolean threat, int risk, String threatType) {}

    /** Most threads {@code --workers} may ask for: far past any core count, well under the pool's limit (32,767). */
    static final int MAX_WORKERS = 1024;

    /** The analysis threads {@code --workers} asks for (all cores when not given), checked. */
    static int workerThreads(Integer workers) {
        int threads = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (threads < 1 || threads > MAX_WORKERS) {
            throw new CliException("--workers must be between 1 and " + MAX_WORKERS + ", not " + threads);
        }
        return threads;
    }

    @Override
    public Integer call() throws Exception {
        if (chunkSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-size must be at least 1");
        }
        int threads = workerThreads(workers);
        Format fmt = format != null ? format
                : input.toLowerCase(Locale.ROOT).endsWith(".csv") ? Format.CSV : Format.JSONL;
        boolean fromStdin = input.equals("-");
        boolean toStdout = output.equals("-");
        Path inPath = fromStdin ? null : Path.of(input);
        if (inPath != null) {
            if (!Files.exists(inPath)) {
                throw new CliException("input file not found: " + input);
            }
            if (Files.isDirectory(inPath)) {
                throw new CliException("input is a directory, not a file: " + input);
            }
            if (!toStdout && Files.exists(Path.of(output)) && Files.isSameFile(inPath, Path.of(output))) {
                throw new CliException("--output is the same file as --input: " + output);
            }
        }

        ThreatClient.Builder builder = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold));
        if (cacheSize != null) {
            if (cacheSize < 0) {
                throw new CliException("--cache-size must be 0 (off) or more, not " + cacheSize);
            }
            builder.cacheSize(cacheSize);
        } else if (!ctx.env.containsKey("THREATMON_CACHE_SIZE") && !ctx.env.containsKey("THREATMON_ENABLE_CACHE")) {
            builder.cacheSize(BATCH_CACHE_SIZE);
        }
        ThreatClient client = builder.build();
        RuleOptions.reportWarnings(ctx, client.rules());

        long totalBytes = inPath == null ? -1 : Files.size(inPath);
        InputStream raw = fromStdin ? ctx.in : Files.newInputStream(inPath);
        CountingInputStream counting = new CountingInputStream(raw);
        BufferedReader reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8), 1 << 16);
        OutputStream outStream = toStdout ? ctx.out : Files.newOutputStream(Path.of(output));
        Writer writer = new BufferedWriter(new OutputStreamWriter(outStream, StandardCharsets.UTF_8), 1 << 16);

        ProgressBar bar = null;
        if (!ctx.quiet && totalBytes > PROGRESS_MIN_BYTES) {
            bar = new ProgressBarBuilder().setTaskName("threatmon batch").setInitialMax(totalBytes)
                    .setUnit(" MB", 1L << 20).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(ctx.err, 100)).build();
        }
        idPattern = idPattern(idField);
        Stats stats = new Stats();
        long start = System.nanoTime();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try (BatchRecords records = fmt == Format.CSV
                ? new BatchRecords.Csv(reader, idField, textField, roleField)
                : new BatchRecords.Jsonl(reader)) {
            Deque<Future<List<Outcome>>> pending = new ArrayDeque<>();
            List<BatchRecords.Raw> chunk;
            while (!(chunk = records.next(chunkSize)).isEmpty()) {
                List<BatchRecords.Raw> c = chunk;
                pending.add(pool.submit(() -> IntStream.range(0, c.size()).parallel()
                        .mapToObj(i -> process(client, c.get(i))).toList()));
                while (pending.size() >= IN_FLIGHT) {
                    write(pending.poll(), writer, stats);
                }
                if (bar != null) {
                    bar.stepTo(counting.count());
                }
            }
            while (!pending.isEmpty()) {
                write(pending.poll(), writer, stats);
            }
            if (bar != null) {
                bar.stepTo(totalBytes);
            }
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.close();
            }
            if (toStdout) {
                writer.flush();
            } else {
                writer.close();
            }
        }
        long micros = (System.nanoTime() - start) / 1_000;

        if (summary) {
            printSummary(stats.summary(micros), stats, micros);
        }
        if (stats.invalid > 0) {
            String what = stats.invalid + " malformed record" + (stats.invalid == 1 ? "" : "s")
                    + " (first: " + stats.firstError + ")";
            if (skipInvalid) {
                ctx.warn("skipped " + what);
            } else {
                ctx.err.println("threatmon: error: " + what + "; written as error lines");
                return Main.ERROR;
            }
        }
        return failOnThreat && stats.threats > 0 ? Main.THREAT : Main.OK;
    }

    private void write(Future<List<Outcome>> future, Writer writer, Stats stats) throws IOException, InterruptedException {
        List<Outcome> outcomes;
        try {
            outcomes = future.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
        for (Outcome o : outcomes) {
            if (o.error != null) {
                stats.invalid++;
                if (stats.firstError == null) {
                    stats.firstError = o.error;
                }
                if (skipInvalid) {
                    continue;
                }
            } else {
                stats.add(o);
            }
            writer.write(o.json);
            writer.write('\n');
        }
    }

    /** Parses (JSONL), analyzes and serialises one record; runs on a worker thread. */
    private Outcome process(ThreatClient client, BatchRecords.Raw r) {
        Object id = r.id() != null ? r.id() : r.line();
        String text = r.text();
        String error = r.error();
        String role = r.role();
        if (r.raw() != null) {
            JsonNode node;
            try {
                node = MAPPER.readTree(r.raw());
                if (node == null || !node.isObject()) {
                    error = "line " + r.line() + ": expected a JSON object, not " + describe(node);
                } else {
                    JsonNode idNode = node.get(idField);
                    if (idNode != null && !idNode.isNull()) {
                        id = idNode;
                    }
                    if (roleField != null && node.get(roleField) != null && node.get(roleField).isTextual()) {
                        role = node.get(roleField).textValue();
                    }
                    JsonNode t = node.get(textField);
                    if (t == null || t.isNull()) {
                        error = "line " + r.line() + ": no '" + textField + "' field";
                    } else if (!t.isTextual()) {
                        error = "line " + r.line() + ": '" + textField + "' must be a string, not " + describe(t);
                    } else {
                        text = t.textValue();
                    }
                }
            } catch (JsonProcessingException e) {
                error = "line " + r.line() + ": not valid JSON: " + oneLine(io.threatmon.connectors.RecordParser.jsonProblem(e));
                Object salvaged = salvageId(r.raw());
                if (salvaged != null) {
                    id = salvaged;
                }
            }
        }
        try {
            if (error != null) {
                return new Outcome(ERROR_WRITER.writeValueAsString(new ErrorLine(id, error)), error, false, 0, null);
            }
            Direction d = roleField == null ? direction
                    : ConversationRecord.isModelOutputRole(role) ? Direction.RESPONSE : Direction.PROMPT;
            AnalysisResult a = client.analyze(text, d);
            String json = LINE_WRITER.writeValueAsString(new OutLine(id, a.isThreat(), a.riskScore(), a.riskLevel().id(),
                    a.threatType(), a.threatTypes(), a.matchedRules(), a.action().id(), a.detectionMethod().id()));
            return new Outcome(json, null, a.isThreat(), a.riskScore(), a.threatType());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result of line " + r.line(), e);
        }
    }

    /** Best effort: the id of a line that is not valid JSON, when it is a plain string or number. */
    private Object salvageId(String raw) {
        java.util.regex.Matcher m = idPattern.matcher(raw);
        if (m.find()) {
            try {
                JsonNode n = MAPPER.readTree(m.group(1));
                if (n != null && (n.isTextual() || n.isNumber())) {
                    return n;
                }
            } catch (JsonProcessingException ignored) {
                // keep the line number
            }
        }
        return null;
    }

    /** Finds {@code "<id-field>": "string" | number} in a line that is not valid JSON; set before any worker runs. */
    private java.util.regex.Pattern idPattern;

    private static java.util.regex.Pattern idPattern(String idField) {
        return java.util.regex.Pattern.compile("\\\"" + java.util.regex.Pattern.quote(idField)
                    + "\\\"\\s*:\\s*(\\\"(?:[^\\\"\\\\]|\\\\.){0,200}\\\"|-?\\d{1,18}(?:\\.\\d+)?)");
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "parse error";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private void printSummary(BatchSummary s, Stats stats, long micros) {
        double secs = micros / 1e6;
        ctx.err.printf(Locale.ROOT, "records: %d  threats: %d (%.1f%%)  malformed: %d%n", s.count(), s.threats(),
                100 * s.threatRate(), stats.invalid);
        ctx.err.printf(Locale.ROOT, "risk: mean %.1f  max %d (record %d)%n", s.meanRisk(), s.maxRisk(),
                s.highestRiskIndex() + 1);
        if (!s.topCategories().isEmpty()) {
            StringBuilder sb = new StringBuilder("top categories:");
            s.topCategories().stream().limit(10).forEach(c -> sb.append(' ').append(c.category()).append('=').append(c.count()));
            ctx.err.println(sb);
        }
        ctx.err.printf(Locale.ROOT, "time: %.2f s  (%.0f records/s)%n", secs, secs > 0 ? s.count() / secs : 0.0);
        ctx.err.println("summary: " + s.toJson());
    }

    /** Running figures for the summary, updated in input order by the writing thread. */
    private static final class Stats {
        int count;
        int threats;
        long riskSum;
        int maxRisk = -1;
        int maxIndex = -1;
        int invalid;
        String firstError;
        final Map<String, Integer> categories = new HashMap<>();

        void add(Outcome o) {
            if (o.risk > maxRisk) {
                maxRisk = o.risk;
                maxIndex = count;
            }
            count++;
            riskSum += o.risk;
            if (o.threat) {
                threats++;
                categories.merge(o.threatType, 1, Integer::sum);
            }
        }

        BatchSummary summary(long micros) {
            List<BatchSummary.CategoryCount> top = new ArrayList<>();
            categories.forEach((c, n) -> top.add(new BatchSummary.CategoryCount(c, n)));
            top.sort(Comparator.comparingInt(BatchSummary.CategoryCount::count).reversed()
                    .thenComparing(BatchSummary.CategoryCount::category));
            return new BatchSummary(count, threats, count == 0 ? 0 : (double) threats / count, top,
                    count == 0 ? 0 : (double) riskSum / count, Math.max(maxRisk, 0), maxIndex, micros);
        }
    }
}
