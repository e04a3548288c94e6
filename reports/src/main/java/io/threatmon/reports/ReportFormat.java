package io.threatmon.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One output format of an {@link AuditReport}. Each format is one class; {@link ReportWriter} writes
 * them all.
 *
 * <pre>{@code
 * ReportFormat.html().write(report, Path.of("out"));   // out/report.html
 * }</pre>
 */
public interface ReportFormat {

    /** Writes the report into {@code dir} (which must exist) and returns the files written. */
    List<Path> write(AuditReport report, Path dir) throws IOException;

    /** {@code report.json}, see {@link JsonReport}. */
    static ReportFormat json() {
        return new JsonReport();
    }

    /** {@code report.html}, see {@link HtmlReport}. */
    static ReportFormat html() {
        return new HtmlReport();
    }

    /** {@code report.md}, see {@link MarkdownReport}. */
    static ReportFormat markdown() {
        return new MarkdownReport();
    }

    /** The CSV tables, see {@link CsvTables}. */
    static ReportFormat csv() {
        return new CsvTables();
    }

    /** JSON, HTML, Markdown and CSV. */
    static List<ReportFormat> all() {
        return List.of(json(), html(), markdown(), csv());
    }
}
