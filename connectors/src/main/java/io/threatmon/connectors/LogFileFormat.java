package io.threatmon.connectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Flink {@code FileSource} format for conversation logs: each file is read whole by one reader
 * (not split), so every record — valid or a dead letter — carries its file and exact line. Files
 * are spread over the source's parallel readers; scoring downstream is parallel regardless.
 *
 * <pre>{@code
 * FileSource<ParsedRecord> source = FileSource
 *         .forBulkFileFormat(new LogFileFormat(LogFormat.JSONL, FieldMapping.defaults()), paths)
 *         .build();
 * }</pre>
 */
public final class LogFileFormat implements BulkFormat<ParsedRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    static final int BATCH = 512;

    private final LogFormat format;
    private final FieldMapping mapping;

    public LogFileFormat(LogFormat format, FieldMapping mapping) {
        this.format = format;
        this.mapping = mapping;
    }

    @Override
    public Reader<ParsedRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(open(split.path()), 0);
    }

    /** Restores by re-reading the file and skipping the records already emitted. */
    @Override
    public Reader<ParsedRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        LogReader reader = open(split.path());
        for (long k = 0; k < skip && reader.next() != null; k++) {
            // skip what was emitted before the checkpoint
        }
        return new FileReader(reader, skip);
    }

    private LogReader open(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        String name = path.toString().startsWith("file:") ? path.toUri().getPath() : path.toString();
        if (format == LogFormat.PARQUET) {
            return LogReaders.parquet(new FlinkInputFile(fs, path), name, mapping);
        }
        return LogReaders.stream(fs.open(path), name, format, mapping);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }

    private static final class FileReader implements Reader<ParsedRecord> {
        private final LogReader reader;
        private long emitted;
        private long lastBytes;

        FileReader(LogReader reader, long alreadyEmitted) {
            this.reader = reader;
            this.emitted = alreadyEmitted;
            this.lastBytes = reader.bytesRead();
        }

        @Override
        public RecordIterator<ParsedRecord> readBatch() throws IOException {
            List<ParsedRecord> batch = new ArrayList<>(BATCH);
            for (ParsedRecord p; batch.size() < BATCH && (p = reader.next()) != null; ) {
                long bytes = reader.bytesRead();
                if (p.record != null) {
                    p.record.bytes = bytes - lastBytes;
                    lastBytes = bytes;
                }
                batch.add(p);
            }
            if (batch.isEmpty()) {
                return null;
            }
            IteratorResultIterator<ParsedRecord> it =
                    new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, emitted);
            emitted += batch.size();
            return it;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** Parquet's random-access input over a Flink file system (local, HDFS, S3 …). */
    private static final class FlinkInputFile implements InputFile {
        private final FileSystem fs;
        private final Path path;

        FlinkInputFile(FileSystem fs, Path path) {
            this.fs = fs;
            this.path = path;
        }

        @Override
        public long getLength() throws IOException {
            return fs.getFileStatus(path).getLen();
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FSDataInputStream in = fs.open(path);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
