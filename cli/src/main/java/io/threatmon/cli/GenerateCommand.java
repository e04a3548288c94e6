package io.threatmon.cli;

import io.threatmon.connectors.ConversationLogWriter;
import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.LogGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code threatmon generate}: realistic synthetic conversation logs for demos and benchmarks. */
@Command(name = "generate",
        description = {"Generate realistic conversation logs: multi-turn conversations, many users and apps, three days "
                + "of timestamps, mostly benign, with attacks of every category. Deterministic for a seed."})
final class GenerateCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--messages", defaultValue = "10000", paramLabel = "N", description = "Messages to write (default 10000).")
    long messages;

    @Option(names = "--attack-rate", defaultValue = "0.05", paramLabel = "R",
            description = "Fraction of messages that are attacks or leaks, 0-1 (default 0.05).")
    double attackRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Random seed (default 42).")
    long seed;

    @Option(names = "--format", paramLabel = "jsonl|csv|parquet", description = "Output format (default: from --out's extension).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (.gz compresses JSON lines and CSV).")
    Path out;

    GenerateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (messages < 0) {
            throw new IllegalArgumentException("--messages must be 0 or more, not " + messages);
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
}
