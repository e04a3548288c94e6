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
        InputStream in = name.toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new BufferedInputStream(new GZIPInputStream(counted, 64 * 1024), 64 * 1024)
                : counted;
        return format == LogFormat.JSONL
                ? new JsonLinesReader(counted, in, name, mapping)
                : new CsvLogReader(counted, in, name, mapping);
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
