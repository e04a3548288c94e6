package io.threatmon.connectors;

import java.io.Serializable;
import java.util.Objects;

/**
 * A record that could not be read: where it was and why. Audit jobs write these to a
 * dead-letter output, count them in the report and go on.
 *
 * <pre>{@code
 * DeadLetter d = DeadLetter.of("logs/day1.jsonl", 17, "not valid JSON: Unexpected character", rawLine);
 * }</pre>
 */
public class DeadLetter implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Longest part of the raw record kept, so a huge bad line does not flood the output. */
    public static final int MAX_RAW = 300;

    public String source;
    public long line;
    public String reason;
    /** The start of the raw record (at most {@value #MAX_RAW} characters). */
    public String raw;

    public DeadLetter() {}

    public static DeadLetter of(String source, long line, String reason, String raw) {
        DeadLetter d = new DeadLetter();
        d.source = source;
        d.line = line;
        d.reason = reason;
        d.raw = raw == null ? null : raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "…" : raw;
        return d;
    }

    /** The kind of problem, for counting: the reason up to its first colon. */
    public String kind() {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && line == d.line && Objects.equals(source, d.source)
                && Objects.equals(reason, d.reason) && Objects.equals(raw, d.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, line, reason);
    }

    @Override
    public String toString() {
        return source + ":" + line + ": " + reason;
    }
}
