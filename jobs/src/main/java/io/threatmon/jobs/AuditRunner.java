package io.threatmon.jobs;

import io.threatmon.connectors.InputPaths;
import io.threatmon.connectors.LineChunks;
import io.threatmon.connectors.LogFileFormat;
import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.ParsedRecord;
import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.Version;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.PackInfo;
import io.threatmon.reports.AuditAccumulator;
import io.threatmon.reports.AuditReport;
import io.threatmon.reports.ReportWriter;
import io.threatmon.reports.RunMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs an audit end to end: expands the inputs, builds and submits the job (to the embedded
 * MiniCluster, or to a cluster under {@code flink run}), reports progress, merges the partial
 * reports the job wrote to {@code DIR/.partial-reports/}, and writes {@code report.json/.html/.md}, CSV tables, {@code alerts.jsonl},
 * {@code scored.jsonl} and {@code dead_letters.jsonl} into the output directory.
 *
 * <pre>{@code
 * AuditRunner.Result r = AuditRunner.run(options, (records, bytes, total) -> System.err.print("."));
 * System.out.println(r.report().threatMessages() + " threats");
 * }</pre>
 */
public final class AuditRunner {

    /** Receives progress while the job runs: records and bytes read so far, total input bytes. */
    @FunctionalInterface
    public interface Progress {
        void update(long records, long bytes, long totalBytes);
    }

    /** What a run produced. */
    public record Result(AuditReport report, List<Path> files, long totalBytes, Duration duration) {}

    static final String ALERTS = "alerts";
    static final String SCORED = "scored";
    static final String DEAD_LETTERS = "dead_letters";
    static final String PARTIALS = ".partial-reports";

    private AuditRunner() {}

