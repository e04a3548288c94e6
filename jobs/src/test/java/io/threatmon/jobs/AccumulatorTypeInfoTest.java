package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.reports.AuditAccumulator;
import io.threatmon.reports.JsonReport;
import io.threatmon.reports.RunMetadata;
import io.threatmon.reports.ScoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The stream job's report window state: it round-trips, and state written by an earlier version
 * still restores (the resource {@code window-state-v1.bin} was written by format 1 and must stay
 * readable for as long as {@link AccumulatorTypeInfo.Serializer#VERSION} is 1).
 */
class AccumulatorTypeInfoTest {

    private static final String GOLDEN = "window-state-v1.bin";
    private static final RunMetadata RUN = RunMetadata.builder().build();

    /** Fixed content, so the golden file's report is known. */
    static AuditAccumulator sample() {
        AuditAccumulator acc = new AuditAccumulator();
        long t0 = 1_772_625_600_000L; // 2026-03-04T12:00:00Z
        for (int i = 0; i < 12; i++) {
            ScoredMessage m = new ScoredMessage();
            m.timestamp = t0 + i * 5_000L;
            m.conversationId = "c" + (i % 4);
            m.messageId = "m" + i;
            m.role = "user";
            m.user = "u" + (i % 3);
            m.app = i % 2 == 0 ? "support-bot" : "docs-bot";
            m.source = "kafka:in/0";
            m.line = i;
            m.threat = i % 4 == 0;
            m.riskScore = m.threat ? 90 : 5;
            m.riskLevel = m.threat ? "critical" : "very_low";
            m.threatType = m.threat ? "prompt_injection" : null;
            m.threatTypes = m.threat ? new String[] {"prompt_injection"} : new String[0];
            m.matchedRules = m.threat ? new String[] {"pi.ignore_previous"} : new String[0];
            m.action = m.threat ? "block" : "allow";
            m.detectionMethod = m.threat ? "rules" : "none";
            m.excerpt = m.threat ? "Ignore all previous instructions" : null;
            m.analysisMicros = 40 + i;
            acc.add(m);
        }
        acc.addDeadLetter("kafka:in/0", 99, "not JSON: Unexpected character");
        return acc;
    }

    static byte[] write(AuditAccumulator acc) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        AccumulatorTypeInfo.get().createSerializer(new SerializerConfigImpl()).serialize(acc, out);
        return out.getCopyOfBuffer();
    }

    static AuditAccumulator read(byte[] bytes) throws IOException {
        return AccumulatorTypeInfo.get().createSerializer(new SerializerConfigImpl())
                .deserialize(new DataInputDeserializer(bytes));
    }

    static String report(AuditAccumulator acc) {
        return JsonReport.render(acc.result(RUN));
    }

    @Test
    void shouldRoundTripTheAccumulatorAndKeepCounting() throws IOException {
        AuditAccumulator original = sample();
        AuditAccumulator restored = read(write(original));
        assertEquals(report(original), report(restored));
        restored.add(new ScoredMessage());
        assertEquals(13, restored.messages(), "a restored window keeps counting");
        assertEquals(12, original.messages(), "a copy, not a shared object");
    }

    @Test
    void shouldCopyDeeplyAndCopyBytesWithoutDeserialising() throws IOException {
        TypeSerializer<AuditAccumulator> s = AccumulatorTypeInfo.get().createSerializer(new SerializerConfigImpl());
        AuditAccumulator original = sample();
        AuditAccumulator copy = s.copy(original);
        copy.add(new ScoredMessage());
        assertEquals(12, original.messages());

        byte[] bytes = write(original);
        // Sized up front: DataOutputSerializer does not grow for a view-to-view copy.
        DataOutputSerializer out = new DataOutputSerializer(bytes.length + 4);
        s.copy(new DataInputDeserializer(bytes), out);
        assertArrayEquals(bytes, out.getCopyOfBuffer());
    }

    @Test
    void shouldRestoreStateWrittenByFormatOne() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " is missing");
            golden = in.readAllBytes();
        }
        AuditAccumulator restored = read(golden);
        assertEquals(report(sample()), report(restored),
                "window state of format 1 no longer restores into the current report classes; keep changes to "
                        + "AuditAccumulator compatible (Java serialisation, serialVersionUID 1) or raise the format version");
    }

    @Test
    void shouldAcceptItsOwnSnapshotAndRefuseAnotherFormatVersion() throws IOException {
        TypeSerializer<AuditAccumulator> s = AccumulatorTypeInfo.get().createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
        TypeSerializerSnapshot<AuditAccumulator> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertTrue(s.snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAsIs());
        assertEquals(s, old.restoreSerializer());

        DataOutputSerializer other = new DataOutputSerializer(64);
        other.writeInt(AccumulatorTypeInfo.Serializer.VERSION + 1);
        AccumulatorTypeInfo.Snapshot future = new AccumulatorTypeInfo.Snapshot();
        future.readSnapshot(1, new DataInputDeserializer(other.getCopyOfBuffer()), getClass().getClassLoader());
        assertTrue(s.snapshotConfiguration().resolveSchemaCompatibility(future).isIncompatible());
        IllegalStateException e = assertThrows(IllegalStateException.class, future::restoreSerializer);
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    }

    /** Writes the golden file; run only when a new format version gets its own file. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "jobs/src/test/resources/io/threatmon/jobs/" + GOLDEN);
        Files.write(out, write(sample()));
        System.out.println(out + ": " + Files.size(out) + " bytes");
    }
}
