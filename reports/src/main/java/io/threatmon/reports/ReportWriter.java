package io.threatmon.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link AuditReport} in every format into one directory: {@code report.json},
 * {@code report.html}, {@code report.md} and the CSV tables ({@link CsvTables#FILES}).
 *
 * <pre>{@code
 * List<Path> written = ReportWriter.writeAll(accumulator.result(run), Path.of("out/audit-2025-05-01"));
 * }</pre>
 */
public final class ReportWriter {

    private ReportWriter() {}

    /** Creates {@code dir} if needed and writes every format; returns the files written. */
    public static List<Path> writeAll(AuditReport report, Path dir) throws IOException {
        return write(report, dir, ReportFormat.all());
    }

    /** Creates {@code dir} if needed and writes the given formats; returns the files written. */
    public static List<Path> write(AuditReport report, Path dir, List<ReportFormat> formats) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (ReportFormat format : formats) {
            written.addAll(format.write(report, dir));
        }
        return List.copyOf(written);
    }
}
