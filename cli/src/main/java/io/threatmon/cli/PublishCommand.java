package io.threatmon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon publish}: sends a JSON-lines conversation log to a Kafka topic, one message per
 * line, keyed by conversation so each conversation stays in order on one partition. Lines that are
 * not JSON objects are sent unchanged: the stream job turns them into dead letters with a reason,
 * so nothing is lost on the way. Blank lines are skipped, as the log readers skip them.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publish a JSON-lines conversation log (.jsonl, .jsonl.gz or '-' for stdin) to a Kafka topic, "
                + "one message per line, keyed by conversation id. Invalid lines are published as they are "
                + "(the stream job sends them to its dead letters)."})
final class PublishCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final CliContext ctx;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "JSON-lines log; '-' for stdin.")
    String input;

    @Option(names = "--key-field", defaultValue = "conversation_id", paramLabel = "NAME",
            description = "Field whose value keys each message (default conversation_id); lines without it have no key.")
    String keyField;

    @Mixin
    KafkaTarget kafka;

    PublishCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        kafka.validate("publish");
        Pacer pacer = new Pacer(kafka.messagesPerSecond());
        long started = System.nanoTime();
        long lines = 0;
        long invalid = 0;
        try (BufferedReader in = open(); KafkaPublisher publisher = kafka.connect(ctx)) {
            boolean first = true;
            for (String line; (line = in.readLine()) != null; ) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode key = parseKey(line);
                if (key == null) {
                    invalid++;
                }
                pacer.await();
                publisher.send(key != null && key.isValueNode() && !key.isNull() ? key.asText() : null, line);
                lines++;
            }
            publisher.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ctx.info(String.format(Locale.ROOT, "published %,d messages to %s on %s in %.1f s (%,.0f/s)", lines, kafka.topic,
                kafka.bootstrapServers, seconds, lines / Math.max(seconds, 1e-3)));
        if (invalid > 0) {
            ctx.info(String.format(Locale.ROOT, "%,d of them are not JSON objects: sent as they are, for the stream job's "
                    + "dead letters", invalid));
        }
        return Main.OK;
    }

    /** The key field of a JSON-object line (a missing node when absent), or null when the line is not a JSON object. */
    private JsonNode parseKey(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n.path(keyField) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private BufferedReader open() throws IOException {
        InputStream in;
        if ("-".equals(input)) {
            in = ctx.in;
        } else {
            Path p = Path.of(input);
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".parquet")) {
                throw new CliException("publish sends JSON lines; " + input + " is not a JSON-lines log");
            }
            in = Files.newInputStream(p);
            if (name.endsWith(".gz")) {
                in = new GZIPInputStream(in, 64 * 1024);
            }
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
