package io.threatmon.jobs;

import io.threatmon.reports.ScoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes scored messages as Parquet part files ({@code --scored parquet}), with the schema in
 * {@code io/threatmon/jobs/scored-message.avsc}. Written against parquet-avro directly because
 * flink-parquet 2.2 drags in Scala table artifacts this project does not otherwise need.
 */
final class ScoredParquet implements BulkWriter.Factory<ScoredMessage> {

    private static final long serialVersionUID = 1L;

    static Schema schema() {
        try (InputStream in = ScoredParquet.class.getResourceAsStream("scored-message.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scored-message.avsc", e);
        }
    }

    @Override
    public BulkWriter<ScoredMessage> create(FSDataOutputStream out) throws IOException {
        Schema schema = schema();
        ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(out))
                .withSchema(schema)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
        return new BulkWriter<>() {
            @Override
            public void addElement(ScoredMessage m) throws IOException {
                writer.write(toRecord(schema, m));
            }

            @Override
            public void flush() {
                // Parquet buffers a row group; it is written at finish().
            }

            @Override
            public void finish() throws IOException {
                writer.close();
            }
        };
    }

    static GenericRecord toRecord(Schema schema, ScoredMessage m) {
        GenericRecord g = new GenericData.Record(schema);
        g.put("timestamp", m.timestamp == ScoredMessage.NO_TIME ? null : m.timestamp);
        g.put("conversation_id", m.conversationId);
        g.put("message_id", m.messageId);
        g.put("role", m.role);
        g.put("user", m.user);
        g.put("app", m.app);
        g.put("model", m.model);
        g.put("source", m.source);
        g.put("line", m.line);
        g.put("is_threat", m.threat);
        g.put("risk_score", m.riskScore);
        g.put("risk_level", m.riskLevel);
        g.put("threat_type", m.threatType);
        g.put("threat_types", Arrays.asList(m.threatTypes));
        g.put("matched_rules", Arrays.asList(m.matchedRules));
        g.put("action", m.action);
        g.put("detection_method", m.detectionMethod);
        g.put("excerpt", m.excerpt);
        g.put("text", m.text);
        return g;
    }

    /** Parquet's output file over a Flink stream the sink owns (so close() must not close it). */
    private static final class StreamOutputFile implements OutputFile {
        private final FSDataOutputStream out;

        StreamOutputFile(FSDataOutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return stream();
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return stream();
        }

        private PositionOutputStream stream() {
            return new PositionOutputStream() {
                @Override
                public long getPos() throws IOException {
                    return out.getPos();
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() {
                    // the sink closes the underlying stream
                }
            };
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
