package io.threatmon.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads CSV with a header row (commons-csv: quoted fields may hold commas and newlines). A row
 * with the wrong number of columns, undecodable bytes or a missing text becomes a dead letter; a
 * syntax error the parser cannot recover from (an unterminated quote) ends the file with one
 * dead letter saying so. Line numbers are the physical line where the row starts.
 */
final class CsvLogReader implements LogReader {

    private final CountingInputStream counted;
    private final String source;
    private final FieldMapping mapping;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final Map<String, Integer> header;
    private long nextLine = 2;
    private boolean failed;

    CsvLogReader(CountingInputStream counted, InputStream decompressed, String source, FieldMapping mapping) throws IOException {
        this.counted = counted;
        this.source = source;
        this.mapping = mapping;
        // Undecodable bytes become U+FFFD here and are reported per row below, so one bad byte
        // does not abort the whole file.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.parser = CSVFormat.DEFAULT.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true)
                .setIgnoreSurroundingSpaces(false)
                .get()
                .parse(new InputStreamReader(decompressed, decoder));
        this.header = parser.getHeaderMap();
        this.rows = parser.iterator();
    }

    @Override
    public ParsedRecord next() throws IOException {
        if (failed) {
            return null;
        }
        CSVRecord row;
        long line = nextLine;
        try {
            if (!rows.hasNext()) {
                return null;
            }
            row = rows.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            failed = true;
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return RecordParser.dead(source, line, "CSV syntax error: " + why + " (rest of file skipped)", null);
        }
        nextLine = parser.getCurrentLineNumber() + 1;
        List<String> values = row.toList();
        String raw = String.join(",", values);
        if (header == null || header.isEmpty()) {
            failed = true;
            return RecordParser.dead(source, 1, "CSV has no header row", raw);
        }
        if (values.size() != header.size()) {
            return RecordParser.dead(source, line,
                    "wrong column count: expected " + header.size() + ", found " + values.size(), raw);
        }
        for (String v : values) {
            if (v.indexOf('\uFFFD') >= 0) {
                return RecordParser.dead(source, line, "invalid UTF-8: undecodable bytes in the row", raw);
            }
        }
        return RecordParser.fromFields(field -> {
            Integer i = header.get(field);
            return i == null ? null : row.get(i);
        }, source, line, mapping, raw);
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
