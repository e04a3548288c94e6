package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest extends ReportTestBase {

    @Test
    void shouldWriteJsonHtmlMarkdownAndEveryCsvTableIntoANewDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out/day-1");
        List<Path> written = ReportWriter.writeAll(accumulate(fixtureDay()).result(run()), dir);
        List<String> expected = new ArrayList<>(List.of("report.json", "report.html", "report.md"));
        expected.addAll(CsvTables.FILES);
        assertEquals(expected, written.stream().map(p -> p.getFileName().toString()).toList());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(expected.size(), files.count(), "no temporary files left behind");
        }
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"total_messages\" : 10"));
        HtmlReportTest.parse(Files.readString(dir.resolve("report.html")));
    }

    @Test
    void shouldOverwriteAnEarlierReport(@TempDir Path dir) throws Exception {
        ReportWriter.writeAll(accumulate(fixtureDay()).result(run()), dir);
        ReportWriter.writeAll(new AuditAccumulator().result(run()), dir);
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"total_messages\" : 0"));
    }

    @Test
    void shouldRejectRunMetadataOutOfRangeWithAMessageThatSaysWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunMetadata.builder().threshold(101).build());
        assertEquals("threshold must be between 0 and 100, was 101", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunMetadata.builder().parallelism(0).build());
        assertThrows(IllegalArgumentException.class, () -> RunMetadata.builder().durationMs(-1).build());
    }
}
