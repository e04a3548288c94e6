package io.threatmon.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka 4.2 (KRaft: broker and controller in one process) in the test JVM, on
 * free loopback ports, from the {@code kafka_2.13} artifact. Kafka publishes no test kit for
 * embedding a 4.x broker on Central, so this does what {@code kafka-storage format} and
 * {@code kafka-server-start} do: format the log directory, then start {@link KafkaRaftServer}.
 * Shared with the CLI's Kafka tests through this module's test jar.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(tempDir)) {
 *     kafka.createTopic("in", 2);
 *     kafka.produce("in", List.of("{\"text\":\"hi\"}"));
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
    }

    public static EmbeddedKafka start(Path parent) throws Exception {
        return start(parent, java.util.Map.of());
    }

    /** A broker with some settings of its own, e.g. {@code auto.create.topics.enable=false}. */
    public static EmbeddedKafka start(Path parent, java.util.Map<String, String> brokerSettings) throws Exception {
        Path dir = Files.createTempDirectory(parent, "kafka-");
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "2");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.putAll(brokerSettings);
        KafkaConfig config = new KafkaConfig(p, false);

        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir.toString()))
                .setMetadataLogDirectory(Optional.of(dir.toString()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                // Transactions V1: under V2 (Kafka 4's default) the Kafka connector's exactly-once recovery lost
                // committed records after a restore now and then (jobs/README.md); -Dthreatmon.kafka.transaction.version=2 to retry.
                .setFeatureLevel("transaction.version", (short) Integer.getInteger("threatmon.kafka.transaction.version", 1).intValue())
                .setControllerListenerName("CONTROLLER")
                .run();

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, "localhost:" + brokerPort, dir);
        kafka.awaitReady();
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(p);
    }

    private void awaitReady() throws Exception {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends each value (a JSON line, or raw bytes) round-robin over the topic's partitions, with the given timestamps if any. */
    public void produce(String topic, int partitions, List<byte[]> values, List<Long> timestamps) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                Long ts = timestamps == null ? null : timestamps.get(i);
                producer.send(new ProducerRecord<>(topic, i % partitions, ts, null, values.get(i))).get();
            }
        }
    }

    /** Every committed record of a topic, as UTF-8 strings (read_committed: aborted transactions are not seen). */
    public List<String> readCommitted(String topic) {
        return readCommittedRecords(topic).stream().map(ConsumerRecord::value).toList();
    }

    /** Every committed record of a topic with its key and timestamp, as UTF-8 strings (null keys stay null), in partition order. */
    public List<ConsumerRecord<String, String>> readCommittedRecords(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        new KafkaTopics(bootstrapServers).readCommitted(new KafkaTopics.Offsets(java.util.Map.of()), topic,
                (ConsumerRecord<byte[], byte[]> r) -> out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                        r.timestamp(), r.timestampType(), r.serializedKeySize(), r.serializedValueSize(),
                        r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                        new String(r.value(), java.nio.charset.StandardCharsets.UTF_8), r.headers(), r.leaderEpoch())));
        return out;
    }

    /**
     * For failure messages: every batch of the topic's log, read-only from the segment files, one
     * compact line each (offsets, producer id/epoch, transactional, control marker type).
     */
    public String dumpLog(String topic) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path log : files.filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-")
                    && f.toString().endsWith(".log")).sorted().toList()) {
                out.append('\n').append(log.getParent().getFileName()).append(':');
                try (org.apache.kafka.common.record.FileRecords records =
                        org.apache.kafka.common.record.FileRecords.open(log.toFile(), false)) {
                    for (org.apache.kafka.common.record.RecordBatch b : records.batches()) {
                        out.append(String.format("%n  %d-%d pid %d/%d%s", b.baseOffset(), b.lastOffset(), b.producerId(),
                                b.producerEpoch(), b.isTransactional() ? " txn" : ""));
                        if (b.isControlBatch()) {
                            for (org.apache.kafka.common.record.Record r : b) {
                                out.append(' ').append(org.apache.kafka.common.record.ControlRecordType.parse(r.key()));
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            out.append(" (dump failed: ").append(e).append(')');
        }
        return out.toString();
    }

    /** For failure messages: per partition, the high watermark, the last stable offset and the records a read_uncommitted consumer sees. */
    public String describe(String topic) {
        StringBuilder out = new StringBuilder(topic + ":");
        for (String isolation : List.of("read_uncommitted", "read_committed")) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrapServers);
            p.put("isolation.level", isolation);
            try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                var parts = c.partitionsFor(topic).stream().map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList();
                out.append(' ').append(isolation).append(" end=").append(c.endOffsets(parts));
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
