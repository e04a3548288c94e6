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
    /**
     * What the decoder puts for bytes that are not UTF-8: a lone surrogate, which decoding valid
     * UTF-8 never produces, so it marks bad bytes and nothing else.
     */
    private static final char BAD_BYTES = '\uDBFF';

    private long nextLine = 2;
    private boolean failed;

    CsvLogReader(CountingInputStream counted, InputStream decompressed, String source, FieldMapping mapping) throws IOException {
        this.counted = counted;
        this.source = source;
        this.mapping = mapping;
        // Undecodable bytes become BAD_BYTES here and are reported per row below, so one bad byte
        // does not abort the whole file. Not U+FFFD: that is a character a valid row may hold.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(BAD_BYTES));
        decompressed = skipBom(decompressed);
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
            if (e.getCause() instanceof java.io.IOException io && !(io instanceof org.apache.commons.csv.CSVException)) {
                // not the CSV's syntax but the bytes under it (a truncated gzip)
                return RecordParser.dead(source, line, LogReaders.unreadableReason(io), null);
            }
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return RecordParser.dead(source, line, "CSV syntax error: " + why + " (rest of file skipped)", null);
        }
        nextLine = parser.getCurrentLineNumber() + 1;
        line = CsvLines.startLine(parser, row);
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
            if (v.indexOf(BAD_BYTES) >= 0) {
                return RecordParser.dead(source, line, "invalid UTF-8: undecodable bytes in the row",
                        raw.replace(BAD_BYTES, '\uFFFD'));
            }
        }
        return RecordParser.fromFields(field -> {
            Integer i = header.get(field);
            return i == null ? null : row.get(i);
        }, source, line, mapping, raw);
    }

    /** Skips a UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one), which would join the first column's name. */
    private static InputStream skipBom(InputStream in) throws IOException {
        java.io.PushbackInputStream p = new java.io.PushbackInputStream(in, 3);
        byte[] head = p.readNBytes(3);
        if (!(head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF)) {
            p.unread(head);
        }
        return p;
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
