package io.threatmon.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleLabTest {

    private static final RuleSet SERVER = RuleLoader.load(List.of(new RuleLoader.Source("server.yml", """
            rules:
              - id: srv.one
                name: One
                category: test
                severity: high
                patterns: ['\\bone\\b']
            """))).orThrow();

    private final RuleLab lab = new RuleLab(SERVER, 70);

    @Test
    void shouldReportErrorsWithTheirLines() {
        Map<String, Object> r = lab.validate("rules:\n  - id: x\n    name: X\n    category: test\n    severity: extreme\n    patterns: ['a']\n");
        assertEquals(false, r.get("valid"));
        List<?> errors = (List<?>) r.get("errors");
        Map<?, ?> first = (Map<?, ?>) errors.get(0);
        assertEquals(5, first.get("line"), errors.toString());
        assertTrue(first.get("text").toString().startsWith("submitted.yml:5: error:"), first.toString());
        assertNull(lab.test("rules: [", List.of("x")));
    }

    @Test
    void shouldFailValidationWhenTheRulesOwnExamplesFailAndNameOverrides() {
        Map<String, Object> r = lab.validate("""
                rules:
                  - id: srv.one
                    name: Override
                    category: test
                    severity: low
                    patterns: ['\\bonce\\b']
                    examples:
                      match: [one]
                """);
        assertEquals(false, r.get("valid"));
        assertEquals(List.of("srv.one"), r.get("overrides_server_rules"));
        List<?> failures = (List<?>) ((Map<?, ?>) r.get("examples")).get("failures");
        assertEquals(1, failures.size());
    }

    @Test
    void shouldRunThePackAloneOverSamples() {
        Map<String, Object> r = lab.test("""
                rules:
                  - id: t.drop
                    name: Drop table
                    category: test
                    severity: critical
                    patterns: ['\\bdrop table\\b']
                """, List.of("please DROP TABLE users", "one two"));
        List<?> results = (List<?>) r.get("results");
        assertEquals(List.of("t.drop"), ((Map<?, ?>) results.get(0)).get("matched_rules"));
        assertEquals(true, ((Map<?, ?>) results.get(0)).get("is_threat"));
        assertEquals(List.of(), ((Map<?, ?>) results.get(1)).get("matched_rules"), "server rules are not used");
        assertEquals(1, r.get("matched_samples"));
    }
}
