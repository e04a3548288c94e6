package io.threatmon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringTest {

    @Test
    void shouldScoreOneRuleAtItsOwnRisk() {
        assertEquals(80, Scoring.combine(List.of(80)));
        assertEquals(0, Scoring.combine(List.of()));
    }

    @Test
    void shouldMakeTwoMediumRulesAThreatButNotOne() {
        assertTrue(Scoring.combine(List.of(60)) < Scoring.DEFAULT_THRESHOLD);
        assertEquals(72, Scoring.combine(List.of(60, 60)));
    }

    @Test
    void shouldNotDependOnOrderAndNeverExceed100() {
        assertEquals(Scoring.combine(List.of(35, 95, 60)), Scoring.combine(List.of(60, 35, 95)));
        assertEquals(100, Scoring.combine(List.of(100, 100, 100)));
        assertTrue(Scoring.combine(List.of(95, 95, 95, 95, 95, 95, 95, 95)) <= 100);
    }

    @Test
    void shouldNeverLowerTheScoreWhenEvidenceIsAdded() {
        assertTrue(Scoring.combine(List.of(80, 10)) >= Scoring.combine(List.of(80)));
    }

    private static Match at(int start, int risk) {
        return new Match("r" + start, "r", "x", "medium", risk, "raw", start, start + 10, "", List.of());
    }

    @Test
    void shouldLetEvidenceCorroborateOnlyWithinAPassage() {
        assertEquals(72, Scoring.combineNear(List.of(at(100, 60), at(900, 60)), 1_000), "near: one passage");
        assertEquals(60, Scoring.combineNear(List.of(at(100, 60), at(30_000, 60)), 1_000), "far apart: two weak signals");
        assertEquals(Scoring.combine(List.of(80, 60)), Scoring.combineNear(List.of(at(5_000, 60), at(100, 35), at(5_500, 80)), 1_000),
                "the riskiest passage counts");
        assertEquals(0, Scoring.combineNear(List.of(), 1_000));
    }

    @Test
    void shouldBandRisksAndRecommendActionsRelativeToTheThreshold() {
        assertEquals(RiskLevel.VERY_LOW, RiskLevel.of(20));
        assertEquals(RiskLevel.LOW, RiskLevel.of(21));
        assertEquals(RiskLevel.MEDIUM, RiskLevel.of(60));
        assertEquals(RiskLevel.HIGH, RiskLevel.of(61));
        assertEquals(RiskLevel.CRITICAL, RiskLevel.of(81));
        assertEquals(Action.BLOCK, Action.of(70, 70));
        assertEquals(Action.REVIEW, Action.of(50, 70));
        assertEquals(Action.WARN, Action.of(30, 70));
        assertEquals(Action.ALLOW, Action.of(0, 70));
        assertEquals(Action.REVIEW, Action.of(70, 90));
    }
}
