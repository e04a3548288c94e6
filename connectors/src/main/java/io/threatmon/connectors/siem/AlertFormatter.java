package io.threatmon.connectors.siem;

import java.io.Serializable;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Turns one {@link Alert} into one event in a format a SIEM ingests. Every formatter is immutable,
 * thread-safe and {@link Serializable} (so a Flink function can hold one), and returns a single event
 * without a trailing newline; the caller adds framing (a newline for JSON lines, octet counting for
 * syslog over TCP, concatenation for a Splunk HEC batch).
 *
 * <pre>{@code
 * AlertFormatter cef = AlertFormatter.cef();
 * String line = cef.format(alert);        // CEF:0|ThreatMon|LLM Audit|1.0.0|pi.ignore_previous|…
 * AlertFormatter f = AlertFormatter.parse("syslog");   // RFC 5424 with a CEF body
 * }</pre>
 *
 * <p>Time: every format uses {@link Alert#timestamp()}; when it is {@link Long#MIN_VALUE} (unknown)
 * the formatter uses the current time, i.e. the time the alert is formatted.
 *
 * <p>The product version defaults to {@value #DEFAULT_VERSION}; the overloads taking a
 * {@code version} set it (connectors does not depend on the engine, so the caller passes it).
 */
public interface AlertFormatter extends Serializable {

    /** Vendor name in every format. */
    String VENDOR = "ThreatMon";
    /** Product name in CEF, LEEF and ECS {@code observer.product}. */
    String PRODUCT = "LLM Audit";
    /** Product version used by the factories without a {@code version} argument. */
    String DEFAULT_VERSION = "1.0.0";

    /** Names accepted by {@link #parse(String)}. */
    List<String> NAMES = List.of("jsonl", "json", "cef", "leef", "ecs", "ocsf", "splunk", "syslog", "text");

    /** One event for {@code alert}, without a trailing newline. */
    String format(Alert alert);

    /** Short name of the format ({@code json}, {@code cef}, …). */
    String id();

    /** ThreatMon's own alert JSON (snake_case, one object; nulls kept so the schema is stable). */
    static AlertFormatter json() {
        return new JsonAlertFormatter();
    }

    /** ArcSight CEF 0 with version {@value #DEFAULT_VERSION}. */
    static AlertFormatter cef() {
        return cef(DEFAULT_VERSION);
    }

    /** ArcSight CEF 0 with the given product version. */
    static AlertFormatter cef(String version) {
        return new CefFormatter(version);
    }

    /** IBM QRadar LEEF 2.0 with {@code ^} as the delimiter. */
    static AlertFormatter leef() {
        return leef(DEFAULT_VERSION);
    }

    /** IBM QRadar LEEF 2.0 with the given product version. */
    static AlertFormatter leef(String version) {
        return new LeefFormatter(version);
    }

    /** Elastic Common Schema 9.x document. */
    static EcsFormatter ecs() {
        return ecs(DEFAULT_VERSION);
    }

    /** Elastic Common Schema 9.x document with the given product version ({@code observer.version}). */
    static EcsFormatter ecs(String version) {
        return new EcsFormatter(version, EcsFormatter.DEFAULT_RULESET);
    }

    /** OCSF 1.3 Detection Finding (class 2004). */
    static AlertFormatter ocsf() {
        return ocsf(DEFAULT_VERSION);
    }

    /** OCSF 1.3 Detection Finding (class 2004) with the given product version. */
    static AlertFormatter ocsf(String version) {
        return new OcsfFormatter(version);
    }

    /** Splunk HEC event; host and index left to the HEC token's defaults. */
    static SplunkHecFormatter splunkHec() {
        return splunkHec(null, null);
    }

    /** Splunk HEC event with the given host and index (either may be null: omitted). */
    static SplunkHecFormatter splunkHec(String host, String index) {
        return new SplunkHecFormatter(host, SplunkHecFormatter.DEFAULT_SOURCE,
                SplunkHecFormatter.DEFAULT_SOURCETYPE, index);
    }

    /** One line of plain text: {@code Prompt injection detected (risk 92) user=alice}. */
    static AlertFormatter text() {
        return new TextFormatter();
    }

    /**
     * RFC 5424 syslog carrying {@code body} (CEF, LEEF, text …) as MSG, with facility 4
     * (security/authorization) and the current process id.
     */
    static SyslogFormatter syslog(AlertFormatter body, String hostname, String appName) {
        return new SyslogFormatter(body, hostname, appName, SyslogFormatter.DEFAULT_FACILITY,
                String.valueOf(ProcessHandle.current().pid()));
    }

    /**
     * A formatter by its command-line name: {@code jsonl} or {@code json}, {@code cef}, {@code leef},
     * {@code ecs}, {@code ocsf}, {@code splunk}, {@code syslog} (a CEF body, this machine's host
     * name, app-name {@code threatmon}) or {@code text}.
     *
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    static AlertFormatter parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "jsonl", "json":
                return json();
            case "cef":
                return cef();
            case "leef":
                return leef();
            case "ecs":
                return ecs();
            case "ocsf":
                return ocsf();
            case "splunk":
                return splunkHec();
            case "text":
                return text();
            case "syslog":
                return syslog(cef(), localHostname(), "threatmon");
            default:
                throw new IllegalArgumentException("unknown alert format '" + name + "': use one of "
                        + String.join(", ", NAMES));
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return System.getenv("HOSTNAME");
        }
    }
}
