package io.threatmon.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads JSON lines. Lines are split on bytes and decoded strictly ({@link RecordParser#parseJsonBytes}, shared
 * with the Kafka source), so one line of invalid UTF-8 becomes one dead letter instead of corrupting the rest of the file. Blank lines are skipped
 * but still counted, so line numbers match an editor's.
 */
final class JsonLinesReader implements LogReader {

    private final CountingInputStream counted;
    private final InputStream in;
    private final String source;
    private final FieldMapping mapping;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private boolean failed;
    private long lineNo;

    JsonLinesReader(CountingInputStream counted, InputStream decompressed, String source, FieldMapping mapping) {
        this(counted, decompressed, source, mapping, 1);
    }

    /** A reader whose first line is line {@code firstLine} of {@code source} (a chunk of a larger file). */
    JsonLinesReader(CountingInputStream counted, InputStream decompressed, String source, FieldMapping mapping, long firstLine) {
        this.lineNo = firstLine - 1;
        this.counted = counted;
        this.in = decompressed;
        this.source = source;
        this.mapping = mapping;
    }

    @Override
    public ParsedRecord next() throws IOException {
        while (true) {
            if (failed) {
                return null;
            }
            int[] line;
            try {
                line = nextLine();
            } catch (IOException e) {
                // A truncated or corrupt gzip member: the lines before it were read; the rest of
                // this file is one dead letter, and the audit goes on with its other files.
                failed = true;
                return RecordParser.dead(source, lineNo + 1, LogReaders.unreadableReason(e), null);
            }
            if (line == null) {
                return null;
            }
            lineNo++;
            int from = line[0];
            int to = line[1];
            if (to > from && buf[to - 1] == '\r') {
                to--;
            }
            if (isBlank(from, to)) {
                continue;
            }
            return RecordParser.parseJsonBytes(buf, from, to, source, lineNo, mapping);
        }
    }

    /** {from, to} of the next line in {@code buf} (without the newline), or null at the end. */
    private int[] nextLine() throws IOException {
        int scanned = 0; // bytes after start known to hold no newline; fill() keeps this valid
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    int[] line = {start, i};
                    start = i + 1;
                    return line;
                }
            }
            scanned = end - start;
            if (eof) {
                if (start < end) {
                    int[] line = {start, end};
                    start = end;
                    return line;
                }
                return null;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public long bytesRead() {
        return counted.count();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
