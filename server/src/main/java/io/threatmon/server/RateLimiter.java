package io.threatmon.server;

import java.time.Clock;
import java.util.ArrayDeque;

/**
 * At most {@code perMinute} permits in any 60-second window (a sliding log of the permits' times).
 * Small and exact, so written here rather than pulling in a rate-limiting library. Thread-safe.
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(60, Clock.systemUTC());
 * if (!limiter.tryAcquire()) return error("rate limit of 60 requests per minute reached");
 * }</pre>
 */
public final class RateLimiter {

    private static final long WINDOW_MILLIS = 60_000;

    private final int perMinute;
    private final Clock clock;
    private final ArrayDeque<Long> granted = new ArrayDeque<>();

    /** {@code perMinute} 0 means unlimited. */
    public RateLimiter(int perMinute, Clock clock) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("requests per minute must be 0 (unlimited) or more, not " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes a permit if one is free now. */
    public synchronized boolean tryAcquire() {
        if (perMinute == 0) {
            return true;
        }
        long now = clock.millis();
        while (!granted.isEmpty() && granted.peekFirst() <= now - WINDOW_MILLIS) {
            granted.pollFirst();
        }
        if (granted.size() >= perMinute) {
            return false;
        }
        granted.addLast(now);
        return true;
    }

    /** Seconds until the next permit frees up (0 when one is free). */
    public synchronized long secondsUntilFree() {
        if (perMinute == 0 || granted.size() < perMinute) {
            return 0;
        }
        long wait = granted.peekFirst() + WINDOW_MILLIS - clock.millis();
        return Math.max(1, (wait + 999) / 1000);
    }

    public int perMinute() {
        return perMinute;
    }
}
