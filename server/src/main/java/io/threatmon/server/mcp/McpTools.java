package io.threatmon.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Match;
import io.threatmon.engine.ThreatClient;
import io.threatmon.server.AnalysisLog;
import io.threatmon.server.Limits;
import io.threatmon.server.RateLimiter;
import io.threatmon.server.RuleLab;
import io.threatmon.server.ServerJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The MCP tools: upstream's {@code analyze_prompt}, {@code batch_analyze} and
 * {@code get_threat_statistics} (same names and arguments), and {@code validate_rule} /
 * {@code test_rule} for writing rules. Results are JSON text plus the same object as structured
 * content; every limit breach or bad argument is an error result ({@code isError: true}) with a
 * message saying what to change.
 */
final class McpTools {

    /** Largest rule pack accepted by validate_rule and test_rule, in characters. */
    static final int MAX_RULE_YAML_CHARS = 200_000;

    private final ThreatClient client;
    private final Limits limits;
    private final AnalysisLog log;
    private final RateLimiter limiter;
    private final RuleLab lab;

    McpTools(ThreatClient client, Limits limits, AnalysisLog log, RateLimiter limiter) {
        this.client = client;
        this.limits = limits;
        this.log = log;
        this.limiter = limiter;
        this.lab = new RuleLab(client.rules(), client.threshold());
    }

    List<SyncToolSpecification> specifications() {
        return List.of(
                spec(Tool.builder("analyze_prompt", Schemas.analyzePrompt()).title("Analyze a prompt")
                        .description("Scores one text for attacks on AI applications (prompt injection, jailbreak, "
                                + "system-prompt extraction, data exfiltration, obfuscation …): is_threat, risk_score "
                                + "0-100, threat_types, action_recommended (block/review/warn/allow). At most "
                                + limits.maxPromptChars() + " characters.")
                        .build(), this::analyzePrompt),
                spec(Tool.builder("batch_analyze", Schemas.batchAnalyze()).title("Analyze several prompts")
                        .description("Scores up to " + limits.maxBatchSize() + " texts; per-text verdicts in input "
                                + "order and, by default, a summary (threat count, average risk, categories).")
                        .build(), this::batchAnalyze),
                spec(Tool.builder("get_threat_statistics", Schemas.statistics()).title("Threat statistics")
                        .description("Counts over what this server has analysed in the last 1h/24h/7d/30d, grouped "
                                + "by threat_type, risk_level, detection_method or time.")
                        .build(), this::statistics),
                spec(Tool.builder("validate_rule", Schemas.validateRule()).title("Validate a rule pack")
                        .description("Checks a ThreatMon rule pack (YAML, the rules/README format; upstream's flat "
                                + "'patterns:' form too): errors and warnings with line numbers, the rules it "
                                + "defines, its own match/no_match examples, and which server rules it would override.")
                        .build(), this::validateRule),
                spec(Tool.builder("test_rule", Schemas.testRule()).title("Test a rule pack on samples")
                        .description("Runs a rule pack alone over sample texts: which rules fire on each, the risk "
                                + "and the verdict at this server's threshold. Use it to tune patterns before "
                                + "deploying them.")
                        .build(), this::testRule));
    }

