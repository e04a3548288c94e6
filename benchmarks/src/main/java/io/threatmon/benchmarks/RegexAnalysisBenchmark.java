package io.threatmon.benchmarks;

import io.threatmon.engine.internal.RegexAtoms;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading a custom rule with a long literal: {@code RegexAtoms.analyze} of one literal regex of
 * {@code length} characters (Latin words, or CJK characters), the work a rule pack's regex costs
 * before the rule can run. It should grow linearly with the length.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RegexAnalysisBenchmark -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class RegexAnalysisBenchmark {

    @Param({"1000", "10000", "70000"})
    public int length;

    @Param({"latin", "cjk"})
    public String script;

    private String regex;

    @Setup
    public void setUp() {
        java.util.Random random = new java.util.Random(1);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            if (script.equals("cjk")) {
                b.append((char) (0x4E00 + random.nextInt(2000)));
            } else {
                b.append((char) ('a' + random.nextInt(26)));
                if (random.nextInt(7) == 0) {
                    b.append(' ');
                }
            }
        }
        regex = b.toString();
    }

    @Benchmark
    public RegexAtoms.Analysis analyze() {
        return RegexAtoms.analyze(regex);
    }
}
