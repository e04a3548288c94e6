package io.threatmon.engine;

import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.util.List;

/** Shared fixtures: a small rule pack whose behaviour the tests know exactly. */
abstract class EngineTestBase {

    static final String FIXTURE_PACK = """
            pack: fixture
            version: "1.0.0"
            rules:
              - id: fx.override
                name: Instruction override
                category: prompt_injection
                severity: high
                patterns: ['\\bignore\\b.{0,30}\\b(previous|prior)\\b.{0,20}\\binstructions\\b']
                unless: ['\\bhow (do|can) (i|we) (detect|prevent)\\b']
                tags: [LLM01:2025, AML.T0051.000]
              - id: fx.reveal_prompt
                name: Reveal system prompt
                category: system_prompt_extraction
                severity: medium
                patterns: ['\\b(reveal|print|show)\\b.{0,20}\\bsystem prompt\\b']
                tags: [LLM07:2025, AML.T0056]
              - id: fx.secret_leak
                name: AWS key in a response
                category: data_exfiltration
                severity: critical
                direction: response
                patterns: ['\\bAKIA[0-9A-Z]{16}\\b']
              - id: fx.zero_width
                name: Invisible characters
                category: obfuscation
                severity: low
                views: [raw]
                patterns: ['[\\x{200B}-\\x{200D}\\x{2060}]']
              - id: fx.catastrophic
                name: A regex that would stall a backtracking engine
                category: test
                risk: 10
                patterns: ['(a+)+$']
                requires: ['!$']
            """;

    static RuleSet fixtureRules() {
        return RuleLoader.load(List.of(new RuleLoader.Source("fixture.yml", FIXTURE_PACK))).orThrow();
    }

    static ThreatClient.Builder fixtureClient() {
        return ThreatClient.builder().bundledRules(false).rulePack("fixture.yml", FIXTURE_PACK).logDetections(false);
    }
}
