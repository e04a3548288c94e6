package io.threatmon.connectors;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * Opens a {@link LogReader} for a file of a given format; {@code .gz} files are decompressed
 * (JSON lines and CSV).
 *
 * <pre>{@code
 * try (LogReader r = LogReaders.open(Path.of("logs/day1.jsonl.gz"), LogFormat.JSONL, FieldMapping.defaults())) {
 *     for (ParsedRecord p; (p = r.next()) != null; ) handle(p);
 * }
 * }</pre>
 */
public final class LogReaders {

    private LogReaders() {}

    /** Opens a local file. */
    public static LogReader open(Path path, LogFormat format, FieldMapping mapping) throws IOException {
        if (format == LogFormat.PARQUET) {
            return parquet(new LocalInputFile(path), path.toString(), mapping);
        }
        return stream(Files.newInputStream(path), path.toString(), format, mapping);
    }

    /** Reads JSON lines or CSV from a stream; {@code name} ending in {@code .gz} means gzip. */
    public static LogReader stream(InputStream raw, String name, LogFormat format, FieldMapping mapping) throws IOException {
        if (format == LogFormat.PARQUET) {
            throw new IllegalArgumentException("Parquet needs random access: use parquet(InputFile, …)");
        }
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(raw, 64 * 1024));
        try {
            InputStream in = name.toLowerCase(Locale.ROOT).endsWith(".gz")
                    ? new BufferedInputStream(new GZIPInputStream(counted, 64 * 1024), 64 * 1024)
                    : counted;
            return format == LogFormat.JSONL
                    ? new JsonLinesReader(counted, in, name, mapping)
                    : new CsvLogReader(counted, in, name, mapping);
        } catch (IOException e) {
            // Not gzip, or cut off before its first line: one dead letter for the file, and the
            // other files of the audit go on (as a damaged Parquet file does).
            counted.close();
            return unreadable(name, 1, e);
        }
    }

    /** Why a file could not be read further, in a dead letter's words. */
    static String unreadableReason(IOException e) {
        return "unreadable file: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (rest of file skipped)";
    }

    /** A reader whose file could not be opened: one dead letter, then the end. */
    private static LogReader unreadable(String name, long line, IOException e) {
        return new LogReader() {
            private boolean done;

            @Override
            public ParsedRecord next() {
                if (done) {
                    return null;
                }
                done = true;
                return RecordParser.dead(name, line, unreadableReason(e), null);
            }

            @Override
            public long bytesRead() {
                return 0;
            }

            @Override
            public void close() {
                // nothing open
            }
        };
    }

    /**
     * Reads JSON lines from a chunk of an uncompressed file ({@link LineChunks}): {@code raw} is
     * positioned at the chunk's first byte and ends with its last; line numbers start at
     * {@code firstLine}.
     */
    public static LogReader jsonLinesChunk(InputStream raw, String name, FieldMapping mapping, long firstLine) {
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(raw, 64 * 1024));
        return new JsonLinesReader(counted, counted, name, mapping, firstLine);
    }

    /** Reads a Parquet file. */
    public static LogReader parquet(InputFile file, String name, FieldMapping mapping) throws IOException {
        return new ParquetLogReader(file, name, mapping);
    }
}
