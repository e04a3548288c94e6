package io.threatmon.jobs;

import io.threatmon.reports.AuditAccumulator;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's type for the report accumulator in window state, so a savepoint of the stream job
 * survives an upgrade of ThreatMon.
 *
 * <p>Left to itself Flink stores {@link AuditAccumulator} with Kryo, whose field serializer reads
 * fields by position: any change to the report classes made an older savepoint unreadable. This
 * type writes the accumulator in Java serialisation instead (a length, then the bytes). The
 * accumulator and its inner classes keep {@code serialVersionUID = 1}, so the changes Java
 * serialisation calls compatible — a field added (it restores as its default) or removed — restore;
 * a changed field type does not, and then {@link Serializer#VERSION} must go up with a migration.
 * {@code AccumulatorTypeInfoTest} reads state written by an earlier version to hold this.
 *
 * <pre>{@code
 * scored.windowAll(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
 *       .aggregate(new WindowReports.Aggregate(), new WindowReports.Render(),
 *                  AccumulatorTypeInfo.get(), AccumulatorTypeInfo.get(), Types.STRING);
 * }</pre>
 */
public final class AccumulatorTypeInfo extends TypeInformation<AuditAccumulator> {

    private static final long serialVersionUID = 1L;
    private static final AccumulatorTypeInfo INSTANCE = new AccumulatorTypeInfo();

    private AccumulatorTypeInfo() {}

    public static AccumulatorTypeInfo get() {
        return INSTANCE;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<AuditAccumulator> getTypeClass() {
        return AuditAccumulator.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<AuditAccumulator> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "AuditAccumulator(Java serialisation, v" + Serializer.VERSION + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccumulatorTypeInfo;
    }

    @Override
    public int hashCode() {
        return AccumulatorTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof AccumulatorTypeInfo;
    }

    /** A length-prefixed Java-serialised accumulator. Stateless, hence a singleton. */
    public static final class Serializer extends TypeSerializerSingleton<AuditAccumulator> {

        private static final long serialVersionUID = 1L;

        /** The state format's version, written into every savepoint's serializer snapshot. */
        public static final int VERSION = 1;

        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public AuditAccumulator createInstance() {
            return new AuditAccumulator();
        }

        @Override
        public AuditAccumulator copy(AuditAccumulator from) {
            // A deep copy (the heap state backend asks for one when a snapshot overlaps an update).
            return AuditAggregate.deserialize(AuditAggregate.serialize(from));
        }

        @Override
        public AuditAccumulator copy(AuditAccumulator from, AuditAccumulator reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(AuditAccumulator record, DataOutputView target) throws IOException {
            byte[] bytes = AuditAggregate.serialize(record);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public AuditAccumulator deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return AuditAggregate.deserialize(bytes);
        }

        @Override
        public AuditAccumulator deserialize(AuditAccumulator reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<AuditAccumulator> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /**
     * What a savepoint records about the serializer: the state format's {@link Serializer#VERSION}.
     * A savepoint of another format version is refused as incompatible at restore, before any state
     * is read, rather than failing on the first window.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<AuditAccumulator> {

        private int formatVersion = Serializer.VERSION;

        public Snapshot() {}

        int formatVersion() {
            return formatVersion;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(formatVersion);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            formatVersion = in.readInt();
        }

        @Override
        public TypeSerializer<AuditAccumulator> restoreSerializer() {
            if (formatVersion != Serializer.VERSION) {
                throw new IllegalStateException("report window state was written in format " + formatVersion
                        + "; this version of ThreatMon reads format " + Serializer.VERSION);
            }
            return Serializer.INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<AuditAccumulator> resolveSchemaCompatibility(
                TypeSerializerSnapshot<AuditAccumulator> oldSnapshot) {
            return oldSnapshot instanceof Snapshot old && old.formatVersion == Serializer.VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
