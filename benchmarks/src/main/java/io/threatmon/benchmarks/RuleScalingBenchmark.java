package io.threatmon.benchmarks;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.ThreatClient;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule-count scaling: single-thread {@code analyze} (no cache, no model) of the same medium
 * (~1 KB) benign and attack texts with the bundled rules plus 0, 100, 1,000 or 10,000 generated
 * rules ({@link SyntheticRules}). The bar: 10× the rules costs less than 2× the time.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RuleScalingBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RuleScalingBenchmark {

    /** Seed of the generated packs: the same rules in every run. */
    public static final long RULES_SEED = 42;

    @Param({"0", "100", "1000", "10000"})
    public int generatedRules;

    @Param({"benign", "attack"})
    public String kind;

    private ThreatClient client;
    private String[] texts;
    private int next;

    @Setup
    public void setUp() {
        client = BenchmarkInputs.client(new SyntheticRules(generatedRules, RULES_SEED).withBundled());
        texts = BenchmarkInputs.texts("medium", kind);
    }

    @Benchmark
    public AnalysisResult analyze() {
        String text = texts[next];
        next = (next + 1) % texts.length;
        return client.analyze(text);
    }
}
