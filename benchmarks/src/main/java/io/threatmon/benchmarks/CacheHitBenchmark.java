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
 * A cache hit: {@code ThreatClient.analyze} of a medium (~1 KB) text the client has already
 * analyzed, with the default cache (10,000 entries) and the bundled rules. Two variants:
 * {@code sameInstance} passes the very String analyzed before (its hash code is cached in the
 * String, so the lookup skips hashing the text); {@code newString} passes a fresh copy each time, as
 * a text that arrives again from the network would be: the lookup then hashes and compares the
 * whole text, and the figure includes the copy (one ~1 KB array copy).
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CacheHitBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CacheHitBenchmark {

    @Param({"benign", "attack"})
    public String kind;

    private ThreatClient client;
    private String text;
    private char[] chars;

    @Setup
    public void setUp() {
        client = ThreatClient.builder().logDetections(false).build();
        text = BenchmarkInputs.texts("medium", kind)[0];
        chars = text.toCharArray();
        client.analyze(text);
        if (!client.analyze(new String(chars)).cached()) {
            throw new IllegalStateException("the second analysis of the same text was not a cache hit");
        }
    }

    @Benchmark
    public AnalysisResult sameInstance() {
        return client.analyze(text);
    }

    @Benchmark
    public AnalysisResult newString() {
        return client.analyze(new String(chars));
    }
}
