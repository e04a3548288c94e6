package io.threatmon.engine;

/**
 * How a client's cache is doing.
 *
 * <pre>{@code
 * CacheStats s = client.cacheStats();
 * System.out.printf("hit rate %.1f%% of %d lookups%n", 100 * s.hitRate(), s.hits() + s.misses());
 * }</pre>
 *
 * @param enabled  false when the client was built with cache size 0
 * @param size     entries held now
 * @param capacity maximum entries
 * @param hits     lookups answered from the cache
 * @param misses   lookups that ran the analyzer
 */
public record CacheStats(boolean enabled, long size, long capacity, long hits, long misses) {

    /** Hits over all lookups, 0 when there were none. */
    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
