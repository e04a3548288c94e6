package io.threatmon.reports;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.threatmon.reports.internal.Output;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code report.json}: the whole {@link AuditReport}, snake_case, pretty-printed, times as ISO-8601
 * UTC strings. {@link #parse(String)} reads it back (e.g. to render HTML again later).
 */
public final class JsonReport implements ReportFormat {

    public static final String FILE = "report.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("threatmon-instant")
                    .addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
                        @Override
                        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
                                throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }));

    JsonReport() {}

    /** The report as pretty-printed JSON. */
    public static String render(AuditReport report) {
        try {
            return MAPPER.writeValueAsString(report) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a report written by {@link #render}; unknown fields (from newer versions) are ignored. */
    public static AuditReport parse(String json) throws IOException {
        return MAPPER.readValue(json, AuditReport.class);
    }

    @Override
    public List<Path> write(AuditReport report, Path dir) throws IOException {
        return List.of(Output.writeString(dir.resolve(FILE), render(report)));
    }
}
