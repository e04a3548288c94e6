package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.junit.jupiter.api.Test;

class StreamMainTest {

    static final String[] REQUIRED = {"--bootstrap-servers", "kafka:9092", "--input-topic", "llm-traffic",
        "--alerts-topic", "threatmon-alerts", "--reports-topic", "threatmon-reports"};

    static String[] with(String... more) {
        String[] args = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, args, 0, REQUIRED.length);
        System.arraycopy(more, 0, args, REQUIRED.length, more.length);
        return args;
    }

    @Test
    void shouldParseTheSameFlagsAsTheCommandLine() {
        StreamOptions o = StreamMain.parse(with("--window", "5m", "--threshold", "80", "--parallelism", "4",
                "--checkpoint-interval", "30s", "--throttle", "10m", "--out-of-orderness", "1m", "--allowed-lateness", "10s",
                "--idleness", "2m", "--dead-letter-topic", "dlq", "--bounded", "--conversation-turns", "6",
                "--starting-offsets", "latest", "--alert-sink", "kafka://kafka:9092/soc-cef?format=cef", "--user-field", "uid"));
        assertEquals("kafka:9092", o.bootstrapServers());
        assertEquals(Duration.ofMinutes(5), o.window());
        assertEquals(80, o.threshold());
        assertEquals(4, o.parallelism());
        assertEquals(Duration.ofSeconds(30), o.checkpointInterval());
        assertEquals(Duration.ofMinutes(10), o.throttle());
        assertEquals(Duration.ofMinutes(1), o.outOfOrderness());
        assertEquals(Duration.ofSeconds(10), o.allowedLateness());
        assertEquals(Duration.ofMinutes(2), o.idleness());
        assertEquals("dlq", o.deadLetterTopic());
        assertTrue(o.bounded());
        assertEquals(6, o.conversationTurns());
        assertEquals(StreamOptions.StartingOffsets.LATEST, o.startingOffsets());
        assertEquals("kafka:9092/soc-cef", o.alertSinks().get(0).target());
        assertEquals("uid", o.mapping().field("user"));
        assertFalse(o.model());
    }

    @Test
    void shouldUseDocumentedDefaults() {
        StreamOptions o = StreamMain.parse(REQUIRED);
        assertEquals(Duration.ofMinutes(1), o.window());
        assertEquals(Duration.ofSeconds(10), o.checkpointInterval());
        assertEquals("llm-traffic-dead-letters", o.deadLetterTopic());
        assertTrue(o.transactionTimeout().compareTo(Duration.ofMinutes(15)) < 0, "below the broker's transaction.max.timeout.ms");
        assertFalse(o.bounded());
    }

    @Test
    void shouldRejectUnknownFlagsMissingTopicsAndBadValues() {
        assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--fast")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(new String[] {"--bootstrap-servers", "k:1"}))
                .getMessage().contains("--input-topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--window", "0s")))
                .getMessage().contains("--window"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--threshold", "high")))
                .getMessage().contains("--threshold"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--alert-sink", "kafka://k:9092/")))
                .getMessage().contains("topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--checkpoint-interval", "20min")))
                .getMessage().contains("--transaction-timeout"));
    }

    /** Dead letters written to the input topic were read back as new dead letters, forever. */
    @Test
    void shouldRejectOutputTopicsThatAreTheInputOrEachOther() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--dead-letter-topic", "llm-traffic")))
                .getMessage().contains("must differ from --input-topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StreamMain.parse(with("--dead-letter-topic", "threatmon-alerts")))
                .getMessage().contains("must differ from each other"));
    }

    @Test
    void shouldCapTheTextAnAlertCarries() {
        String huge = "x".repeat(ScoreMessages.MAX_TEXT_CHARS + 10);
        String capped = ScoreMessages.capped(huge);
        assertTrue(capped.startsWith("x".repeat(ScoreMessages.MAX_TEXT_CHARS)));
        assertTrue(capped.endsWith("… [10 more characters not included]"), capped.substring(capped.length() - 60));
        assertEquals("short", ScoreMessages.capped("short"));
    }

    @Test
    void shouldTellDetachedSubmissionsFromAttachedAndEmbeddedOnes() {
        // An embedded MiniCluster leaves execution.attached unset; `flink run` sets it true, `flink run -d`
        // and the REST API's jar run set it false (and then nothing may wait for the job).
        assertFalse(StreamRunner.detached(new Configuration()));
        assertFalse(StreamRunner.detached(new Configuration().set(DeploymentOptions.ATTACHED, true)));
        assertTrue(StreamRunner.detached(new Configuration().set(DeploymentOptions.ATTACHED, false)));
    }
}
