package io.threatmon.jobs;

import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertSinkSpec;
import io.threatmon.connectors.sink.AlertSinks;
import io.threatmon.connectors.sink.SinkUri;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The {@code kafka://} alert sink scheme, registered on top of the connectors' standard schemes
 * (it lives here because the Kafka connector is a jobs dependency, not a connectors one):
 * {@code kafka://host:9092/topic[?format=json|cef|…][&delivery=at-least-once|exactly-once]}.
 * Exactly-once sinks are transactional (they need checkpointing: the streaming job has it) with
 * {@code transaction.timeout.ms} 10 minutes, under the broker's 15-minute maximum.
 *
 * <pre>{@code
 * AlertSinkSpec s = KafkaAlertSink.sinks().parseUri("kafka://kafka:9092/soc-alerts?format=cef");
 * }</pre>
 */
public final class KafkaAlertSink {

    private KafkaAlertSink() {}

    /** The standard schemes plus {@code kafka}. */
    public static AlertSinks sinks() {
        return AlertSinks.standard().with("kafka", KafkaAlertSink::parse);
    }

    static AlertSinkSpec parse(SinkUri uri) {
        String servers = uri.host() + ":" + uri.port(9092);
        String topic = uri.path().replaceFirst("^/", "");
        if (topic.isEmpty() || topic.contains("/")) {
            throw new IllegalArgumentException("kafka: give one topic as the path, e.g. kafka://kafka:9092/soc-alerts");
        }
        AlertFormatter format = AlertSinks.format(uri, "json", AlertFormatter.NAMES);
        String delivery = uri.param("delivery", "at-least-once").trim().toLowerCase(Locale.ROOT);
        DeliveryGuarantee guarantee = switch (delivery) {
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default -> throw new IllegalArgumentException("kafka: delivery must be at-least-once or exactly-once, not '" + delivery + "'");
        };
        String prefix = "threatmon-alert-sink-" + topic;
        return AlertSinkSpec.of(uri, servers + "/" + topic, format, () -> build(servers, topic, guarantee, prefix, Duration.ofMinutes(10)));
    }

    /**
     * A sink of strings (UTF-8 values, no key) to {@code topic}; transactional with the given
     * prefix and timeout when exactly-once. Records carry the time they are written, see
     * {@link WriteTimeRecords}.
     */
    static KafkaSink<String> build(String servers, String topic, DeliveryGuarantee guarantee, String transactionalIdPrefix,
            Duration transactionTimeout) {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
        var b = KafkaSink.<String>builder()
                .setBootstrapServers(servers)
                .setKafkaProducerConfig(p)
                .setRecordSerializer(new WriteTimeRecords(topic))
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            b.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return b.build();
    }

    /**
     * Each string as a record value, stamped with the time it is written rather than the event
     * time Flink would pass on. An alert or a report about a message from last March is produced
     * now: with the event time as its record timestamp the broker's time-based retention (7 days
     * by default) would delete it within minutes of writing when old logs are replayed, and
     * read_committed consumers then lose committed records. The event time stays in the JSON.
     */
    static final class WriteTimeRecords implements KafkaRecordSerializationSchema<String> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        WriteTimeRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(String element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, null, null, element.getBytes(StandardCharsets.UTF_8));
        }
    }
}
