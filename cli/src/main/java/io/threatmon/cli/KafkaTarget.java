package io.threatmon.cli;

import java.time.Duration;
import java.util.Locale;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Option;

/** The Kafka options shared by {@code generate --to-kafka} and {@code publish}. */
final class KafkaTarget {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", description = "Kafka brokers to publish to.")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic to publish to.")
    String topic;

    @Option(names = "--rate", paramLabel = "N[/s]",
            description = "Publish at a fixed rate of N messages per second (default: as fast as the broker takes them).")
    String rate;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait for the broker before failing, e.g. 30s, 2min (default 30s).")
    String timeout;

    /** Checks the options; {@code why} names the flag that asked for Kafka in error messages. */
    void validate(String why) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(why + " needs --bootstrap-servers HOST:PORT");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(why + " needs --topic");
        }
        messagesPerSecond();
        timeout();
    }

    /** The --rate in messages per second, 0 for unlimited. */
    double messagesPerSecond() {
        if (rate == null) {
            return 0;
        }
        String r = rate.trim().toLowerCase(Locale.ROOT);
        if (r.endsWith("/s")) {
            r = r.substring(0, r.length() - 2).trim();
        }
        try {
            double n = Double.parseDouble(r);
            if (n > 0 && Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--rate must be a positive number of messages per second (500 or 500/s), not '"
                + rate + "'");
    }

    Duration timeout() {
        try {
            Duration d = TimeUtils.parseDuration(timeout);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--timeout must be a positive duration such as 30s or 2min, not '" + timeout + "'");
    }

    KafkaPublisher connect(CliContext ctx) {
        return KafkaPublisher.connect(bootstrapServers.trim(), topic.trim(), timeout(), ctx);
    }
}
