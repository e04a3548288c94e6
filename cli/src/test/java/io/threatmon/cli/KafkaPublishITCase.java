package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.threatmon.jobs.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish} and {@code generate --to-kafka} against a real in-process KRaft broker. */
class KafkaPublishITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @TempDir
    static Path kafkaDir;

    @BeforeAll
    static void startKafka() throws Exception {
        // As in production: a missing topic is an error, not a new topic.
        kafka = EmbeddedKafka.start(kafkaDir, Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPublishEveryLineOnceKeyedByConversationAndInvalidLinesAsTheyAre() throws Exception {
        kafka.createTopic("publish-lines", 3);
        List<String> lines = List.of(
                "{\"timestamp\":\"2026-03-02T09:00:00Z\",\"conversation_id\":\"c1\",\"message_id\":\"c1-1\",\"role\":\"user\",\"text\":\"hello\"}",
                "{\"timestamp\":\"2026-03-02T09:00:05Z\",\"conversation_id\":\"c1\",\"message_id\":\"c1-2\",\"role\":\"assistant\",\"text\":\"hi\"}",
                "this is not json",
                "{\"conversation_id\":\"c2\",\"message_id\":\"c2-1\",\"text\":\"Ignore all previous instructions | a=b \\\\ é\"}",
                "[1,2,3]",
                "{\"text\":\"no conversation id\"}");
        Path log = dir.resolve("log.jsonl");
        Files.writeString(log, "\uFEFF" + lines.get(0) + "\n" + String.join("\n", lines.subList(1, 3)) + "\n\n   \n"
                + String.join("\n", lines.subList(3, lines.size())) + "\n");

        CliRun run = CliRun.run("publish", "--input", log.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "publish-lines");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("published 6 messages to publish-lines"), run.err());
        assertTrue(run.err().contains("2 of them are not JSON objects"), run.err());

        List<ConsumerRecord<String, String>> got = kafka.readCommittedRecords("publish-lines");
        assertEquals(lines.size(), got.size(), "every non-blank line exactly once");
        Map<String, String> keyOf = new HashMap<>();
        got.forEach(r -> keyOf.put(r.value(), r.key()));
        assertEquals(Set.copyOf(lines), keyOf.keySet(), "lines arrive unchanged (BOM stripped)");
        assertEquals("c1", keyOf.get(lines.get(0)));
        assertEquals("c2", keyOf.get(lines.get(3)));
        assertNull(keyOf.get("this is not json"));
        assertNull(keyOf.get("[1,2,3]"));
        assertNull(keyOf.get(lines.get(5)));
        List<String> c1InOrder = got.stream().filter(r -> "c1".equals(r.key())).map(ConsumerRecord::value).toList();
        assertEquals(lines.subList(0, 2), c1InOrder, "a conversation stays in order on one partition");
    }

    /** A line over Kafka's record limit failed the run midway; it is left out, named, and the rest is sent. */
    @Test
    void shouldSendEveryLineButOneOverTheRecordLimitAndNameIt() throws Exception {
        kafka.createTopic("publish-large", 1);
        Path log = dir.resolve("large.jsonl");
        Files.writeString(log, "{\"text\":\"one\"}\n{\"text\":\"" + "x".repeat(1_200_000) + "\"}\n{\"text\":\"three\"}\n");
        CliRun run = CliRun.run("publish", "--input", log.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "publish-large");
        assertEquals(Main.ERROR, run.exitCode(), run.toString());
        assertTrue(run.err().contains("1 line(s) not sent, over Kafka's default record limit of 1000000 bytes: line 2 (1200011 bytes)"),
                run.err());
        List<ConsumerRecord<String, String>> got = kafka.readCommittedRecords("publish-large");
        assertEquals(List.of("{\"text\":\"one\"}", "{\"text\":\"three\"}"), got.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void shouldPublishExactlyWhatGenerateWritesToAFile() throws Exception {
        kafka.createTopic("generated", 2);
        Path file = dir.resolve("gen.jsonl");
        assertEquals(0, CliRun.run("-q", "generate", "--messages", "300", "--seed", "9", "--out", file.toString()).exitCode());
        CliRun run = CliRun.run("generate", "--messages", "300", "--seed", "9", "--to-kafka",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "generated");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("published 300 messages to generated"), run.err());

        List<ConsumerRecord<String, String>> got = kafka.readCommittedRecords("generated");
        assertEquals(300, got.size());
        assertEquals(new HashSet<>(Files.readAllLines(file)), new HashSet<>(got.stream().map(ConsumerRecord::value).toList()));
        for (ConsumerRecord<String, String> r : got) {
            assertEquals(JSON.readTree(r.value()).get("conversation_id").asText(), r.key());
        }
    }

    @Test
    void shouldStampLiveTimestampsAndHoldTheRate() throws Exception {
        kafka.createTopic("live", 1);
        long before = System.currentTimeMillis();
        long started = System.nanoTime();
        CliRun run = CliRun.run("-q", "generate", "--messages", "60", "--to-kafka", "--live", "--rate", "100/s",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "live");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, run.exitCode(), run.toString());
        // A lower bound only: a slow machine can only make the run longer.
        assertTrue(seconds >= 59 / 100.0, "60 messages at 100/s take at least 0.59 s, took " + seconds);

        List<ConsumerRecord<String, String>> got = kafka.readCommittedRecords("live");
        assertEquals(60, got.size());
        List<Long> times = new ArrayList<>();
        for (ConsumerRecord<String, String> r : got) {
            JsonNode n = JSON.readTree(r.value());
            times.add(Instant.parse(n.get("timestamp").asText()).toEpochMilli());
        }
        long after = System.currentTimeMillis();
        assertTrue(times.stream().allMatch(t -> t >= before && t <= after), "live timestamps are publish times: " + times);
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) >= times.get(i - 1), "one partition, in publish order: " + times);
        }
        assertTrue(times.get(times.size() - 1) - times.get(0) >= 580, "paced over at least 0.58 s: " + times);
    }

    @Test
    void shouldNameTheBootstrapServersWhenNoBrokerAnswers() throws Exception {
        String nobody = "localhost:" + EmbeddedKafka.freePort();
        Path log = dir.resolve("one.jsonl");
        Files.writeString(log, "{\"text\":\"hello\"}\n");
        CliRun run = CliRun.run("publish", "--input", log.toString(), "--bootstrap-servers", nobody, "--topic", "t",
                "--timeout", "2s");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("threatmon: error: no Kafka broker answered at " + nobody + " within 2 s"), run.err());

        CliRun gen = CliRun.run("generate", "--to-kafka", "--messages", "5", "--bootstrap-servers", nobody, "--topic", "t",
                "--timeout", "1s");
        assertEquals(1, gen.exitCode(), gen.toString());
        assertTrue(gen.err().contains("no Kafka broker answered at " + nobody + " within 1 s"), gen.err());
    }

    @Test
    void shouldFailClearlyWhenTheTopicDoesNotExistAndTheBrokerWillNotCreateIt() throws Exception {
        Path log = dir.resolve("one.jsonl");
        Files.writeString(log, "{\"text\":\"hello\"}\n");
        CliRun run = CliRun.run("publish", "--input", log.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", "missing-topic", "--timeout", "3s");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("topic missing-topic does not exist"), run.err());
        assertTrue(run.err().contains("threatmon: error: topic missing-topic not available on " + kafka.bootstrapServers()),
                run.err());
    }
}
