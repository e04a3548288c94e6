package io.threatmon.connectors;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The physical line a CSV record starts on, as an editor numbers it (1 = the header).
 *
 * <p>Why: commons-csv reports the line a record <em>ends</em> on and skips blank lines silently,
 * so counting from the previous record's end put every record after a blank line too early.
 *
 * <pre>{@code
 * for (CSVRecord r : parser) {
 *     long line = CsvLines.startLine(parser, r);   // right after blank lines and multi-line fields
 * }
 * }</pre>
 */
public final class CsvLines {

    private CsvLines() {}

    /** The line {@code record}, just read from {@code parser}, starts on. */
    public static long startLine(CSVParser parser, CSVRecord record) {
        return parser.getCurrentLineNumber() - lineBreaks(record);
    }

    /** Line breaks inside the record's quoted values ({@code \r\n}, {@code \n} or {@code \r} each count once). */
    static int lineBreaks(CSVRecord record) {
        int n = 0;
        for (String v : record) {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= v.length() || v.charAt(i + 1) != '\n'))) {
                    n++;
                }
            }
        }
        return n;
    }
}