    private SyncToolSpecification spec(Tool tool, java.util.function.Function<Map<String, Object>, Object> body) {
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(() -> body.apply(request.arguments())))
                .build();
    }

    /** Rate limit, then the tool; any argument or limit problem becomes an error result. */
    CallToolResult call(Supplier<Object> body) {
        if (!limiter.tryAcquire()) {
            return error("rate limit reached: at most " + limiter.perMinute() + " tool calls per minute (--rate-limit); "
                    + "try again in " + limiter.secondsUntilFree() + " s");
        }
        try {
            Object result = body.get();
            return CallToolResult.builder().addTextContent(ServerJson.pretty(result)).structuredContent(result)
                    .isError(false).build();
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            return error("internal error: " + e);
        }
    }

    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent("error: " + message)
                .structuredContent(Map.of("error", message)).isError(true).build();
    }

    Object analyzePrompt(Map<String, Object> args) {
        String prompt = checkedText(Args.string(args, "prompt"), "prompt");
        boolean details = Args.bool(args, "include_details", false);
        boolean confidence = Args.bool(args, "include_confidence", true);
        String mode = Args.string(args, "mode", "auto").toLowerCase(Locale.ROOT);
        if (!Schemas.MODES.contains(mode)) {
            throw new IllegalArgumentException("mode must be one of " + Schemas.MODES + ", not '" + mode + "'");
        }
        Direction direction = Direction.parse(Args.string(args, "direction", "prompt"));
        AnalysisResult r = client.analyze(prompt, direction, Map.of());
        log.record(r);
        return verdict(r, details, confidence);
    }

    Object batchAnalyze(Map<String, Object> args) {
        List<String> prompts = Args.strings(args, "prompts");
        boolean summary = Args.bool(args, "include_summary", true);
        boolean details = Args.bool(args, "include_details", false);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts is empty: give at least one text");
        }
        if (prompts.size() > limits.maxBatchSize()) {
            throw new IllegalArgumentException("batch of " + prompts.size() + " prompts is over the limit of "
                    + limits.maxBatchSize() + " (--max-batch); split it");
        }
        for (int i = 0; i < prompts.size(); i++) {
            checkedText(prompts.get(i), "prompts[" + i + "]");
        }
        long start = System.nanoTime();
        List<AnalysisResult> results = client.analyzeBatch(prompts, Direction.PROMPT,
                Math.min(prompts.size(), Runtime.getRuntime().availableProcessors())).results();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            AnalysisResult r = results.get(i);
            log.record(r);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i);
            row.putAll(verdict(r, details, false));
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_prompts", prompts.size());
        out.put("results", rows);
        if (summary) {
            out.put("summary", summary(results));
        }
        out.put("processing_time_ms", (System.nanoTime() - start) / 10_000 / 100.0);
        return out;
    }

    Object statistics(Map<String, Object> args) {
        return log.statistics(Args.string(args, "time_range", "24h"), Args.string(args, "group_by", "threat_type"));
    }

    Object validateRule(Map<String, Object> args) {
        return lab.validate(checkedYaml(Args.string(args, "yaml")));
    }

    Object testRule(Map<String, Object> args) {
        String yaml = checkedYaml(Args.string(args, "yaml"));
        List<String> samples = Args.strings(args, "samples");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples is empty: give at least one text to test the rules on");
        }
        if (samples.size() > limits.maxBatchSize()) {
            throw new IllegalArgumentException(samples.size() + " samples is over the limit of "
                    + limits.maxBatchSize() + " (--max-batch)");
        }
        for (int i = 0; i < samples.size(); i++) {
            checkedText(samples.get(i), "samples[" + i + "]");
        }
        Map<String, Object> out = lab.test(yaml, samples);
        if (out == null) {
            throw new IllegalArgumentException("the rule pack does not load:\n" + String.join("\n", RuleLab.errorLines(yaml)));
        }
        return out;
    }

    private String checkedText(String text, String name) {
        if (text.length() > limits.maxPromptChars()) {
            throw new IllegalArgumentException(name + " is " + String.format(Locale.ROOT, "%,d", text.length())
                    + " characters; the limit is " + String.format(Locale.ROOT, "%,d", limits.maxPromptChars())
                    + " (--max-prompt-chars). Analyse it in parts, or raise the limit.");
        }
        return text;
    }

    private static String checkedYaml(String yaml) {
        if (yaml.length() > MAX_RULE_YAML_CHARS) {
            throw new IllegalArgumentException("yaml is " + yaml.length() + " characters; the limit is "
                    + MAX_RULE_YAML_CHARS);
        }
        if (yaml.isBlank()) {
            throw new IllegalArgumentException("yaml is empty: give a rule pack (see rules://index for examples)");
        }
        return yaml;
    }

    /** Upstream's verdict fields, plus risk_level, detection_method and, on request, the evidence. */
    private Map<String, Object> verdict(AnalysisResult r, boolean details, boolean confidence) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_threat", r.isThreat());
        m.put("risk_score", r.riskScore());
        m.put("risk_level", r.riskLevel().id());
        m.put("threat_type", r.threatType());
        m.put("threat_types", r.threatTypes());
        m.put("action_recommended", r.action().id());
        m.put("detection_method", r.detectionMethod().id());
        m.put("analysis_time_ms", r.analysisTimeMicros() / 10 / 100.0);
        if (confidence) {
            m.put("confidence_score", confidence(r.riskScore(), client.threshold()));
        }
        if (details) {
            m.put("threshold", client.threshold());
            m.put("matched_rules", r.matchedRules());
            List<Map<String, Object>> evidence = new ArrayList<>();
            for (Match x : r.matches()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("rule_id", x.ruleId());
                e.put("rule_name", x.ruleName());
                e.put("category", x.category());
                e.put("severity", x.severity());
                e.put("risk", x.risk());
                e.put("view", x.view());
                e.put("start", x.start());
                e.put("end", x.end());
                e.put("excerpt", x.excerpt());
                e.put("tags", x.tags());
                evidence.add(e);
            }
            m.put("matches", evidence);
        }
        return m;
    }

    /**
     * How far the risk is from the threshold, 0.5 (on it) to 1.0 (at 0 or 100): a margin, not a
     * probability. Upstream reports a confidence; the engine has no calibrated one, so this says
     * only how clear-cut the score is.
     */
    static double confidence(int risk, int threshold) {
        double span = risk >= threshold ? 100 - threshold : threshold;
        double margin = span == 0 ? 1 : Math.abs(risk - threshold) / span;
        return Math.round((0.5 + 0.5 * Math.min(1, margin)) * 100) / 100.0;
    }

    private static Map<String, Object> summary(List<AnalysisResult> results) {
        int threats = 0;
        int blocked = 0;
        long riskSum = 0;
        int maxIndex = -1;
        int max = -1;
        Map<String, Integer> types = new TreeMap<>();
        for (int i = 0; i < results.size(); i++) {
            AnalysisResult r = results.get(i);
            riskSum += r.riskScore();
            if (r.isThreat()) {
                threats++;
                types.merge(r.threatType(), 1, Integer::sum);
            }
            if (r.action() == io.threatmon.engine.Action.BLOCK) {
                blocked++;
            }
            if (r.riskScore() > max) {
                max = r.riskScore();
                maxIndex = i;
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("threat_count", threats);
        s.put("safe_count", results.size() - threats);
        s.put("blocked_count", blocked);
        s.put("average_risk_score", Math.round(100.0 * riskSum / results.size()) / 100.0);
        s.put("threat_type_distribution", types);
        s.put("highest_risk_prompt", Map.of("index", maxIndex, "risk_score", max));
        return s;
    }
}
