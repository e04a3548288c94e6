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
 * Single-thread {@code ThreatClient.analyze} without cache on short (~100 B), medium (~1 KB) and
 * long (~100 KB) prompts, benign or with an injection (at the end of long ones), with the bundled
 * rules alone or with the bundled model too.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar AnalyzeBenchmark -f 1 -wi 3 -i 5 -p size=medium
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AnalyzeBenchmark {

    @Param({"short", "medium", "long"})
    public String size;

    @Param({"benign", "attack"})
    public String kind;

    @Param({"rules", "rules+model"})
    public String detectors;

    private ThreatClient client;
    private String[] texts;
    private int next;

    @Setup
    public void setUp() {
        client = BenchmarkInputs.client(detectors);
        texts = BenchmarkInputs.texts(size, kind);
    }

    @Benchmark
    public AnalysisResult analyze() {
        String text = texts[next];
        next = (next + 1) % texts.length;
        return client.analyze(text);
    }
}
