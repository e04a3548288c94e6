package io.threatmon.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes conversation logs in the documented schema as JSON lines, CSV (header row) or Parquet;
 * {@code .gz} file names are gzip-compressed (JSON lines, CSV). Used by the log generator and tests.
 *
 * <pre>{@code
 * try (ConversationLogWriter w = ConversationLogWriter.open(Path.of("logs.parquet"), LogFormat.PARQUET)) {
 *     w.write(record);
 * }
 * }</pre>
 */
public abstract class ConversationLogWriter implements Closeable {

    static final String[] COLUMNS = FieldMapping.PARTS;

    /** The Avro schema shipped for Parquet logs ({@code io/threatmon/connectors/conversation-log.avsc}). */
    public static Schema avroSchema() {
        try (InputStream in = ConversationLogWriter.class.getResourceAsStream("conversation-log.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled Avro schema", e);
        }
    }

    /** Opens a writer; an existing file is replaced. */
    public static ConversationLogWriter open(Path file, LogFormat format) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return switch (format) {
            case JSONL -> new Jsonl(output(file));
            case CSV -> new Csv(output(file));
            case PARQUET -> new Parquet(file);
        };
    }

    /** Appends one record (its timestamp is written as ISO-8601 UTC). */
    public abstract void write(ConversationRecord r) throws IOException;

    /**
     * One record as a JSON object on one line, exactly as the JSON-lines writer writes it (the schema
     * the readers, the audit and the stream job parse), e.g. for a Kafka message value.
     *
     * <pre>{@code
     * producer.send(new ProducerRecord<>("conversations", r.conversationId, ConversationLogWriter.toJson(r)));
     * }</pre>
     */
    public static String toJson(ConversationRecord r) throws IOException {
        ObjectNode o = Jsonl.JSON.createObjectNode();
        o.put("timestamp", iso(r.timestamp));
        o.put("conversation_id", r.conversationId);
        o.put("message_id", r.messageId);
        o.put("role", r.role);
        o.put("user", r.user);
        o.put("app", r.app);
        o.put("model", r.model);
        o.put("text", r.text);
        if (r.metadataJson != null) {
            o.set("metadata", Jsonl.JSON.readTree(r.metadataJson));
        }
        return Jsonl.JSON.writeValueAsString(o);
    }

    private static OutputStream output(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new GZIPOutputStream(out, 64 * 1024) : out;
    }

    static String iso(long ts) {
        return ts == ConversationRecord.NO_TIME ? null : Instant.ofEpochMilli(ts).toString();
    }

    private static final class Jsonl extends ConversationLogWriter {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final BufferedWriter out;

        Jsonl(OutputStream out) {
            this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        public void write(ConversationRecord r) throws IOException {
            out.write(toJson(r));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class Csv extends ConversationLogWriter {
        private final CSVPrinter out;

        Csv(OutputStream out) throws IOException {
            this.out = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16),
                    CSVFormat.DEFAULT.builder().setHeader(COLUMNS).get());
        }

        @Override
        public void write(ConversationRecord r) throws IOException {
            out.printRecord(iso(r.timestamp), r.conversationId, r.messageId, r.role, r.user, r.app, r.model, r.text,
                    r.metadataJson);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static final class Parquet extends ConversationLogWriter {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Schema schema = avroSchema();
        private final ParquetWriter<GenericRecord> out;

        Parquet(Path file) throws IOException {
            this.out = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withSchema(schema)
                    .withConf(new PlainParquetConfiguration())
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build();
        }

        @Override
        public void write(ConversationRecord r) throws IOException {
            GenericRecord g = new GenericData.Record(schema);
            g.put("timestamp", iso(r.timestamp));
            g.put("conversation_id", r.conversationId);
            g.put("message_id", r.messageId);
            g.put("role", r.role);
            g.put("user", r.user);
            g.put("app", r.app);
            g.put("model", r.model);
            g.put("text", r.text);
            if (r.metadataJson != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON.readValue(r.metadataJson, Map.class);
                Map<String, String> strings = new java.util.LinkedHashMap<>();
                m.forEach((k, v) -> strings.put(k, String.valueOf(v)));
                g.put("metadata", strings);
            }
            out.write(g);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
