package io.threatmon.connectors;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.InputFile;

/**
 * Reads Parquet conversation logs through parquet-avro, with the file's own schema, so any
 * Parquet file holding the mapped columns loads. A row without a string text column becomes a
 * dead letter; "line" is the 1-based row number.
 */
final class ParquetLogReader implements LogReader {

    private final ParquetReader<GenericRecord> reader;
    private final String source;
    private final FieldMapping mapping;
    private final CountingInputFile file;
    private long row;

    ParquetLogReader(InputFile input, String source, FieldMapping mapping) throws IOException {
        this.file = new CountingInputFile(input, source);
        this.source = source;
        this.mapping = mapping;
        this.reader = AvroParquetReader.<GenericRecord>builder(file, new PlainParquetConfiguration()).build();
    }

    @Override
    public ParsedRecord next() throws IOException {
        GenericRecord rec;
        try {
            rec = reader.read();
        } catch (RuntimeException e) {
            row++;
            return RecordParser.dead(source, row, "unreadable Parquet row: " + e.getMessage() + " (rest of file skipped)", null);
        }
        if (rec == null) {
            return null;
        }
        row++;
        Schema schema = rec.getSchema();
        return RecordParser.fromFields(field -> {
            Schema.Field f = schema.getField(field);
            return f == null ? null : plain(rec.get(f.pos()));
        }, source, row, mapping, rec.toString());
    }

    /** Avro's Utf8 and maps to plain Java values. */
    private static Object plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof GenericRecord r) {
            return r.toString();
        }
        return v;
    }

    @Override
    public long bytesRead() {
        return file.bytesRead();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
