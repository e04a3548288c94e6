package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.jobs.StreamOptions;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamCommandTest {

    static final String[] REQUIRED = {"--bootstrap-servers", "localhost:9", "--input-topic", "in", "--alerts-topic", "a",
        "--reports-topic", "r"};

    static StreamCommand parsed(String... more) {
        PrintStream nul = new PrintStream(OutputStream.nullOutputStream());
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), nul, nul, Map.of());
        StreamCommand cmd = new StreamCommand(ctx);
        String[] args = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(more, 0, args, REQUIRED.length, more.length);
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void shouldOfferExactlyTheFlagsOfStreamMain() {
        CommandLine cl = new CommandLine(new StreamCommand(null));
        Set<String> cli = cl.getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(o -> o.longestName().replaceFirst("^--", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(StreamOptions.FLAGS), cli, "threatmon stream and StreamMain (flink run) take the same flags");
    }

    @Test
    void shouldPrintHelpWithoutTheRequiredFlags() {
        CliRun r = CliRun.run("stream", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("--bootstrap-servers") && r.out().contains("--throttle"), r.out());
    }

    @Test
    void shouldBuildOptionsFromFlags() {
        StreamOptions o = parsed("--window", "30s", "--throttle", "2m", "--parallelism", "3", "--bounded", "--threshold", "80",
                "--alert-sink", "kafka://localhost:9092/soc?format=cef", "--text-field", "prompt").options();
        assertEquals(Duration.ofSeconds(30), o.window());
        assertEquals(Duration.ofMinutes(2), o.throttle());
        assertEquals(3, o.parallelism());
        assertTrue(o.bounded());
        assertEquals(80, o.threshold());
        assertEquals("in-dead-letters", o.deadLetterTopic());
        assertEquals("kafka", o.alertSinks().get(0).scheme());
        assertEquals("cef", o.alertSinks().get(0).format().id());
        assertEquals("prompt", o.mapping().field("text"));
    }

    @Test
    void shouldRejectBadValuesNamingTheFlag() {
        CliRun r = CliRun.run("stream", "--bootstrap-servers", "localhost:9", "--input-topic", "in", "--alerts-topic", "a",
                "--reports-topic", "r", "--window", "soon");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--window must be a duration"), r.err());
        r = CliRun.run("stream", "--bootstrap-servers", "localhost:9", "--input-topic", "in", "--alerts-topic", "a",
                "--reports-topic", "r", "--transaction-timeout", "20min");
        assertTrue(r.err().contains("--transaction-timeout must be between 1s and 15min"), r.err());
        r = CliRun.run("stream", "--input-topic", "in");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--bootstrap-servers"), r.err());
    }
}
