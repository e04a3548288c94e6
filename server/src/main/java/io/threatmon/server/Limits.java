package io.threatmon.server;

/**
 * Input limits of the servers; each breach is answered with a clear error (an MCP error result, or
 * HTTP 413/429), never a crash.
 *
 * <pre>{@code
 * Limits limits = Limits.defaults().withMaxPromptChars(20_000).withRequestsPerMinute(120);
 * }</pre>
 *
 * @param maxPromptChars    longest text accepted, in characters (default 50,000, as upstream)
 * @param maxBatchSize      most texts in one batch (default 100, as upstream)
 * @param requestsPerMinute MCP tool calls per minute, 0 for no limit (default 60, as upstream)
 * @param maxBodyBytes      largest HTTP request body (default 8 MiB)
 */
public record Limits(int maxPromptChars, int maxBatchSize, int requestsPerMinute, int maxBodyBytes) {

    public static final int DEFAULT_MAX_PROMPT_CHARS = 50_000;
    public static final int DEFAULT_MAX_BATCH_SIZE = 100;
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

    public Limits {
        if (maxPromptChars < 1) {
            throw new IllegalArgumentException("max prompt characters must be at least 1, not " + maxPromptChars);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, not " + maxBatchSize);
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (unlimited) or more, not " + requestsPerMinute);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max body size must be at least 1024 bytes, not " + maxBodyBytes);
        }
    }

    /** Upstream's limits: 50,000 characters, 100 texts, 60 requests per minute; 8 MiB bodies. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_PROMPT_CHARS, DEFAULT_MAX_BATCH_SIZE, DEFAULT_REQUESTS_PER_MINUTE,
                DEFAULT_MAX_BODY_BYTES);
    }

    public Limits withMaxPromptChars(int n) {
        return new Limits(n, maxBatchSize, requestsPerMinute, maxBodyBytes);
    }

    public Limits withMaxBatchSize(int n) {
        return new Limits(maxPromptChars, n, requestsPerMinute, maxBodyBytes);
    }

    public Limits withRequestsPerMinute(int n) {
        return new Limits(maxPromptChars, maxBatchSize, n, maxBodyBytes);
    }

    public Limits withMaxBodyBytes(int n) {
        return new Limits(maxPromptChars, maxBatchSize, requestsPerMinute, n);
    }
}
