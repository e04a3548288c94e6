package io.threatmon.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads batch input one chunk of records at a time, so a file of any size streams through in
 * bounded memory. JSONL lines are only split here; parsing them happens on the worker threads.
 */
abstract class BatchRecords implements Closeable {

    /**
     * One input record, not yet parsed (JSONL: {@code raw} is the line) or already split (CSV:
     * {@code id} and {@code text} set, or {@code error} when the record is malformed).
     */
    record Raw(long line, String raw, String id, String text, String error, String role) {
        static Raw jsonl(long line, String raw) {
            return new Raw(line, raw, null, null, null, null);
        }
    }

    /** The next up to {@code max} records; empty at the end. */
    abstract List<Raw> next(int max) throws IOException;

    /** JSON Lines: one JSON object per line; blank lines are skipped (they hold no record). */
    static final class Jsonl extends BatchRecords {
        private final BufferedReader reader;
        private long line;

        Jsonl(BufferedReader reader) {
            this.reader = reader;
        }

        @Override
        List<Raw> next(int max) throws IOException {
            List<Raw> chunk = new ArrayList<>(Math.min(max, 4096));
            String s;
            while (chunk.size() < max && (s = reader.readLine()) != null) {
                line++;
                if (line == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                    s = s.substring(1);
                }
                if (!s.isBlank()) {
                    chunk.add(Raw.jsonl(line, s));
                }
            }
            return chunk;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** CSV with a header row (RFC 4180, via commons-csv); quoted fields may span lines. */
    static final class Csv extends BatchRecords {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final String idField;
        private final String textField;
        private final boolean hasId;
        private long lastLine;
        private boolean failed;

        private final String roleField;

        Csv(BufferedReader reader, String idField, String textField, String roleField) throws IOException {
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            this.parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).get().parse(reader);
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || !header.containsKey(textField)) {
                throw new CliException("CSV input has no column '" + textField + "' (columns: "
                        + (header == null ? "none" : String.join(", ", header.keySet())) + "); use --text-field");
            }
            this.idField = idField;
            this.textField = textField;
            this.roleField = roleField;
            this.hasId = header.containsKey(idField);
            this.records = parser.iterator();
            this.lastLine = parser.getCurrentLineNumber();
        }

        @Override
        List<Raw> next(int max) {
            List<Raw> chunk = new ArrayList<>(Math.min(max, 4096));
            if (failed) {
                return chunk;
            }
            try {
                while (chunk.size() < max && records.hasNext()) {
                    CSVRecord r = records.next();
                    long line = io.threatmon.connectors.CsvLines.startLine(parser, r);
                    lastLine = parser.getCurrentLineNumber();
                    String id = hasId && r.isSet(idField) ? r.get(idField) : null;
                    if (id != null && id.isEmpty()) {
                        id = null;
                    }
                    String role = roleField != null && r.isSet(roleField) ? r.get(roleField) : null;
                    if (!r.isSet(textField)) {
                        chunk.add(new Raw(line, null, id, null, "line " + line + ": record has " + r.size()
                                + " fields, no '" + textField + "' value", role));
                    } else {
                        chunk.add(new Raw(line, null, id, r.get(textField), null, role));
                    }
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                // The parser cannot resynchronise after a syntax error (an unterminated quote reads
                // on to the end of the file), so the rows before it are kept and the error is
                // reported in place, as the audit job's reader does.
                failed = true;
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                long line = lastLine + 1;
                chunk.add(new Raw(line, null, null, null,
                        "line " + line + ": not valid CSV: " + why + " (rest of the file not read)", null));
            }
            return chunk;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
