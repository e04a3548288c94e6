package io.threatmon.connectors.sink;

import io.threatmon.connectors.siem.AlertFormatter;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * One parsed {@code --alert-sink}: where alerts go, in which format, and how to build the Flink
 * sink. Immutable and {@link Serializable}; {@link #describe()} never shows a secret.
 *
 * <pre>{@code
 * AlertSinkSpec s = AlertSinks.parse("syslog+tcp://siem:6514?format=cef");
 * alerts.map(s.format()::format).returns(Types.STRING).sinkTo(s.createSink());
 * System.err.println("alerts to " + s.describe());      // syslog+tcp://siem:6514?format=cef
 * }</pre>
 */
public final class AlertSinkSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Builds the sink from the spec's settings; serializable so a spec can travel with a job graph. */
    @FunctionalInterface
    public interface SinkFactory extends Serializable {
        Sink<String> create();
    }

    private final String scheme;
    private final String target;
    private final AlertFormatter format;
    private final String redactedUri;
    private final SinkFactory factory;

    private AlertSinkSpec(String scheme, String target, AlertFormatter format, String redactedUri, SinkFactory factory) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.target = Objects.requireNonNull(target, "target");
        this.format = Objects.requireNonNull(format, "format");
        this.redactedUri = Objects.requireNonNull(redactedUri, "redactedUri");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * A spec for a {@link SinkScheme}: {@code target} says where (host:port, URL or directory, no
     * secrets), {@code factory} builds the sink (it must capture only serializable settings).
     */
    public static AlertSinkSpec of(SinkUri uri, String target, AlertFormatter format, SinkFactory factory) {
        return new AlertSinkSpec(uri.scheme(), target, format, uri.redacted(), factory);
    }

    /** The URI scheme: {@code syslog+udp}, {@code syslog+tcp}, {@code syslog+tls}, {@code hec}, {@code webhook+http(s)}, {@code file} … */
    public String scheme() {
        return scheme;
    }

    /** Where events go: {@code host:port}, the request URL or the directory. */
    public String target() {
        return target;
    }

    /** How each alert becomes one event for this sink. */
    public AlertFormatter format() {
        return format;
    }

    /** A new Flink sink of already-formatted events (one element = one event, no trailing newline). */
    public Sink<String> createSink() {
        return factory.create();
    }

    /** The URI with tokens, passwords, headers and user-info replaced by {@code ***}, e.g. for logs and summaries. */
    public String describe() {
        return redactedUri;
    }

    @Override
    public String toString() {
        return describe();
    }
}
