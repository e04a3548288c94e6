package io.threatmon.connectors.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code --alert-sink} URI for a {@link SinkScheme}: scheme, host, port, path and query
 * parameters with typed getters. Every getter records the parameter as known, so {@link #checkUnused}
 * can reject typos ({@code tokn=…}) instead of ignoring them.
 *
 * <pre>{@code
 * SinkUri u = SinkUri.parse("hec://splunk:8088?token=abc&batch=100");
 * int batch = u.intParam("batch", 100, 1, 10_000);
 * u.checkUnused();
 * }</pre>
 */
public final class SinkUri {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");
    /** Parameter names whose values are secrets: {@link #redacted()} hides them. */
    static final Set<String> SECRET_PARAMS = Set.of("token", "password", "header");

    private final String text;
    private final URI uri;
    private final Map<String, List<String>> params;
    private final Set<String> used = new LinkedHashSet<>();

    private SinkUri(String text, URI uri, Map<String, List<String>> params) {
        this.text = text;
        this.uri = uri;
        this.params = params;
    }

    /** Parses {@code text}; the scheme is lower-cased. */
    public static SinkUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty alert sink URI: give e.g. syslog+tcp://host:6514?format=cef");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad alert sink URI '" + redact(text) + "': " + e.getReason()
                    + " at index " + e.getIndex());
        }
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("alert sink URI '" + redact(text) + "' has no scheme, e.g. syslog+tcp://host:6514");
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("alert sink URI '" + redact(text) + "' needs '//' after the scheme, e.g. "
                    + uri.getScheme() + "://…");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return new SinkUri(text.trim(), uri, params);
    }

    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /** The host; an error naming the URI when there is none. */
    public String host() {
        String h = uri.getHost();
        if (h == null || h.isEmpty()) {
            throw new IllegalArgumentException("alert sink URI '" + redacted() + "' has no host (a host name needs "
                    + "letters, digits, '-' and '.' only)");
        }
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The port, or {@code defaultPort} when the URI has none. */
    public int port(int defaultPort) {
        return uri.getPort() < 0 ? defaultPort : uri.getPort();
    }

    /** The decoded path ({@code ""} when none). */
    public String path() {
        return uri.getPath() == null ? "" : uri.getPath();
    }

    /** The raw path as written (percent-encoding kept), for building request URLs. */
    public String rawPath() {
        return uri.getRawPath() == null ? "" : uri.getRawPath();
    }

    public boolean has(String name) {
        used.add(name);
        return params.containsKey(name);
    }

    /** The single value of {@code name}, or {@code defaultValue}; an error when given twice. */
    public String param(String name, String defaultValue) {
        List<String> all = params(name);
        if (all.size() > 1) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' given " + all.size() + " times");
        }
        return all.isEmpty() ? defaultValue : all.get(0);
    }

    /** Every value of a repeatable parameter, in order. */
    public List<String> params(String name) {
        used.add(name);
        return params.getOrDefault(name, List.of());
    }

    /** A required, non-empty parameter. */
    public String required(String name, String example) {
        String v = param(name, null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' is required, e.g. " + example);
        }
        return v;
    }

    public int intParam(String name, int defaultValue, int min, int max) {
        String v = param(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be " + min + "-" + max
                        + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be a whole number, not '" + v + "'");
        }
    }

    public boolean boolParam(String name, boolean defaultValue) {
        String v = param(name, null);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be true or false, not '" + v + "'");
        };
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 15m}, {@code 1h}, {@code 1d} (a bare number is milliseconds). */
    public Duration durationParam(String name, Duration defaultValue) {
        String v = param(name, null);
        return v == null ? defaultValue : parseDuration(name, v);
    }

    /** A size such as {@code 512KB}, {@code 128MB}, {@code 1GB} (a bare number is bytes; units are powers of 1024). */
    public long sizeParam(String name, long defaultValue) {
        String v = param(name, null);
        if (v == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be a size like 128MB, not '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit) {
            case "k", "kb" -> 1L << 10;
            case "m", "mb" -> 1L << 20;
            case "g", "gb" -> 1L << 30;
            default -> 1;
        };
        if (n <= 0) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be positive, not '" + v + "'");
        }
        return n * factor;
    }

    Duration parseDuration(String name, String v) {
        Matcher m = DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be a duration like 500ms, 10s or 15m, not '"
                    + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d = switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofMillis(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException(scheme() + ": parameter '" + name + "' must be positive, not '" + v + "'");
        }
        return d;
    }

    /** Rejects query parameters no getter asked for, listing the ones this scheme knows. */
    public void checkUnused() {
        List<String> unknown = unused();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(scheme() + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (known: " + String.join(", ", used) + ")");
        }
    }

    /** Query parameters no getter has asked for so far. */
    List<String> unused() {
        return params.keySet().stream().filter(k -> !used.contains(k)).toList();
    }

    /** The URI as given, with the values of {@code token}, {@code password} and {@code header} and any user-info replaced by {@code ***}. */
    public String redacted() {
        return redact(text);
    }

    static String redact(String s) {
        if (s == null) {
            return null;
        }
        String out = s.replaceAll("(?i)([?&](?:" + String.join("|", SECRET_PARAMS) + ")=)[^&#]*", "$1***");
        return out.replaceAll("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@", "$1***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
