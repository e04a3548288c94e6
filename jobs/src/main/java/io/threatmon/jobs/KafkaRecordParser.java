package io.threatmon.jobs;

import io.threatmon.connectors.ConversationRecord;
import io.threatmon.connectors.DeadLetter;
import io.threatmon.connectors.FieldMapping;
import io.threatmon.connectors.ParsedRecord;
import io.threatmon.connectors.RecordParser;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka message value (one conversation record in the audit's JSON schema) → {@link ParsedRecord},
 * with the connectors' parser: a malformed value becomes a dead letter whose source is
 * {@code topic-partition} and whose line is the offset, so it can be found and replayed. A record
 * without a {@code timestamp} takes the Kafka record's timestamp as its event time.
 *
 * <pre>{@code
 * KafkaSource.<ParsedRecord>builder().setDeserializer(new KafkaRecordParser(FieldMapping.defaults()))…
 * }</pre>
 */
public final class KafkaRecordParser implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final FieldMapping mapping;

    public KafkaRecordParser(FieldMapping mapping) {
        this.mapping = mapping;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        ParsedRecord p = parse(record.topic(), record.partition(), record.offset(), record.value(), mapping);
        if (p.isValid() && p.record.timestamp == ConversationRecord.NO_TIME && record.timestamp() >= 0) {
            // Event time must exist in a stream: a record without one takes the time Kafka gave it.
            p.record.timestamp = record.timestamp();
        }
        out.collect(p);
    }

    /** The parse of one message value; a null value (a tombstone) is a dead letter too. */
    static ParsedRecord parse(String topic, int partition, long offset, byte[] value, FieldMapping mapping) {
        String source = topic + "-" + partition;
        if (value == null || value.length == 0) {
            return ParsedRecord.invalid(DeadLetter.of(source, offset, "empty record: the message has no value", null));
        }
        return RecordParser.parseJsonBytes(value, 0, value.length, source, offset, mapping);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
