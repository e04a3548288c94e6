package io.threatmon.engine;

import java.util.Locale;

/**
 * Where a {@link ThreatClient} gets its verdicts, as upstream's SDK modes.
 * <ul>
 *   <li>{@code LOCAL} (default): this process's engine only.</li>
 *   <li>{@code API}: a ThreatMon server ({@code threatmon serve}) decides every text; when it is
 *       down, slow or refuses, the local verdict is used and marked {@code local_fallback}.</li>
 *   <li>{@code HYBRID}: local first; only borderline scores (see
 *       {@link ThreatClient.Builder#hybridBand(int, int)}) are sent to the server.</li>
 * </ul>
 *
 * <pre>{@code
 * ThreatClient client = ThreatClient.builder()
 *         .mode(Mode.HYBRID)
 *         .apiUrl("http://threatmon.internal:8080")
 *         .apiKey(System.getenv("THREATMON_API_KEY"))
 *         .build();
 * }</pre>
 */
public enum Mode {
    LOCAL,
    API,
    HYBRID;

    /** {@code local}, {@code api} or {@code hybrid}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code local|api|hybrid} (any case). */
    public static Mode parse(String s) {
        for (Mode m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (expected local, api or hybrid)");
    }
}
