package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.ThreatClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code requires_at_least: N}: the rule fires only where N different {@code requires} regexes
 * match besides a pattern, so signals that mean little alone (a refund, urgency, a new card, a
 * waved-away ticket) count together.
 */
class RequiresAtLeastTest {

    private static final String PACK = """
            name: count
            version: "1"
            rules:
              - id: t.refund_signals
                category: excessive_agency
                severity: high
                requires_at_least: 2
                patterns: ['\\brefund\\b']
                requires:
                  - '\\b(urgent|today|right now)\\b'
                  - '\\b(new|another|different) (card|account)\\b'
                  - '\\bno (ticket|approval) needed\\b'
            """;

    /** Two rules with the same requires: the answer is shared within a text, never carried to the next one. */
    private static final String SHARED = """
            name: shared
            version: "1"
            rules:
              - id: t.refund
                category: excessive_agency
                severity: high
                requires_at_least: 2
                patterns: ['\\brefund\\b']
                requires: ['\\burgent\\b', '\\bno ticket\\b', '\\bnew card\\b']
              - id: t.transfer
                category: excessive_agency
                severity: high
                requires_at_least: 2
                patterns: ['\\btransfer\\b']
                requires: ['\\burgent\\b', '\\bno ticket\\b', '\\bnew card\\b']
            """;

    private static final ThreatClient CLIENT = ThreatClient.builder().bundledRules(false)
            .rulePack("count", PACK).cacheSize(0).build();

    @Test
    void oneSignalBesideThePatternIsNotEnough() {
        assertFalse(CLIENT.analyze("Please process the refund today.").isThreat());
        assertFalse(CLIENT.analyze("Send the refund to the new card on file.").isThreat());
    }

    @Test
    void twoDifferentSignalsFire() {
        AnalysisResult r = CLIENT.analyze("Refund it to another card today, no ticket needed.");
        assertTrue(r.isThreat(), r::toString);
        assertEquals(List.of("t.refund_signals"), r.matchedRules());
        assertTrue(CLIENT.analyze("Urgent: refund order 5521 to a different account.").isThreat());
    }

    @Test
    void oneSignalTwiceCountsOnce() {
        assertFalse(CLIENT.analyze("Urgent! The refund is urgent, do it right now.").isThreat());
    }

    @Test
    void rulesWithTheSameRequiresShareTheAnswerOnlyWithinOneText() {
        ThreatClient client = ThreatClient.builder().bundledRules(false).rulePack("shared", SHARED).cacheSize(0).build();
        AnalysisResult both = client.analyze("Urgent: refund and transfer it, no ticket.");
        assertEquals(List.of("t.refund", "t.transfer"), both.matchedRules().stream().sorted().toList(), both::toString);
        // the same client, so the same buffers: the previous text's answers must be gone
        assertFalse(client.analyze("Refund and transfer it next week, no ticket.").isThreat());
        assertFalse(client.analyze("Refund and transfer it.").isThreat());
        assertTrue(client.analyze("Transfer it to the new card, urgent.").isThreat());
    }

    @Test
    void thePrefilterGivesTheSameVerdictAsEveryRegexOnTheWholeText() {
        RulePack pack = RulePackReader.read(PACK, "count.yml").pack();
        RuleSet set = RuleSet.compile(pack.rules(), List.of(pack), new ArrayList<>());
        CompiledRule rule = set.rules().get(0);
        for (String text : List.of("Please process the refund today.", "Refund it to another card today, no ticket needed.",
                "Urgent! The refund is urgent, do it right now.", "urgent new card, no approval needed",
                "no approval needed for the refund to the new account")) {
            assertEquals(rule.findWithoutPrefilter(text) != null, set.find(rule, text) != null, text);
        }
    }
}
