package io.threatmon.connectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
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
 * Flink {@code FileSource} format for conversation logs. Every record — valid or a dead letter —
 * carries its file and exact line. A file is read whole by one reader, except uncompressed JSON
 * lines cut into {@link LineChunks} ({@link #chunkedSource}): each chunk is then a split of its
 * own, read in parallel, its line numbers starting where the chunk starts.
 *
 * <pre>{@code
 * FileSource<ParsedRecord> whole = FileSource
 *         .forBulkFileFormat(new LogFileFormat(LogFormat.JSONL, FieldMapping.defaults()), paths)
 *         .build();
 * FileSource<ParsedRecord> chunked = LogFileFormat.chunkedSource(
 *         LineChunks.of(java.nio.file.Path.of("big.jsonl"), 16 << 20), FieldMapping.defaults());
 * }</pre>
 */
public final class LogFileFormat implements BulkFormat<ParsedRecord, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    static final int BATCH = 512;

    private final LogFormat format;
    private final FieldMapping mapping;
    /** First line number of each chunk split, by split id; empty unless made by {@link #chunkedSource}. */
    private final HashMap<String, Long> firstLines;

    public LogFileFormat(LogFormat format, FieldMapping mapping) {
        this(format, mapping, new HashMap<>());
    }

    private LogFileFormat(LogFormat format, FieldMapping mapping, HashMap<String, Long> firstLines) {
        this.format = format;
        this.mapping = mapping;
        this.firstLines = firstLines;
    }

    /**
     * A source that reads each chunk of uncompressed JSON-lines files as a split of its own, so
     * the source's parallel readers share even a single large file.
     */
    public static FileSource<ParsedRecord> chunkedSource(List<LineChunks.Chunk> chunks, FieldMapping mapping) {
        HashMap<String, Long> firstLines = new HashMap<>();
        List<FileSourceSplit> splits = new ArrayList<>();
        LinkedHashSet<Path> files = new LinkedHashSet<>();
        for (LineChunks.Chunk c : chunks) {
            String id = "chunk-" + splits.size();
            Path path = new Path(java.nio.file.Path.of(c.file()).toAbsolutePath().toUri());
            files.add(path);
            splits.add(new FileSourceSplit(id, path, c.offset(), c.length(), c.modified(), c.fileSize()));
            firstLines.put(id, c.firstLine());
        }
        List<FileSourceSplit> all = List.copyOf(splits);
        FileEnumerator.Provider enumerator = () -> (paths, minDesiredSplits) -> all;
        return FileSource.forBulkFileFormat(new LogFileFormat(LogFormat.JSONL, mapping, firstLines), files.toArray(new Path[0]))
                .setFileEnumerator(enumerator)
                .build();
    }

    @Override
    public Reader<ParsedRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(open(split), 0);
    }

    /** Restores by re-reading the file and skipping the records already emitted. */
    @Override
    public Reader<ParsedRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        LogReader reader = open(split);
        for (long k = 0; k < skip && reader.next() != null; k++) {
            // skip what was emitted before the checkpoint
        }
        return new FileReader(reader, skip);
    }

    private LogReader open(FileSourceSplit split) throws IOException {
        Path path = split.path();
        FileSystem fs = path.getFileSystem();
        String name = path.toString().startsWith("file:") ? path.toUri().getPath() : path.toString();
        Long firstLine = firstLines.get(split.splitId());
        if (firstLine != null) {
            FSDataInputStream in = fs.open(path);
            in.seek(split.offset());
            return LogReaders.jsonLinesChunk(new Limited(in, split.length()), name, mapping, firstLine);
        }
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

    /** The next {@code remaining} bytes of a stream (the JDK has no bounded stream; a few lines rather than a dependency). */
    private static final class Limited extends java.io.InputStream {
        private final java.io.InputStream in;
        private long remaining;

        Limited(java.io.InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
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
