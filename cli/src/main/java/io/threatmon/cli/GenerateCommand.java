package io.threatmon.cli;

import io.threatmon.connectors.ConversationLogWriter;
import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.LogGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon generate}: realistic synthetic conversation logs for demos and benchmarks, written
 * to a file or published to a Kafka topic ({@code --to-kafka}, optionally at a fixed {@code --rate} and
 * with {@code --live} timestamps) as traffic for the stream job.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate realistic conversation logs: multi-turn conversations, many users and apps, three days "
                + "of timestamps, mostly benign, with attacks of every category. Deterministic for a seed.",
                "Written to --out FILE, or published with --to-kafka --bootstrap-servers HOST:PORT --topic T [--rate N/s]."})
final class GenerateCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--messages", defaultValue = "10000", paramLabel = "N", description = "Messages to write (default 10000).")
    long messages;

    @Option(names = "--attack-rate", defaultValue = "0.05", paramLabel = "R",
            description = "Fraction of messages that are attacks or leaks, 0-1 (default 0.05): user turns carry 90%% of them "
                    + "(all user turns past 0.55), replies with leaks the rest.")
    double attackRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default 42).")
    long seed;

    @Option(names = "--format", paramLabel = "jsonl|csv|parquet", description = "Output format (default: from --out's extension).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (.gz compresses JSON lines and CSV).")
    Path out;

    @Option(names = "--to-kafka", description = "Publish the messages as JSON to a Kafka topic instead of writing a file "
            + "(keyed by conversation id; needs --bootstrap-servers and --topic).")
    boolean toKafka;

    @Option(names = "--live", description = "Stamp each message with the time it is published instead of the generated "
            + "three-day timeline (live traffic; with --to-kafka).")
    boolean live;

    @Mixin
    KafkaTarget kafka;

    GenerateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (messages < 0) {
            throw new IllegalArgumentException("--messages must be 0 or more, not " + messages);
        }
        if (toKafka) {
            return publish();
        }
        if (out == null) {
            throw new IllegalArgumentException("give --out FILE, or --to-kafka to publish to Kafka");
        }
        if (live || kafka.bootstrapServers != null || kafka.topic != null || kafka.rate != null) {
            throw new IllegalArgumentException("--live, --bootstrap-servers, --topic and --rate go with --to-kafka");
        }
        LogFormat f = format != null ? LogFormat.parse(format) : LogFormat.fromFileName(out.getFileName().toString());
        if (f == null) {
            throw new IllegalArgumentException("cannot tell the format of " + out + ": give --format jsonl|csv|parquet");
        }
        LogGenerator generator = new LogGenerator(seed, attackRate);
        try (ConversationLogWriter w = ConversationLogWriter.open(out, f)) {
            generator.generate(messages, r -> {
                try {
                    w.write(r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        ctx.info(String.format("wrote %,d messages to %s", messages, out));
        return Main.OK;
    }

    private Integer publish() {
        if (out != null || format != null) {
            throw new IllegalArgumentException("--to-kafka publishes instead of writing a file: drop --out/--format");
        }
        kafka.validate("--to-kafka");
        LogGenerator generator = new LogGenerator(seed, attackRate);
        Pacer pacer = new Pacer(kafka.messagesPerSecond());
        long started = System.nanoTime();
        try (KafkaPublisher publisher = kafka.connect(ctx)) {
            generator.generate(messages, r -> {
                pacer.await();
                if (live) {
                    r.timestamp = System.currentTimeMillis();
                }
                try {
                    publisher.send(r.conversationId, ConversationLogWriter.toJson(r));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            publisher.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ctx.info(String.format(Locale.ROOT, "published %,d messages to %s on %s in %.1f s (%,.0f/s)", messages,
                kafka.topic, kafka.bootstrapServers, seconds, messages / Math.max(seconds, 1e-3)));
        return Main.OK;
    }
}
