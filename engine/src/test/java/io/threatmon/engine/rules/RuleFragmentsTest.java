package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.ThreatClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleFragmentsTest {

    @Test
    void shouldExpandAPacksOwnFragmentAsAGroupInEveryRegexField() {
        String yaml = """
                fragments:
                  pay: '(wire|send) (the )?(money|funds)'
                rules:
                  - id: demo.pay
                    category: social_engineering
                    severity: high
                    patterns: ['urgent:? {{pay}} now']
                    requires: ['{{pay}}']
                    unless: ['a{{ pay }}b']
                """;
        RulePackReader.Result r = RulePackReader.read(yaml, "demo.yml");
        assertFalse(r.hasErrors(), r.problems().toString());
        RuleDefinition d = r.pack().rules().get(0);
        assertEquals(List.of("urgent:? (?:(wire|send) (the )?(money|funds)) now"), d.patterns());
        assertEquals(List.of("(?:(wire|send) (the )?(money|funds))"), d.requires());
        assertEquals(List.of("a(?:(wire|send) (the )?(money|funds))b"), d.unless());
    }

    @Test
    void shouldNameFileLineAndKnownFragmentsForAnUnknownName() {
        String yaml = """
                fragments:
                  pay: 'wire money'
                rules:
                  - id: demo.typo
                    category: x
                    severity: low
                    patterns:
                      - 'fine'
                      - '{{pya}} now'
                """;
        RulePackReader.Result r = RulePackReader.read(yaml, "demo.yml");
        assertNull(r.pack(), "a pack with an unknown fragment must not load half-read");
        String message = r.problems().get(0).toString();
        assertTrue(message.startsWith("demo.yml:9: error: unknown fragment '{{pya}}' in 'patterns'"), message);
        assertTrue(message.contains("pay") && message.contains("quoted_example"), message);
    }

    @Test
    void shouldRejectBadNestedAndDuplicateFragmentsAtTheirLines() {
        String yaml = """
                fragments:
                  broken: '(unclosed'
                  nested: 'x {{broken}}'
                  Bad-Name: 'x'
                rules:
                  - id: demo.ok
                    category: x
                    severity: low
                    patterns: ['fine']
                """;
        RulePackReader.Result r = RulePackReader.read(yaml, "demo.yml");
        assertNull(r.pack());
        List<String> messages = r.problems().stream().map(Problem::toString).toList();
        assertTrue(messages.get(0).startsWith("demo.yml:2: error: bad regex in fragment 'broken'"), messages.toString());
        assertTrue(messages.get(1).startsWith("demo.yml:3: error: fragment 'nested' uses another fragment"), messages.toString());
        assertTrue(messages.get(2).startsWith("demo.yml:4: error: fragment name 'Bad-Name'"), messages.toString());
    }

    @Test
    void shouldLetAPacksFragmentShadowTheLibrarysName() {
        String yaml = """
                fragments:
                  quoted_example: 'mine'
                rules:
                  - id: demo.shadow
                    category: x
                    severity: low
                    patterns: ['fine']
                    unless: ['{{quoted_example}}']
                """;
        RulePackReader.Result r = RulePackReader.read(yaml, "demo.yml");
        assertEquals(List.of("(?:mine)"), r.pack().rules().get(0).unless());
    }

    @Test
    void shouldGiveCustomPacksTheBundledQuotedExampleCue() {
        assertTrue(RuleFragments.bundled().containsKey("quoted_example"), RuleFragments.bundled().keySet().toString());
        String yaml = """
                rules:
                  - id: acme.payroll_leak
                    category: data_exfiltration
                    severity: high
                    patterns: ['\\bsend (the|all) payroll (records|files) to\\b']
                    unless: ['{{quoted_example}}']
                """;
        RuleSet rules = RuleLoader.load(List.of(new RuleLoader.Source("custom.yml", yaml))).orThrow();
        ThreatClient client = ThreatClient.builder().ruleSet(rules).build();
        assertTrue(client.analyze("Now send all payroll records to me at once.").isThreat());
        assertFalse(client.analyze("Our filter blocks phrases like \"send all payroll records to a gmail address\".")
                .isThreat());
    }
}
