package io.threatmon.connectors;

import java.util.Locale;

/**
 * The conversation-log file formats audit jobs read.
 *
 * <pre>{@code
 * LogFormat f = LogFormat.fromFileName("day1.csv.gz"); // CSV (gzip-compressed)
 * }</pre>
 */
public enum LogFormat {
    JSONL,
    CSV,
    PARQUET;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code jsonl|csv|parquet}. */
    public static LogFormat parse(String s) {
        for (LogFormat f : values()) {
            if (f.id().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + s + "' (expected jsonl, csv or parquet)");
    }

    /** The format a file name implies ({@code .jsonl .ndjson .json .csv .parquet}, optionally {@code .gz}), or null. */
    public static LogFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".parquet") || n.endsWith(".parq")) {
            return PARQUET;
        }
        return null;
    }
}
