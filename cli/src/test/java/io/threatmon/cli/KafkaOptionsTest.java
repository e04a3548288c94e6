package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Flag checks of {@code generate --to-kafka} and {@code publish} that need no broker. */
class KafkaOptionsTest {

    @Test
    void shouldRequireBootstrapServersAndTopicWithToKafka() {
        CliRun run = CliRun.run("generate", "--to-kafka", "--topic", "t");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--to-kafka needs --bootstrap-servers HOST:PORT"), run.err());
        CliRun noTopic = CliRun.run("publish", "--input", "x.jsonl", "--bootstrap-servers", "localhost:9092");
        assertEquals(1, noTopic.exitCode());
        assertTrue(noTopic.err().contains("publish needs --topic"), noTopic.err());
    }

    @Test
    void shouldRejectABadRateOrTimeoutNamingTheFlag() {
        CliRun rate = CliRun.run("generate", "--to-kafka", "--bootstrap-servers", "h:1", "--topic", "t", "--rate", "fast");
        assertEquals(1, rate.exitCode());
        assertTrue(rate.err().contains("--rate must be a positive number of messages per second (500 or 500/s), not 'fast'"),
                rate.err());
        CliRun zero = CliRun.run("generate", "--to-kafka", "--bootstrap-servers", "h:1", "--topic", "t", "--rate", "0/s");
        assertTrue(zero.err().contains("--rate must be a positive number"), zero.err());
        CliRun timeout = CliRun.run("publish", "--input", "x", "--bootstrap-servers", "h:1", "--topic", "t", "--timeout", "soon");
        assertTrue(timeout.err().contains("--timeout must be a positive duration such as 30s or 2min, not 'soon'"),
                timeout.err());
    }

    @Test
    void shouldKeepFileAndKafkaFlagsApart() {
        CliRun both = CliRun.run("generate", "--to-kafka", "--out", "x.jsonl", "--bootstrap-servers", "h:1", "--topic", "t");
        assertTrue(both.err().contains("drop --out"), both.err());
        CliRun kafkaFlagsOnFile = CliRun.run("generate", "--out", "x.jsonl", "--rate", "10");
        assertTrue(kafkaFlagsOnFile.err().contains("go with --to-kafka"), kafkaFlagsOnFile.err());
        CliRun neither = CliRun.run("generate");
        assertTrue(neither.err().contains("give --out FILE, or --to-kafka"), neither.err());
    }

    @Test
    void shouldRefuseLogsThatAreNotJsonLines() {
        CliRun csv = CliRun.run("publish", "--input", "logs.csv", "--bootstrap-servers", "h:1", "--topic", "t");
        assertTrue(csv.err().contains("publish sends JSON lines; logs.csv is not a JSON-lines log"), csv.err());
    }
}
