package io.threatmon.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.threatmon.connectors.siem.Alert;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class AlertTypeInfoTest {

    @Test
    void shouldSerializeAlertsWithFlinksPojoSerializerNotKryo() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // Kryo disabled: creating the serializer fails if any field needs it
        TypeSerializer<Alert> s = AlertTypeInfo.get().createSerializer(config);
        assertInstanceOf(PojoSerializer.class, s);
        Alert bare = new Alert("f:1", Long.MIN_VALUE, 0, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, 0, null, 1);
        for (Alert a : List.of(AlertSinksTest.ALERT, bare)) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            s.serialize(a, out);
            Alert back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(a, back);
            assertEquals(a, s.copy(a));
        }
    }
}
