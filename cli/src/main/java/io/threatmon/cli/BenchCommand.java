package io.threatmon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.connectors.BenchmarkTexts;
import io.threatmon.engine.Detector;
import io.threatmon.engine.ThreatClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon bench} (alias {@code benchmark}, upstream's name): how fast this machine
 * analyzes, with the user's own rules and settings, on generated texts or the user's own. Reports
 * messages/s, MB/s, per-message latency percentiles and the heap the client needs. For
 * publishable figures use the JMH benchmarks (module {@code benchmarks}); this command is the quick
 * check a user runs before deploying.
 */
@Command(name = "bench", aliases = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure analysis speed: messages/s, MB/s, p50/p95/p99/max latency per message and heap used, "
                + "on generated texts (--size, --attack-rate) or your own (--input).",
                "Figures are for this machine now: other load on it slows them down."})
final class BenchCommand implements Callable<Integer> {

    /** Generated messages when --messages is not given. */
    static final int DEFAULT_MESSAGES = 10_000;
    /** Generated long (100 KB) messages when --messages is not given. */
    static final int DEFAULT_LONG_MESSAGES = 500;
    /** Distinct generated texts are kept within this many bytes; beyond it they repeat (the cache is off by default). */
    static final long POOL_BYTES = 64L << 20;
    /** Upper bound of --messages: one latency (8 bytes) is kept per message. */
    static final int MAX_MESSAGES = 50_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CliContext ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-n", "--messages", "--samples"}, paramLabel = "N",
            description = "Messages to time (default: " + DEFAULT_MESSAGES + ", " + DEFAULT_LONG_MESSAGES
                    + " with --size long; with --input, every text once).")
    Integer messages;

    @Option(names = "--size", defaultValue = "mixed", paramLabel = "short|medium|long|mixed",
            description = "Generated message size: short ~100 B, medium ~1 KB, long ~100 KB, or mixed "
                    + "(70%% short, 25%% medium, 5%% long). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--attack-rate", defaultValue = "0.05", paramLabel = "R",
            description = "Fraction of generated messages with an injection inside, 0-1 (default ${DEFAULT-VALUE}).")
    double attackRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the generated texts (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Time these texts instead: a .txt file (one text per line) or JSON lines (the --text-field of each).")
    Path input;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "NAME",
            description = "Field holding the text in --input JSON lines (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Threads analyzing at once (default ${DEFAULT-VALUE}); with more than one, throughput is the aggregate.")
    int threads;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed messages first, so the JIT compiles the hot code (default: 1000, 50 with --size long).")
    Integer warmup;

    @Option(names = "--cache-size", defaultValue = "0", paramLabel = "N",
            description = "Verdict cache entries (default 0: measure the analysis itself, not the cache).")
    int cacheSize;

    @Option(names = "--heap", description = "Only measure the heap the client needs (rules, model): once loaded, and after analysing the workload (--messages, --input) on one thread; then exit.")
    boolean heapOnly;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    BenchCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        validate();
        long before = HeapMeter.usedAfterGc();
        if (cacheSize < 0) {
            throw new CliException("--cache-size must be 0 (off) or more, not " + cacheSize);
        }
        ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).cacheSize(cacheSize).build();
        RuleOptions.reportWarnings(ctx, client.rules());
        client.analyze("Warm-up: make the client load everything it loads lazily.");
        client.clearCache();
        long withClient = HeapMeter.usedAfterGc();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("detectors", client.detectors().stream().map(Detector::name).toList());
        out.put("rules", client.rules().size());
        out.put("heap_used_bytes", withClient);
        out.put("client_retained_bytes", Math.max(0, withClient - before));
        Workload work = input != null ? Workload.read(input, textField, messages) : generate();
        if (heapOnly) {
            // The engine builds DFA states per thread as texts need them: count them too, after
            // this (living) thread has analysed the workload and the texts are dropped (the result
            // cache is emptied: it is sized separately).
            int count = work.count;
            ctx.info(String.format(Locale.ROOT, "analysing %,d messages on one thread ...", count));
            for (int i = 0; i < count; i++) {
                client.analyze(work.text(i));
            }
            work = null;
            client.clearCache();
            long afterWork = HeapMeter.usedAfterGc();
            out.put("messages", count);
            out.put("heap_used_after_workload_bytes", afterWork);
            out.put("client_retained_after_workload_bytes", Math.max(0, afterWork - before));
            print(out, null);
            return Main.OK;
        }

        int warm = warmup != null ? warmup : "long".equals(size) && input == null ? 50 : 1_000;
        if (warm > 0) {
            ctx.info(String.format(Locale.ROOT, "warming up: %,d messages ...", warm));
            run(client, work, warm, null);
            client.clearCache();
        }
        ctx.info(String.format(Locale.ROOT, "timing: %,d messages on %d thread%s ...", work.count, threads, threads == 1 ? "" : "s"));
        long[] latencies = new long[work.count];
        long start = System.nanoTime();
        int threats = run(client, work, work.count, latencies);
        long wall = System.nanoTime() - start;

        out.put("source", input != null ? input.toString() : "generated");
        if (input == null) {
            out.put("size", size);
            out.put("attack_rate", attackRate);
            out.put("seed", seed);
        }
        out.put("threads", threads);
        out.put("cache_size", cacheSize);
        out.put("messages", work.count);
        out.put("bytes", work.bytes);
        out.put("seconds", wall / 1e9);
        out.put("messages_per_second", work.count / (wall / 1e9));
        out.put("mb_per_second", work.bytes / 1e6 / (wall / 1e9));
        java.util.Arrays.sort(latencies);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", percentile(latencies, 50) / 1e3);
        lat.put("p95", percentile(latencies, 95) / 1e3);
        lat.put("p99", percentile(latencies, 99) / 1e3);
        lat.put("max", latencies[latencies.length - 1] / 1e3);
        lat.put("mean", java.util.Arrays.stream(latencies).average().orElse(0) / 1e3);
        out.put("latency_us", lat);
        out.put("threats", threats);
        print(out, lat);
        return Main.OK;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (messages != null && (messages < 1 || messages > MAX_MESSAGES)) {
            throw new CommandLine.ParameterException(cl, "--messages must be 1 to " + MAX_MESSAGES + ", not " + messages);
        }
        if (!List.of("short", "medium", "long", "mixed").contains(size)) {
            throw new CommandLine.ParameterException(cl, "--size must be short, medium, long or mixed, not '" + size + "'");
        }
        if (attackRate < 0 || attackRate > 1 || Double.isNaN(attackRate)) {
            throw new CommandLine.ParameterException(cl, "--attack-rate must be between 0 and 1, not " + attackRate);
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1, not " + threads);
        }
        if (warmup != null && warmup < 0) {
            throw new CommandLine.ParameterException(cl, "--warmup must be 0 or more, not " + warmup);
        }
        if (cacheSize < 0) {
            throw new CommandLine.ParameterException(cl, "--cache-size must be 0 or more, not " + cacheSize);
        }
        if (input != null && !Files.isRegularFile(input)) {
            throw new CliException(Files.isDirectory(input) ? "--input is a directory, not a file: " + input
                    : "input file not found: " + input);
        }
    }

    /** Generated texts: a pool of distinct ones, reused in turn when the messages would exceed {@link #POOL_BYTES}. */
    private Workload generate() {
        int n = messages != null ? messages : "long".equals(size) ? DEFAULT_LONG_MESSAGES : DEFAULT_MESSAGES;
        BenchmarkTexts texts = BenchmarkTexts.load();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> pool = new ArrayList<>();
        long poolBytes = 0;
        while (pool.size() < n && poolBytes < POOL_BYTES) {
            BenchmarkTexts.Size s = switch (size) {
                case "mixed" -> {
                    double r = random.nextDouble();
                    yield r < 0.70 ? BenchmarkTexts.Size.SHORT : r < 0.95 ? BenchmarkTexts.Size.MEDIUM : BenchmarkTexts.Size.LONG;
                }
                default -> BenchmarkTexts.Size.parse(size);
            };
            long textSeed = random.nextLong();
            String t = random.nextDouble() < attackRate ? texts.attack(s, textSeed) : texts.benign(s, textSeed);
            pool.add(t);
            poolBytes += BenchmarkTexts.utf8Length(t);
        }
        return Workload.of(pool, n);
    }

    /**
     * Analyzes the first {@code count} messages of the workload on {@link #threads} threads that take
     * the next message in turn; records each message's nanoseconds when {@code latencies} is given.
     * Returns the number of threats.
     */
    private int run(ThreatClient client, Workload work, int count, long[] latencies) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threats = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    int found = 0;
                    for (int i; (i = next.getAndIncrement()) < count; ) {
                        String text = work.text(i);
                        long t0 = System.nanoTime();
                        boolean threat = client.analyze(text).isThreat();
                        long t1 = System.nanoTime();
                        if (latencies != null) {
                            latencies[i] = t1 - t0;
                        }
                        if (threat) {
                            found++;
                        }
                    }
                    threats.addAndGet(found);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    next.set(count);
                }
            }, "bench-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        ready.await();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return threats.get();
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private void print(Map<String, Object> out, Map<String, Object> lat) throws IOException {
        if (json) {
            ctx.out.println(JSON.writeValueAsString(out));
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> detectors = (List<String>) out.get("detectors");
        ctx.out.printf(Locale.ROOT, "detectors:  %s (%,d rules)%n", String.join(" + ", detectors), (Integer) out.get("rules"));
        if (lat != null) {
            String what = input != null ? "from " + input
                    : String.format(Locale.ROOT, "generated, size %s, attack rate %s, seed %d", size, attackRate, seed);
            ctx.out.printf(Locale.ROOT, "messages:   %,d (%s), %d thread%s, cache %s%n", (Integer) out.get("messages"), what,
                    threads, threads == 1 ? "" : "s", cacheSize == 0 ? "off" : cacheSize + " entries");
            ctx.out.printf(Locale.ROOT, "throughput: %,.0f messages/s   %,.2f MB/s   (%,.2f MB in %.2f s)%n",
                    (Double) out.get("messages_per_second"), (Double) out.get("mb_per_second"),
                    ((Long) out.get("bytes")) / 1e6, (Double) out.get("seconds"));
            ctx.out.printf(Locale.ROOT, "latency:    p50 %s   p95 %s   p99 %s   max %s   mean %s (per message%s)%n",
                    micros(lat.get("p50")), micros(lat.get("p95")), micros(lat.get("p99")), micros(lat.get("max")),
                    micros(lat.get("mean")), threads == 1 ? "" : ", threads competing");
            int threats = (Integer) out.get("threats");
            ctx.out.printf(Locale.ROOT, "threats:    %,d (%.1f%%)%n", threats, 100.0 * threats / (Integer) out.get("messages"));
        }
        ctx.out.printf(Locale.ROOT, "heap:       %.1f MB used after a full GC with the client loaded; the client retains about %.1f MB "
                + "(approximate)%n", (Long) out.get("heap_used_bytes") / 1e6, (Long) out.get("client_retained_bytes") / 1e6);
        if (out.containsKey("client_retained_after_workload_bytes")) {
            ctx.out.printf(Locale.ROOT, "            %.1f MB after analysing %,d messages on one thread (with the DFA states that thread built)%n",
                    (Long) out.get("client_retained_after_workload_bytes") / 1e6, (Integer) out.get("messages"));
        }
    }

    private static String micros(Object v) {
        double us = (Double) v;
        return us >= 1_000 ? String.format(Locale.ROOT, "%,.2f ms", us / 1_000) : String.format(Locale.ROOT, "%.1f µs", us);
    }

    /** The texts to time: {@code count} messages taken in turn from a pool of distinct texts. */
    record Workload(List<String> pool, int count, long bytes) {

        static Workload of(List<String> pool, int count) {
            if (pool.isEmpty()) {
                throw new CliException("no texts to time");
            }
            long[] sizes = pool.stream().mapToLong(BenchmarkTexts::utf8Length).toArray();
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                bytes += sizes[i % sizes.length];
            }
            return new Workload(List.copyOf(pool), count, bytes);
        }

        String text(int i) {
            return pool.get(i % pool.size());
        }

        /** Texts from a .txt file (one per non-blank line) or JSON lines; {@code count} null means each text once. */
        static Workload read(Path file, String field, Integer count) throws IOException {
            boolean txt = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt");
            ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            List<String> texts = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line; (line = r.readLine()) != null; ) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    if (txt) {
                        texts.add(line);
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = mapper.readTree(line);
                    } catch (IOException e) {
                        throw new CliException(file + ":" + lineNo + ": not valid JSON (a .txt file is read as one text per line)");
                    }
                    JsonNode t = node == null ? null : node.get(field);
                    if (t == null || !t.isTextual()) {
                        throw new CliException(file + ":" + lineNo + ": no text field '" + field + "' (set --text-field)");
                    }
                    texts.add(t.textValue());
                }
            } catch (java.nio.charset.MalformedInputException e) {
                throw new CliException(file + ": not UTF-8 text");
            }
            if (texts.isEmpty()) {
                throw new CliException(file + ": no texts");
            }
            return of(texts, count != null ? count : texts.size());
        }
    }

    /** The heap in use after a full collection: approximate, as every JVM heap figure is. */
    static final class HeapMeter {

        private HeapMeter() {}

        /** Collects until the used heap stops shrinking (at most 5 times) and returns it in bytes. */
        static long usedAfterGc() {
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                memory.gc();
                long now = memory.getHeapMemoryUsage().getUsed();
                if (used - now < 256 * 1024) {
                    return Math.min(used, now);
                }
                used = now;
            }
            return used;
        }
    }
}
