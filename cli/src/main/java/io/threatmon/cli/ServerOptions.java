package io.threatmon.cli;

import io.threatmon.server.Limits;
import picocli.CommandLine.Option;

/** Limits shared by {@code threatmon serve} and {@code threatmon mcp}. */
final class ServerOptions {

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default 127.0.0.1; 0.0.0.0 for all).")
    String host;

    @Option(names = "--max-prompt-chars", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_PROMPT_CHARS,
            description = "Longest text accepted, in characters (default ${DEFAULT-VALUE}).")
    int maxPromptChars;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_BATCH_SIZE,
            description = "Most texts in one batch (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_REQUESTS_PER_MINUTE,
            description = "MCP tool calls per minute, 0 for no limit (default ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "" + Limits.DEFAULT_MAX_BODY_BYTES,
            description = "Largest HTTP request body (default ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    Limits limits() {
        return new Limits(maxPromptChars, maxBatch, rateLimit, maxBodyBytes);
    }
}
