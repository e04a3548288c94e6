package io.threatmon.connectors.sink;

import io.threatmon.connectors.siem.AlertFormatter;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code --alert-sink} URIs into {@link AlertSinkSpec}s. Immutable: {@link #with} returns a
 * parser that also knows another scheme, so a module can add one (e.g. {@code kafka://}) without
 * touching this class.
 *
 * <pre>{@code
 * AlertSinkSpec s = AlertSinks.parse("syslog+tcp://siem.example:6514?format=cef");
 * AlertSinkSpec h = AlertSinks.parse("hec://splunk:8088?token=…&tls=true&index=security");
 * AlertSinks withKafka = AlertSinks.standard().with("kafka", kafkaScheme);
 * }</pre>
 *
 * <p>Schemes (grammar and defaults in connectors/README.md):
 * {@code syslog+udp://host[:514]}, {@code syslog+tcp://host[:514]}, {@code syslog+tls://host[:6514]}
 * ({@code format=cef|leef|text|json} is the RFC 5424 body, {@code facility=0-23}),
 * {@code hec://host[:8088]?token=…[&tls=true][&index=…]}, {@code webhook+http(s)://host/path[?format=json|ecs|ocsf][&token=…]},
 * {@code file:///dir[?format=…][&roll-size=128MB][&roll-interval=15m]}. Network sinks take
 * {@code retries=N}, {@code backoff=DURATION} and {@code max-backoff=DURATION}; HTTP sinks {@code batch=N}
 * and {@code batch-interval=DURATION}.
 */
public final class AlertSinks {

    /** Formats whose events are JSON objects (the only ones an HTTP JSON sink can carry). */
    public static final List<String> JSON_FORMATS = List.of("json", "jsonl", "ecs", "ocsf", "splunk");
    /** Bodies a syslog message can carry. */
    public static final List<String> SYSLOG_BODIES = List.of("cef", "leef", "text", "json");

    private static final AlertSinks STANDARD = new AlertSinks(new LinkedHashMap<>())
            .with("syslog+udp", AlertSinks::syslogUdp)
            .with("syslog+tcp", uri -> syslogTcp(uri, false))
            .with("syslog+tls", uri -> syslogTcp(uri, true))
            .with("hec", AlertSinks::hec)
            .with("webhook+http", AlertSinks::webhook)
            .with("webhook+https", AlertSinks::webhook)
            .with("file", AlertSinks::file);

    private final Map<String, SinkScheme> schemes;

    private AlertSinks(Map<String, SinkScheme> schemes) {
        this.schemes = schemes;
    }

    /** The built-in schemes: syslog+udp, syslog+tcp, syslog+tls, hec, webhook+http, webhook+https, file. */
    public static AlertSinks standard() {
        return STANDARD;
    }

    /** {@code standard().parseUri(uri)}. */
    public static AlertSinkSpec parse(String uri) {
        return STANDARD.parseUri(uri);
    }

    /** A parser that also knows {@code scheme} (replacing an existing one of that name). */
    public AlertSinks with(String scheme, SinkScheme parser) {
        Map<String, SinkScheme> m = new LinkedHashMap<>(schemes);
        m.put(scheme.toLowerCase(Locale.ROOT), parser);
        return new AlertSinks(m);
    }

    /** The schemes this parser knows, in registration order. */
    public List<String> schemes() {
        return List.copyOf(schemes.keySet());
    }

    /**
     * The spec for {@code uri}.
     *
     * @throws IllegalArgumentException naming the problem: unknown scheme (listing the valid ones),
     *     missing host or token, unknown or malformed parameter, unsupported format
     */
    public AlertSinkSpec parseUri(String uri) {
        SinkUri u = SinkUri.parse(uri);
        SinkScheme scheme = schemes.get(u.scheme());
        if (scheme == null) {
            throw new IllegalArgumentException("unknown alert sink scheme '" + u.scheme() + "' in " + u.redacted()
                    + ": use one of " + String.join(", ", schemes.keySet()));
        }
        try {
            AlertSinkSpec spec = scheme.parse(u);
            u.checkUnused();
            return spec;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            List<String> unknown = u.unused();
            if (!unknown.isEmpty() && !m.contains("unknown parameter")) {
                m += " (and unknown parameter" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + ": a typo?)";
            }
            throw new IllegalArgumentException(m != null && m.contains(u.redacted()) ? m : "alert sink " + u.redacted() + ": " + m, e);
        }
    }

    /**
     * The formatter named by {@code format=} (or {@code defaultName}), which must be one of {@code allowed}.
     * For use by {@link SinkScheme}s.
     */
    public static AlertFormatter format(SinkUri uri, String defaultName, List<String> allowed) {
        String name = uri.param("format", defaultName).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            throw new IllegalArgumentException(uri.scheme() + " cannot carry format '" + name + "': use format="
                    + String.join("|", allowed));
        }
        return name.equals("splunk") ? AlertFormatter.splunkHec(localHostname(), null) : AlertFormatter.parse(name);
    }

    /** {@code retries=N} (default 7, so 8 attempts), {@code backoff=} (200ms) and {@code max-backoff=} (30s). */
    public static RetryPolicy retry(SinkUri uri) {
        RetryPolicy d = RetryPolicy.defaults();
        int retries = uri.intParam("retries", d.maxAttempts() - 1, 0, 100);
        Duration initial = uri.durationParam("backoff", d.initialBackoff());
        Duration max = uri.durationParam("max-backoff", d.maxBackoff().compareTo(initial) < 0 ? initial : d.maxBackoff());
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(uri.scheme() + ": max-backoff (" + max + ") is shorter than backoff (" + initial + ")");
        }
        return new RetryPolicy(retries + 1, initial, max);
    }

    private static AlertSinkSpec syslogUdp(SinkUri uri) {
        String host = uri.host();
        int port = uri.port(514);
        AlertFormatter f = syslogFormat(uri);
        int max = uri.intParam("max-datagram", SyslogUdpSink.DEFAULT_MAX_DATAGRAM, 480, SyslogUdpSink.DEFAULT_MAX_DATAGRAM);
        SyslogUdpSink sink = new SyslogUdpSink(host, port, max, retry(uri));
        return AlertSinkSpec.of(uri, host + ":" + port, f, () -> sink);
    }

    private static AlertSinkSpec syslogTcp(SinkUri uri, boolean tls) {
        String host = uri.host();
        int port = uri.port(tls ? 6514 : 514);
        AlertFormatter f = syslogFormat(uri);
        SyslogTcpSink sink = new SyslogTcpSink(host, port, tls, retry(uri));
        return AlertSinkSpec.of(uri, host + ":" + port, f, () -> sink);
    }

    private static AlertFormatter syslogFormat(SinkUri uri) {
        AlertFormatter body = format(uri, "cef", SYSLOG_BODIES);
        int facility = uri.intParam("facility", 4, 0, 23);
        return AlertFormatter.syslog(body, localHostname(), "threatmon").withFacility(facility);
    }

    private static AlertSinkSpec hec(SinkUri uri) {
        String host = uri.host();
        int port = uri.port(8088);
        String token = uri.required("token", "hec://splunk:8088?token=<HEC token>");
        boolean tls = uri.boolParam("tls", false);
        String index = uri.param("index", null);
        if (uri.has("format") && !"splunk".equalsIgnoreCase(uri.param("format", "splunk"))) {
            throw new IllegalArgumentException("hec sends Splunk HEC events only: leave out format= or use format=splunk");
        }
        AlertFormatter f = AlertFormatter.splunkHec(localHostname(), index == null || index.isBlank() ? null : index);
        URI base = URI.create((tls ? "https://" : "http://") + hostForUrl(host) + ":" + port);
        HttpSink sink = HttpSink.splunkHec(base, token, batch(uri), batchInterval(uri), retry(uri));
        return AlertSinkSpec.of(uri, base.resolve(HttpSink.HEC_PATH).toString(), f, () -> sink);
    }

    private static AlertSinkSpec webhook(SinkUri uri) {
        String scheme = uri.scheme().substring("webhook+".length());
        String host = uri.host();
        int port = uri.port(-1);
        AlertFormatter f = format(uri, "json", JSON_FORMATS);
        Map<String, String> headers = new LinkedHashMap<>();
        String token = uri.param("token", null);
        if (token != null) {
            if (token.isBlank()) {
                throw new IllegalArgumentException("webhook: token= is empty");
            }
            headers.put("Authorization", "Bearer " + token);
        }
        for (String h : uri.params("header")) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                // The value is not shown: a malformed header is often a secret with the wrong separator.
                throw new IllegalArgumentException("webhook: header must be Name:Value (a header= parameter has no ':' "
                        + "after its name; its value is not shown)");
            }
            headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        URI url = URI.create(scheme + "://" + hostForUrl(host) + (port > 0 ? ":" + port : "")
                + (uri.rawPath().isEmpty() ? "/" : uri.rawPath()));
        HttpSink sink = HttpSink.webhook(url, headers, batch(uri), batchInterval(uri), retry(uri));
        return AlertSinkSpec.of(uri, url.toString(), f, () -> sink);
    }

    private static AlertSinkSpec file(SinkUri uri) {
        String dir = uri.path();
        if (dir.isEmpty() || dir.equals("/")) {
            throw new IllegalArgumentException("file: give a directory, e.g. file:///var/log/threatmon?format=cef");
        }
        AlertFormatter f = format(uri, "json", AlertFormatter.NAMES);
        long rollSize = uri.sizeParam("roll-size", 128L << 20);
        Duration rollInterval = uri.durationParam("roll-interval", Duration.ofMinutes(15));
        String bucket = uri.param("bucket", "none").trim().toUpperCase(Locale.ROOT);
        RollingFileSink.Bucketing bucketing;
        try {
            bucketing = RollingFileSink.Bucketing.valueOf(bucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file: bucket must be none, hour or day, not '" + bucket.toLowerCase(Locale.ROOT) + "'");
        }
        String suffix = JSON_FORMATS.contains(f.id()) ? ".jsonl" : ".log";
        RollingFileSink.create(dir, "alerts", suffix, rollSize, rollInterval, bucketing); // validates now, not at submit
        return AlertSinkSpec.of(uri, dir, f, () -> RollingFileSink.create(dir, "alerts", suffix, rollSize, rollInterval, bucketing));
    }

    private static int batch(SinkUri uri) {
        return uri.intParam("batch", 100, 1, 10_000);
    }

    private static Duration batchInterval(SinkUri uri) {
        return uri.durationParam("batch-interval", Duration.ofSeconds(1));
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String h = System.getenv("HOSTNAME");
            return h == null || h.isBlank() ? null : h;
        }
    }
}
