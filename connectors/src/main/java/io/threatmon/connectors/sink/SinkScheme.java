package io.threatmon.connectors.sink;

/**
 * Turns a parsed URI of one scheme into an {@link AlertSinkSpec}; {@link AlertSinks} keeps one per
 * scheme. To add a scheme (e.g. {@code kafka://}), implement this and register it with
 * {@link AlertSinks#with(String, SinkScheme)} (or add it to {@link AlertSinks#standard()}).
 *
 * <pre>{@code
 * SinkScheme kafka = uri -> AlertSinkSpec.of(uri, uri.host() + ":" + uri.port(9092) + uri.path(),
 *         AlertSinks.format(uri, "json", AlertSinks.JSON_FORMATS), () -> buildKafkaSink(…));
 * AlertSinks sinks = AlertSinks.standard().with("kafka", kafka);
 * }</pre>
 *
 * <p>An implementation reads every parameter it supports through {@link SinkUri}'s getters and
 * calls nothing else: {@link AlertSinks#parse} rejects the parameters it did not read.
 */
@FunctionalInterface
public interface SinkScheme {

    /** The spec for {@code uri}; an {@link IllegalArgumentException} naming the problem for a bad one. */
    AlertSinkSpec parse(SinkUri uri);
}
