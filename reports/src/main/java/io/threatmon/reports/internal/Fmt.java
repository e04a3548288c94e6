package io.threatmon.reports.internal;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number, percentage, time and duration formatting shared by the human-readable renderers. */
public final class Fmt {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Fmt() {}

    /** 1234567 → "1,234,567". */
    public static String count(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }

    /** A rate 0-1 as a percentage: "12.3%", "0%", "<0.1%" for tiny non-zero rates. */
    public static String percent(double rate) {
        if (rate == 0) {
            return "0%";
        }
        if (rate < 0.0005) {
            return "<0.1%";
        }
        double p = rate * 100;
        return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    /** Timestamp to the second, or "—" for null. */
    public static String time(Instant t) {
        return t == null ? "—" : SECOND.format(t);
    }

    /** Timestamp to the minute, or "—" for null. */
    public static String minute(Instant t) {
        return t == null ? "—" : MINUTE.format(t);
    }

    /** Label of a time-series bucket: "2025-05-01" for days, "05-01 13:00" for hours. */
    public static String bucket(Instant t, String granularity) {
        return "day".equals(granularity) ? DAY.format(t) : HOUR.format(t);
    }

    /** 950 → "950 ms", 83_000 → "1 min 23 s", 7_380_000 → "2 h 03 min". */
    public static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** The value, or "—" for null/blank. */
    public static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }
}
