package io.threatmon.cli;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a fixed average rate by parking until each message's time slot. Written here because the
 * usual library for it (Guava's RateLimiter) would add Guava to the CLI for these few lines.
 */
final class Pacer {

    /** Falling further behind than this (a stalled broker) restarts the schedule instead of bursting to catch up. */
    private static final long MAX_BACKLOG_NANOS = 1_000_000_000L;

    private final long intervalNanos;
    private long next;
    private boolean started;

    /** @param perSecond messages per second; 0 or less means no limit */
    Pacer(double perSecond) {
        this.intervalNanos = perSecond > 0 ? Math.max(1, Math.round(1e9 / perSecond)) : 0;
    }

    /** Returns when the next message may go; the schedule starts at the first call. */
    void await() {
        if (intervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        if (!started) {
            started = true;
            next = now;
        }
        if (now - next > MAX_BACKLOG_NANOS) {
            next = now;
        }
        while (next - now > 0) {
            LockSupport.parkNanos(next - now);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
            now = System.nanoTime();
        }
        next += intervalNanos;
    }
}
