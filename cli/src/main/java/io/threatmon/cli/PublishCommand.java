package io.threatmon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> tooLarge = new ArrayList<>();
        long lineNo = 0;
        try (InputStream in = open(); KafkaPublisher publisher = kafka.connect(ctx)) {
            boolean first = true;
            for (byte[] line; (line = readLine(in)) != null; ) {
                lineNo++;
                if (first && line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                    line = java.util.Arrays.copyOfRange(line, 3, line.length);
                }
                first = false;
                if (isBlank(line)) {
                    continue;
                }
                if (line.length > MAX_RECORD_BYTES) {
                    // The producer would fail the whole run on it, after the lines before had gone:
                    // leave it out, say which, and send the rest.
                    tooLarge.add("line " + lineNo + " (" + line.length + " bytes)");
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
        if (!tooLarge.isEmpty()) {
            throw new CliException(tooLarge.size() + " line(s) not sent, over Kafka's default record limit of "
                    + MAX_RECORD_BYTES + " bytes: " + String.join(", ", tooLarge.subList(0, Math.min(10, tooLarge.size())))
                    + (tooLarge.size() > 10 ? ", …" : ""));
        }
        return Main.OK;
    }

    /** Largest line sent: Kafka's default {@code max.request.size} and {@code message.max.bytes} are ~1 MB. */
    static final int MAX_RECORD_BYTES = 1_000_000;

    /**
     * The next line's bytes without its {@code \n} (and a {@code \r} before it), or null at the end.
     * Lines are split on bytes, not decoded: a line goes to Kafka exactly as the file holds it, as
     * the audit job reads it (a lone {@code \r} inside a line does not split it, an invalid byte
     * is not replaced).
     */
    static byte[] readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
        int b;
        boolean any = false;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        if (!any) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        return bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? java.util.Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The key field of a JSON-object line (a missing node when absent), or null when the line is not a JSON object. */
    private JsonNode parseKey(byte[] line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n.path(keyField) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private InputStream open() throws IOException {
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
        return new java.io.BufferedInputStream(in, 1 << 16);
    }
}