    /** About four chunks per worker, so that readers finishing early take more, within 4-64 MB. */
    static long autoSplitBytes(java.util.Collection<Path> files, int parallelism) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        long mb = 1L << 20;
        return Math.max(4 * mb, Math.min(64 * mb, total / (4L * parallelism)));
    }

    /** Whether {@code file} is something an audit writes into {@code outDir} (so never a log to read). */
    static boolean isOwnOutput(Path outDir, Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!f.startsWith(outDir) || f.equals(outDir)) {
            return false;
        }
        String first = outDir.relativize(f).getName(0).toString();
        String base = first.contains(".") ? first.substring(0, first.indexOf('.')) : first;
        return List.of(ALERTS, SCORED, DEAD_LETTERS, "report").contains(base)
                || io.threatmon.reports.CsvTables.FILES.contains(first);
    }

    public static Result run(AuditOptions o, Progress progress) throws Exception {
        Instant started = Instant.now();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        requireAttachedClient(env.getConfiguration()); // before anything in --out is touched
        Path outDir = o.out().toAbsolutePath().normalize();
        // An output directory inside an input directory holds the last run's alerts, scored
        // messages and tables: read as logs they would be audited (and deleted under the reader).
        List<Path> files = InputPaths.expand(o.inputs(), o.format()).stream()
                .filter(f -> !isOwnOutput(outDir, f))
                .toList();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no log files to audit: the inputs hold only this audit's own output in " + outDir);
        }
        Map<LogFormat, List<Path>> byFormat = new LinkedHashMap<>();
        long totalBytes = 0;
        for (Path f : files) {
            LogFormat fmt = o.format() != null ? o.format() : LogFormat.fromFileName(f.getFileName().toString());
            if (fmt == null) {
                throw new IllegalArgumentException("cannot tell the format of " + f + ": give --format jsonl|csv|parquet");
            }
            byFormat.computeIfAbsent(fmt, k -> new ArrayList<>()).add(f);
            totalBytes += Files.size(f);
        }
        EngineConfig engine = EngineConfig.of(o.threshold(), o.bundledRules(), o.rulePaths(), o.model());
        ThreatClient client = engine.client(); // fails here, before submitting, on a bad rule file
        Path out = o.out().toAbsolutePath();
        Files.createDirectories(out);
        for (String name : List.of(ALERTS, SCORED, DEAD_LETTERS)) {
            deleteRecursively(out.resolve(name));
            Files.deleteIfExists(out.resolve(name + ".jsonl"));
        }
        Files.deleteIfExists(out.resolve(ALERTS + ".log"));
        Files.deleteIfExists(out.resolve(SCORED + ".parquet"));

        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(o.parallelism());
        // Uncompressed JSON lines are cut into chunks read in parallel; other files are read whole.
        Set<Path> splittable = new LinkedHashSet<>();
        List<Path> jsonl = byFormat.getOrDefault(LogFormat.JSONL, List.of());
        for (Path f : jsonl) {
            if (!f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz") && Files.size(f) > 0) {
                splittable.add(f);
            }
        }
        List<LineChunks.Chunk> chunks = new ArrayList<>();
        long chunkBytes = o.splitBytes() > 0 ? o.splitBytes() : autoSplitBytes(splittable, o.parallelism());
        for (Path f : splittable) {
            chunks.addAll(LineChunks.of(f.toAbsolutePath(), chunkBytes));
        }
        int splits = chunks.size();
        DataStream<ParsedRecord> input = null;
        if (!chunks.isEmpty()) {
            input = env.fromSource(LogFileFormat.chunkedSource(chunks, o.mapping()), WatermarkStrategy.noWatermarks(),
                    "read-jsonl-chunks").uid("read-jsonl-chunks");
        }
        for (Map.Entry<LogFormat, List<Path>> e : byFormat.entrySet()) {
            List<Path> whole = e.getValue().stream().filter(f -> !splittable.contains(f)).toList();
            if (whole.isEmpty()) {
                continue;
            }
            splits += whole.size();
            org.apache.flink.core.fs.Path[] paths = whole.stream()
                    .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            FileSource<ParsedRecord> source = FileSource
                    .forBulkFileFormat(new LogFileFormat(e.getKey(), o.mapping()), paths).build();
            String id = "read-" + e.getKey().id();
            DataStream<ParsedRecord> s = env.fromSource(source, WatermarkStrategy.noWatermarks(), id).uid(id);
            input = input == null ? s : input.union(s);
        }
        // With a split for every worker, each reader scores what it reads (no shuffle). Fewer
        // splits than workers (one small or compressed file): redistribute so that all score.
        AuditJob.Streams streams = AuditJob.buildPipeline(input, engine, o.includeText(), splits < o.parallelism());
        String alertExt = Alerts.fileExtension(o.alertFormat());
        AuditJob.sinkLines(AlertOutputs.format(streams.alerts(), o.alertFormat(), "alert-format"),
                out.resolve(ALERTS).toString(), ALERTS, "alert-sink", alertExt);
        AlertOutputs.sinkAll(streams.alerts(), o.alertSinks());
        if (o.scored() == AuditOptions.ScoredOutput.JSONL) {
            AuditJob.sinkScored(streams.scored(), out.resolve(SCORED).toString());
        } else if (o.scored() == AuditOptions.ScoredOutput.PARQUET) {
            AuditJob.sinkScoredParquet(streams.scored(), out.resolve(SCORED).toString());
        }
        AuditJob.sinkDeadLetters(streams.deadLetters(), out.resolve(DEAD_LETTERS).toString());

        Path partialsDir = out.resolve(PARTIALS);
        deleteRecursively(partialsDir);
        AuditJob.sinkPartialReports(streams.partialReports(), partialsDir.toString());
        JobClient job = env.executeAsync("threatmon-audit");
        Thread poller = progressPoller(job, progress, totalBytes);
        try {
            job.getJobExecutionResult().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw sinkFailure(e);
        } finally {
            poller.interrupt();
            poller.join(1_000);
        }
        AuditAccumulator total = new AuditAccumulator();
        for (AuditAccumulator partial : AuditJob.readPartialReports(partialsDir)) {
            total.merge(partial);
        }
        deleteRecursively(partialsDir);

        List<Path> written = new ArrayList<>();
        for (String name : List.of(ALERTS, SCORED, DEAD_LETTERS)) {
            if (name.equals(SCORED) && o.scored() == AuditOptions.ScoredOutput.NONE) {
                continue;
            }
            if (name.equals(SCORED) && o.scored() == AuditOptions.ScoredOutput.PARQUET) {
                // Parquet part files are whole files each; they stay in DIR/scored/.
                written.add(out.resolve(SCORED));
                continue;
            }
            String ext = name.equals(ALERTS) ? Alerts.fileExtension(o.alertFormat()) : "jsonl";
            Path merged = consolidate(out.resolve(name), out.resolve(name + "." + ext));
            if (merged != null) {
                written.add(merged);
            }
        }
        Duration duration = Duration.between(started, Instant.now());
        RunMetadata meta = metadata(o, client, files, started, duration, out, byFormat.keySet());
        AuditReport report = total.result(meta);
        progress.update(report.totalMessages() + report.deadLetters(), totalBytes, totalBytes);
        written.addAll(0, ReportWriter.writeAll(report, out));
        return new Result(report, written, totalBytes, duration);
    }

    /**
     * The audit's last steps run in the submitting client after the job (merge the partial reports,
     * join the part files, write the report). A jar run through the REST API or web UI (detached, on
     * the embedded executor) cannot wait for the job: it used to start the job, fail the request with
     * "The Job Result cannot be fetched … in Web Submission" and leave part files and no report.
     * {@code flink run -d} still works: the client waits all the same.
     */
    static void requireAttachedClient(org.apache.flink.configuration.ReadableConfig config) {
        boolean embedded = "embedded".equals(config.get(org.apache.flink.configuration.DeploymentOptions.TARGET));
        if (StreamRunner.detached(config) && embedded) {
            throw new IllegalArgumentException("the audit must be submitted with `flink run` (it waits for the job, then "
                    + "merges the partial reports and writes the report); a jar run through the REST API or web UI cannot wait");
        }
    }

    /**
     * A failed alert sink ends the job; say which sink and why in one line (URL, status, response)
     * instead of Flink's "Job execution failed". Other failures pass through unchanged.
     */
    static Exception sinkFailure(java.util.concurrent.ExecutionException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.threatmon.connectors.sink.SinkDeliveryException d) {
                return new IllegalStateException("alert sink failed, the audit stopped: " + d.getMessage(), e);
            }
            if (t instanceof IOException && t.getMessage() != null
                    && t.getMessage().startsWith("Insufficient number of network buffers")) {
                return new IllegalStateException(NETWORK_BUFFERS_HINT + " (" + t.getMessage() + ")", e);
            }
        }
        return e;
    }

    /**
     * On a real cluster each scoring subtask writes one blocking (sort-merge) output per sink and
     * aggregate, five in all, and each takes taskmanager.network.sort-shuffle.min-buffers (512) network
     * buffers of 32 KB: 80 MB per slot, where the flink image's default task manager (1728m, 2 slots)
     * has 128 MB of network memory. The MiniCluster sets that minimum to 16, so tests never see it.
     */
    static final String NETWORK_BUFFERS_HINT = "the task managers have too little network memory for the audit: "
            + "each scoring subtask keeps about five blocking outputs of taskmanager.network.sort-shuffle.min-buffers "
            + "(default 512) buffers of 32 KB; set taskmanager.network.sort-shuffle.min-buffers: 128 in the cluster's "
            + "configuration, or raise taskmanager.memory.network.min/max (jobs/README.md, \"Network memory\")";

    private static RunMetadata metadata(AuditOptions o, ThreatClient client, List<Path> files, Instant started,
            Duration duration, Path out, Set<LogFormat> formats) {
        RunMetadata.Builder b = RunMetadata.builder()
                .inputs(files.stream().map(Path::toString).toList())
                .startedAt(started)
                .durationMs(duration.toMillis())
                .engineVersion(Version.ENGINE)
                .threshold(o.threshold())
                .parallelism(o.parallelism())
                .includeText(o.includeText())
                .categoryTags(categoryTags(client))
                .format(String.join(",", formats.stream().map(LogFormat::id).toList()))
                .deadLetterOutput(out.resolve(DEAD_LETTERS + ".jsonl").toString());
        if (o.scored() == AuditOptions.ScoredOutput.JSONL) {
            b.scoredOutput(out.resolve(SCORED + ".jsonl").toString());
        } else if (o.scored() == AuditOptions.ScoredOutput.PARQUET) {
            b.scoredOutput(out.resolve(SCORED).toString() + "/*.parquet");
        }
        for (PackInfo p : client.rules().packs()) {
            b.rulePack(p.name(), p.version());
        }
        return b.build();
    }

    /** Each category's OWASP and ATLAS tags, from the rules that detect it. */
    static Map<String, List<String>> categoryTags(ThreatClient client) {
        Map<String, Set<String>> tags = new LinkedHashMap<>();
        for (CompiledRule r : client.rules().rules()) {
            Set<String> s = tags.computeIfAbsent(r.category(), c -> new LinkedHashSet<>());
            for (String t : r.definition().tags()) {
                if (t.startsWith("LLM") || t.startsWith("AML.")) {
                    s.add(t);
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        tags.forEach((c, s) -> out.put(c, List.copyOf(s)));
        return out;
    }

    private static Thread progressPoller(JobClient job, Progress progress, long totalBytes) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Map<String, Object> acc = job.getAccumulators().get(2, TimeUnit.SECONDS);
                    long records = asLong(acc.get(ScoreMessages.RECORDS_READ));
                    long bytes = asLong(acc.get(ScoreMessages.BYTES_READ));
                    progress.update(records, Math.min(bytes, totalBytes), totalBytes);
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // The job may be finishing; the final figures are reported after it ends.
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "threatmon-audit-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long asLong(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Joins the part files a sink wrote into one file (an empty one when there were none) and
     * removes the directory.
     */
    static Path consolidate(Path partsDir, Path target) throws IOException {
        if (!Files.isDirectory(partsDir)) {
            // A sink that received nothing writes no part file; an empty file says "none" plainly.
            Files.write(target, new byte[0]);
            return target;
        }
        List<Path> parts;
        try (Stream<Path> s = Files.list(partsDir)) {
            parts = s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        try (OutputStream o = Files.newOutputStream(target)) {
            for (Path p : parts) {
                Files.copy(p, o);
            }
        }
        deleteRecursively(partsDir);
        return target;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
