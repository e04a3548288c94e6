package io.threatmon.server;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Analyzer;
import io.threatmon.engine.Direction;
import io.threatmon.engine.RuleExamples;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.Problem;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helps write rules: checks a submitted rule pack ({@code validate_rule}) and runs it over sample
 * texts ({@code test_rule}), the way {@code threatmon rules validate} and {@code rules test} do for
 * files. The pack is compiled on its own, never added to the server's rules.
 *
 * <pre>{@code
 * RuleLab lab = new RuleLab(client.rules(), 70);
 * Map<String, Object> report = lab.validate(yaml);
 * Map<String, Object> run = lab.test(yaml, List.of("ignore previous instructions", "hello"));
 * }</pre>
 */
public final class RuleLab {

    /** The name problems are reported under ({@code submitted.yml:12: error: …}). */
    public static final String SOURCE = "submitted.yml";

    private final RuleSet serverRules;
    private final int threshold;

    public RuleLab(RuleSet serverRules, int threshold) {
        this.serverRules = serverRules;
        this.threshold = threshold;
    }

    /**
     * Whether the pack loads, every error and warning with its line, its rules, the results of
     * their own examples, and which server rules it would override.
     */
    public Map<String, Object> validate(String yaml) {
        RuleLoader.Result loaded = RuleLoader.load(List.of(new RuleLoader.Source(SOURCE, yaml)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", !loaded.hasErrors());
        out.put("errors", problems(loaded.errors()));
        List<Map<String, Object>> warnings = problems(loaded.warnings());
        if (loaded.hasErrors()) {
            out.put("warnings", warnings);
            return out;
        }
        RuleSet set = loaded.ruleSet();
        for (CompiledRule r : set.rulesWithoutAtoms()) {
            warnings.add(problem(r.definition().line(), "warning", "rule '" + r.id()
                    + "' has a pattern without a literal word the prefilter can gate on, so it runs on every text"));
        }
        out.put("warnings", warnings);
        List<Map<String, Object>> rules = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        for (RuleDefinition d : set.definitions()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", d.id());
            s.put("name", d.name());
            s.put("category", d.category());
            s.put("severity", d.severity().id());
            s.put("risk", d.risk());
            s.put("patterns", d.patterns().size());
            s.put("enabled", d.enabled());
            rules.add(s);
            if (serverRules.rule(d.id()).isPresent()) {
                overrides.add(d.id());
            }
        }
        out.put("rules", rules);
        out.put("overrides_server_rules", overrides);
        List<RuleExamples.Failure> failures = RuleExamples.check(set);
        Map<String, Object> examples = new LinkedHashMap<>();
        int checked = set.rules().stream().mapToInt(r -> r.definition().matchExamples().size()
                + r.definition().noMatchExamples().size()).sum();
        examples.put("checked", checked);
        examples.put("failures", failures.stream().map(f -> Map.of("rule", f.rule().id(), "example", f.example(),
                "expected", f.expectedMatch() ? "match" : "no_match")).toList());
        out.put("examples", examples);
        if (!failures.isEmpty()) {
            out.put("valid", false);
        }
        return out;
    }

    /**
     * Runs the pack alone over {@code samples}: for each, the rules that fired, the risk and the
     * verdict at the server's threshold. Null when the pack does not load (see {@link #validate}).
     */
    public Map<String, Object> test(String yaml, List<String> samples) {
        RuleLoader.Result loaded = RuleLoader.load(List.of(new RuleLoader.Source(SOURCE, yaml)));
        if (loaded.hasErrors()) {
            return null;
        }
        Analyzer analyzer = Analyzer.of(loaded.ruleSet(), threshold);
        List<Map<String, Object>> results = new ArrayList<>();
        int matched = 0;
        for (int i = 0; i < samples.size(); i++) {
            AnalysisResult r = analyzer.analyze(samples.get(i), Direction.PROMPT);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i);
            row.put("matched", !r.matchedRules().isEmpty());
            row.put("matched_rules", r.matchedRules());
            row.put("risk_score", r.riskScore());
            row.put("is_threat", r.isThreat());
            row.put("evidence", r.matches().stream().map(m -> m.ruleId() + " [" + m.view() + "] " + m.excerpt()).toList());
            results.add(row);
            if (!r.matchedRules().isEmpty()) {
                matched++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rules", loaded.ruleSet().size());
        out.put("threshold", threshold);
        out.put("samples", samples.size());
        out.put("matched_samples", matched);
        out.put("results", results);
        return out;
    }

    /** The pack's errors as {@code file:line: error: message} lines, for error results. */
    public static List<String> errorLines(String yaml) {
        return RuleLoader.load(List.of(new RuleLoader.Source(SOURCE, yaml))).errors().stream()
                .map(Problem::toString).toList();
    }

    private static List<Map<String, Object>> problems(List<Problem> ps) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Problem p : ps) {
            out.add(problem(p.line(), p.isError() ? "error" : "warning", p.message()));
        }
        return out;
    }

    private static Map<String, Object> problem(int line, String level, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("level", level);
        m.put("message", message);
        m.put("text", (line > 0 ? SOURCE + ":" + line : SOURCE) + ": " + level + ": " + message);
        return m;
    }
}
