package io.threatmon.connectors.sink;

import io.threatmon.connectors.siem.Alert;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

/**
 * Flink's type for {@link Alert}: a POJO (record) type whose list fields use Flink's own list
 * serializer. Left to itself Flink would hand the {@code List<String>} fields to Kryo, which cannot
 * rebuild the immutable lists the record holds; with this type, alerts cross the network between
 * operators without Kryo.
 *
 * <pre>{@code
 * OutputTag<Alert> alerts = new OutputTag<>("alerts", AlertTypeInfo.get());
 * DataStream<Alert> s = env.fromData(AlertTypeInfo.get(), alert1, alert2);
 * }</pre>
 */
public final class AlertTypeInfo {

    private static final TypeInformation<Alert> TYPE = build();

    private AlertTypeInfo() {}

    public static TypeInformation<Alert> get() {
        return TYPE;
    }

    private static TypeInformation<Alert> build() {
        List<PojoField> fields = new ArrayList<>();
        for (RecordComponent c : Alert.class.getRecordComponents()) {
            Field f;
            try {
                f = Alert.class.getDeclaredField(c.getName());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("record component without a field: " + c.getName(), e);
            }
            fields.add(new PojoField(f, typeOf(c)));
        }
        return new PojoTypeInfo<>(Alert.class, fields);
    }

    private static TypeInformation<?> typeOf(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == String.class) {
            return Types.STRING;
        }
        if (t == long.class) {
            return Types.LONG;
        }
        if (t == int.class) {
            return Types.INT;
        }
        if (t == List.class) {
            return new ListTypeInfo<>(Types.STRING);
        }
        throw new IllegalStateException("Alert." + c.getName() + " has a type AlertTypeInfo does not map: " + t);
    }
}
