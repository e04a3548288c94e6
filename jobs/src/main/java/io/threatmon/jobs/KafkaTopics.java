package io.threatmon.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The client-side Kafka chores of a streaming run: check the input topic, create missing output
 * topics, and read back (read_committed) what a run wrote to count it.
 *
 * <pre>{@code
 * KafkaTopics k = new KafkaTopics("localhost:9092");
 * KafkaTopics.Offsets before = k.endOffsets("alerts", "reports", "dead-letters");
 * // … run …
 * StreamRunner.Summary s = k.summary(before, "alerts", "reports", "dead-letters");
 * }</pre>
 */
public final class KafkaTopics {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** End offsets of some topics' partitions at one moment. */
    public record Offsets(Map<TopicPartition, Long> offsets) {}

    private final String bootstrapServers;

    public KafkaTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    private Admin admin() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT.toMillis()));
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try {
            return Admin.create(p);
        } catch (org.apache.kafka.common.KafkaException e) {
            // "Failed to create new KafkaAdminClient" hides the reason (no resolvable address)
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("bad --bootstrap-servers '" + bootstrapServers + "': " + root.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the flag when the topic does not exist or the broker cannot be reached */
    public void requireExists(String topic, String flag) {
        try (Admin admin = admin()) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("--" + flag + " " + topic + ": no such topic on " + bootstrapServers);
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidTopicException) {
                throw new IllegalArgumentException("--" + flag + " '" + topic + "' is not a valid Kafka topic name "
                        + "(letters, digits, '.', '_' and '-', at most 249)");
            }
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " (no answer in " + TIMEOUT.toSeconds() + " s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The broker's finalized {@code transaction.version} feature level (0 when unknown or not reported). */
    public int transactionVersion() {
        try (Admin admin = admin()) {
            var f = admin.describeFeatures().featureMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .finalizedFeatures().get("transaction.version");
            return f == null ? 0 : f.maxVersionLevel();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Creates the topics that do not exist yet, with the broker's default partitions and replication. */
    public void createIfMissing(String... topics) throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : Set.of(topics)) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, Optional.empty(), Optional.empty()));
                }
            }
            try {
                admin.createTopics(missing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidTopicException) {
                    throw new IllegalArgumentException("not a valid Kafka topic name among " + missing.stream().map(NewTopic::name).toList()
                            + " (letters, digits, '.', '_' and '-', at most 249)");
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** The current end offsets (last stable offsets, as a read_committed consumer sees them). */
    public Offsets endOffsets(String... topics) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            return new Offsets(new HashMap<>(c.endOffsets(partitions(c, topics), TIMEOUT)));
        }
    }

    /**
     * Moves the consumer group's committed offsets up to {@code offsets} where they are behind (a
     * partition already committed further keeps its offset). Used after a bounded run ended: the
     * source commits only when a checkpoint completes, so its last records' offsets may never have
     * been committed.
     */
    public void commitAtLeast(String groupId, Offsets offsets) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> behind = new HashMap<>();
            offsets.offsets().forEach((tp, end) -> {
                OffsetAndMetadata c = committed.get(tp);
                if (end > 0 && (c == null || c.offset() < end)) {
                    behind.put(tp, new OffsetAndMetadata(end));
                }
            });
            if (!behind.isEmpty()) {
                admin.alterConsumerGroupOffsets(groupId, behind).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing offsets of group " + groupId, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not commit the offsets of consumer group " + groupId + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** Counts what was committed to the output topics after {@code before}. */
    public StreamRunner.Summary summary(Offsets before, String alertsTopic, String reportsTopic, String deadLetterTopic) {
        long[] alerts = {0};
        long[] deadLetters = {0};
        Map<String, long[]> windows = new HashMap<>();
        long[] late = {0, 0};
        readCommitted(before, alertsTopic, r -> alerts[0]++);
        readCommitted(before, deadLetterTopic, r -> deadLetters[0]++);
        readCommitted(before, reportsTopic, r -> {
            JsonNode n = parse(r.value());
            long[] counts = {n.path("messages").asLong(), n.path("threats").asLong()};
            if (WindowReports.LATE.equals(n.path("type").asText())) {
                late[0] += counts[0];
                late[1] += counts[1];
            } else {
                // With allowed lateness a window fires again with its full, updated counts: the last one counts.
                windows.put(n.path("window_start").asText(), counts);
            }
        });
        long processed = late[0];
        long threats = late[1];
        for (long[] c : windows.values()) {
            processed += c[0];
            threats += c[1];
        }
        return new StreamRunner.Summary(processed, threats, alerts[0], deadLetters[0]);
    }

    /**
     * Reads every committed record of {@code topic} from the offsets in {@code from} (0 for new
     * partitions) to its end. Call it once the writers are done: it first waits (up to 30 s) for
     * their commits to reach every partition, since a transaction's commit markers are written
     * after the producer's commit returns.
     */
    public void readCommitted(Offsets from, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            Map<TopicPartition, Long> end = settledEndOffsets(c, parts);
            for (TopicPartition tp : parts) {
                c.seek(tp, from.offsets().getOrDefault(tp, 0L));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(c, parts, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                c.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** The last stable offsets once they have caught up with the high watermarks (no open transaction left), or after the timeout. */
    private Map<TopicPartition, Long> settledEndOffsets(KafkaConsumer<byte[], byte[]> committed, List<TopicPartition> parts) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                Map<TopicPartition, Long> stable = committed.endOffsets(parts, TIMEOUT);
                if (stable.equals(all.endOffsets(parts, TIMEOUT)) || System.nanoTime() > deadline) {
                    return stable;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stable;
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> end) {
        for (TopicPartition tp : parts) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** Every partition of the topics; metadata can lag right after a topic is created, so ask again until it answers. */
    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String... topics) {
        List<TopicPartition> out = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String t : topics) {
            List<org.apache.kafka.common.PartitionInfo> infos = c.partitionsFor(t, TIMEOUT);
            while (infos.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + t + " has no partitions (does it exist?)");
                }
                sleep(100);
                infos = c.partitionsFor(t, TIMEOUT);
            }
            infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a record in the reports topic is not JSON", e);
        }
    }
}
