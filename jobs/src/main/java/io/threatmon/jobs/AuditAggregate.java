package io.threatmon.jobs;

import io.threatmon.reports.AuditAccumulator;
import io.threatmon.reports.ScoredMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Flink adapter over the report accumulator. The result is the accumulator in Java
 * serialisation, so Flink ships plain bytes and the client merges the subtasks' partial reports.
 *
 * <pre>{@code
 * DataStream<byte[]> partials = scored.fullWindowPartition().aggregate(new AuditAggregate());
 * }</pre>
 */
public final class AuditAggregate implements AggregateFunction<ScoredMessage, AuditAccumulator, byte[]> {

    private static final long serialVersionUID = 1L;

    @Override
    public AuditAccumulator createAccumulator() {
        return new AuditAccumulator();
    }

    @Override
    public AuditAccumulator add(ScoredMessage value, AuditAccumulator acc) {
        return acc.add(value);
    }

    @Override
    public byte[] getResult(AuditAccumulator acc) {
        return serialize(acc);
    }

    @Override
    public AuditAccumulator merge(AuditAccumulator a, AuditAccumulator b) {
        return a.merge(b);
    }

    static byte[] serialize(AuditAccumulator acc) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(acc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the report accumulator", e);
        }
        return bytes.toByteArray();
    }

    static AuditAccumulator deserialize(byte[] data) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return (AuditAccumulator) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read a partial report", e);
        }
    }
}
