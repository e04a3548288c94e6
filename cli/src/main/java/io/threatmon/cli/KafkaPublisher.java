package io.threatmon.cli;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends text records to one Kafka topic with an idempotent producer and {@code acks=all}, so a
 * record the broker acknowledged is neither lost nor duplicated by a retry. Checks first that a
 * broker answers, so an unreachable cluster is a clear error naming the bootstrap servers, not a
 * silent hang. Failures of asynchronous sends surface at the next {@link #send} or at {@link #finish}.
 */
final class KafkaPublisher implements AutoCloseable {

    private final String bootstrapServers;
    private final String topic;
    private final Producer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private long sent;

    private KafkaPublisher(String bootstrapServers, String topic, Producer<String, byte[]> producer) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * Connects to the cluster: fails within {@code timeout} when no broker answers, and warns when the
     * topic does not exist yet (the broker then creates it only if it auto-creates topics).
     */
    static KafkaPublisher connect(String bootstrapServers, String topic, Duration timeout, CliContext ctx) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        common.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
        common.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        checkBroker(bootstrapServers, topic, timeout, common, ctx);

        Properties p = new Properties();
        p.putAll(common);
        p.remove(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "threatmon-publish");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(ms, Math.min(ms, 30_000) + 5));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // Values are bytes: publish sends each line exactly as the file has it (invalid UTF-8
        // included, for the stream job's dead letters to report), and text goes as UTF-8.
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        return new KafkaPublisher(bootstrapServers, topic, new KafkaProducer<>(p));
    }

    private static void checkBroker(String bootstrapServers, String topic, Duration timeout, Properties config,
            CliContext ctx) {
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            throw new CliException("bad --bootstrap-servers '" + bootstrapServers + "': " + rootMessage(e), e);
        }
        try (admin) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ctx.warn("topic " + topic + " does not exist on " + bootstrapServers
                        + ": it is created only if the broker has auto.create.topics.enable=true");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(bootstrapServers, timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw unreachable(bootstrapServers, timeout, e.getCause());
            }
            throw new CliException("Kafka at " + bootstrapServers + ": " + rootMessage(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while connecting to Kafka at " + bootstrapServers, e);
        }
    }

    private static CliException unreachable(String bootstrapServers, Duration timeout, Throwable cause) {
        return new CliException("no Kafka broker answered at " + bootstrapServers + " within " + seconds(timeout)
                + ": is it running and reachable? (start one with scripts/local-kafka.sh start)", cause);
    }

    /** Sends one record (the value as UTF-8) asynchronously; throws if an earlier send failed. */
    void send(String key, String value) {
        send(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sends one record with these exact value bytes asynchronously; throws if an earlier send failed. */
    void send(String key, byte[] value) {
        throwIfFailed();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
                if (e == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e);
                }
            });
        } catch (TimeoutException e) {
            throw topicMissing(e);
        } catch (KafkaException e) {
            throw new CliException("publishing to " + topic + " on " + bootstrapServers + " failed: " + rootMessage(e), e);
        }
        sent++;
    }

    private CliException topicMissing(Exception e) {
        return new CliException("topic " + topic + " not available on " + bootstrapServers + " (" + e.getMessage()
                + "): create it, or enable auto.create.topics.enable on the broker", e);
    }

    /** Waits until every record sent so far is acknowledged; throws if any was not. */
    void finish() {
        producer.flush();
        throwIfFailed();
    }

    /** Records the broker acknowledged. */
    long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            if (e instanceof TimeoutException && String.valueOf(e.getMessage()).contains("not present in metadata")) {
                throw topicMissing(e);
            }
            throw new CliException("publishing to " + topic + " on " + bootstrapServers + " failed after "
                    + acknowledged.get() + " of " + sent + " records were acknowledged: " + rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return t == e || e.getMessage() == null ? m : e.getMessage() + ": " + m;
    }
}
