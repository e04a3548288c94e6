package io.threatmon.connectors;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads one conversation-log file record by record. Every record comes back, valid or as a
 * dead letter; {@code null} means the end of the file.
 *
 * <pre>{@code
 * try (LogReader r = LogReaders.open(path, LogFormat.JSONL, FieldMapping.defaults())) {
 *     for (ParsedRecord p; (p = r.next()) != null; ) handle(p);
 * }
 * }</pre>
 */
public interface LogReader extends Closeable {

    /** The next record, or null at the end. */
    ParsedRecord next() throws IOException;

    /** Bytes of the (possibly compressed) file consumed so far. */
    long bytesRead();
}
