package io.threatmon.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.Action;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.DetectionMethod;
import io.threatmon.engine.Direction;
import io.threatmon.engine.RiskLevel;
import io.threatmon.server.http.ApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The servers' small parts on their own: statistics, rate limiting, API keys, limits, policies. */
class ServerPartsTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T10:30:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    static AnalysisResult result(int risk, String type, DetectionMethod method) {
        return new AnalysisResult(risk >= 70, risk, RiskLevel.of(risk), type, type == null ? List.of() : List.of(type),
                List.of(), List.of(), 10, method, Action.of(risk, 70), Direction.PROMPT, false, Map.of());
    }

    @Test
    void shouldCountOnlyVerdictsInsideTheTimeRange() {
        ManualClock clock = new ManualClock();
        AnalysisLog log = new AnalysisLog(100, clock);
        log.record(result(90, "jailbreak", DetectionMethod.RULES));
        clock.advance(Duration.ofHours(2));
        log.record(result(85, "prompt_injection", DetectionMethod.RULES));
        log.record(result(0, null, DetectionMethod.NONE));

        Map<String, Object> hour = log.statistics("1h", "threat_type");
        assertEquals(2L, hour.get("total_analyzed"));
        assertEquals(1L, hour.get("threat_count"));
        Map<String, Object> day = log.statistics("24h", "threat_type");
        assertEquals(3L, day.get("total_analyzed"));
        assertEquals(2L, day.get("threat_count"));
        assertEquals(42.5, ((Number) log.statistics("1h", "risk_level").get("average_risk_score")).doubleValue());

        List<?> byTime = (List<?>) log.statistics("24h", "time").get("groups");
        assertEquals(2, byTime.size(), "hourly buckets 10:00 and 12:00");
        assertEquals("2026-01-01T10:00:00Z", ((Map<?, ?>) byTime.get(0)).get("bucket_start"));
        List<?> byMethod = (List<?>) log.statistics("7d", "detection_method").get("groups");
        assertEquals("rules", ((Map<?, ?>) byMethod.get(0)).get("detection_method"));

        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> log.statistics("2w", "time"));
        assertTrue(range.getMessage().contains("[1h, 24h, 7d, 30d]"));
        assertThrows(IllegalArgumentException.class, () -> log.statistics("1h", "user"));
    }

    @Test
    void shouldKeepOnlyTheLastVerdictsWhenFull() {
        AnalysisLog log = new AnalysisLog(3, new ManualClock());
        for (int i = 0; i < 10; i++) {
            log.record(result(90, "jailbreak", DetectionMethod.RULES));
        }
        assertEquals(3L, log.statistics("1h", "threat_type").get("total_analyzed"));
    }

    @Test
    void shouldGrantAtMostNPermitsPerSlidingMinute() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(2, clock);
        assertTrue(limiter.tryAcquire());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        assertEquals(30, limiter.secondsUntilFree());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(limiter.tryAcquire(), "the first permit left the window");
        assertFalse(limiter.tryAcquire());
        RateLimiter off = new RateLimiter(0, clock);
        for (int i = 0; i < 1000; i++) {
            assertTrue(off.tryAcquire());
        }
    }

    @Test
    void shouldAcceptOnlyConfiguredKeys() {
        ApiKeys keys = ApiKeys.parse(" alpha, beta ,,");
        assertEquals(2, keys.count());
        assertTrue(keys.accepts("alpha"));
        assertTrue(keys.accepts("beta"));
        assertFalse(keys.accepts("alph"));
        assertFalse(keys.accepts("alpha "));
        assertFalse(keys.accepts(null));
        assertFalse(ApiKeys.parse("").required());
        assertTrue(ApiKeys.parse(null).accepts(null));
    }

    @Test
    void shouldRejectNonsensicalLimits() {
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxPromptChars(0));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withRequestsPerMinute(-1));
        assertEquals(50_000, Limits.defaults().maxPromptChars());
        assertEquals(100, Limits.defaults().maxBatchSize());
        assertEquals(60, Limits.defaults().requestsPerMinute());
    }

    @Test
    void shouldDescribeThreePoliciesStrictestFirst() {
        int previous = 0;
        for (String name : Policies.NAMES) {
            Map<String, Object> p = Policies.template(name).orElseThrow();
            int t = (int) p.get("threshold");
            assertTrue(t > previous, name);
            previous = t;
            assertEquals("risk >= " + t, ((Map<?, ?>) p.get("actions")).get("block"));
        }
        assertTrue(Policies.template("STRICT").isPresent());
        assertTrue(Policies.template("lenient").isEmpty());
    }
}
