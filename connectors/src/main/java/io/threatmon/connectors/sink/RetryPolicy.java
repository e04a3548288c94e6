package io.threatmon.connectors.sink;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long a sink retries a failed delivery: at most {@code maxAttempts} tries,
 * waiting between them an exponential backoff ({@code initialBackoff} × 2ⁿ, capped at
 * {@code maxBackoff}) with "equal jitter" (half fixed, half random) so that many subtasks hitting
 * the same recovering SIEM do not retry in lock step. Once the attempts are spent the sink fails
 * (and Flink restarts or stops the job): it never drops an event and never retries forever.
 *
 * <pre>{@code
 * RetryPolicy p = RetryPolicy.defaults();                 // 8 attempts, 200 ms … 30 s
 * RetryPolicy fast = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(100));
 * }</pre>
 *
 * @param maxAttempts    tries in all, at least 1 (1 = no retry)
 * @param initialBackoff wait before the second try
 * @param maxBackoff     longest wait between two tries
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {

    /** The longest {@code Retry-After} a sink honours; a SIEM asking for more is waited on this long. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry attempts must be at least 1, not " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial (" + initialBackoff + ") <= max (" + maxBackoff + ")");
        }
    }

    /** 8 attempts, 200 ms doubling up to 30 s: about 25 s of waiting at most before the sink gives up. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /** The wait before retry number {@code retry} (1 = the first retry): between half and all of the capped exponential. */
    public long backoffMillis(int retry) {
        long initial = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long exp = (long) Math.min(cap, initial * Math.pow(2, Math.max(0, retry - 1)));
        long half = exp / 2;
        return half + (exp - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(exp - half + 1));
    }

    /** The wait a server asked for, at most {@link #MAX_RETRY_AFTER}, and never less than the backoff. */
    long retryAfterMillis(int retry, long askedMillis) {
        return Math.max(backoffMillis(retry), Math.min(askedMillis, MAX_RETRY_AFTER.toMillis()));
    }
}
