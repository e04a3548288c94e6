package io.threatmon.jobs;

import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.rules.RuleLoader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator needs to build its engine: the threshold, whether to load the bundled packs,
 * and the text of extra rule files. Rule files are read once on the client, so task managers of
 * a cluster need no access to them, and a bad file fails the job before it starts.
 *
 * <pre>{@code
 * EngineConfig config = EngineConfig.of(70, true, List.of("custom.yml", "pack:deployed_assistant"));
 * ThreatClient client = config.client(); // in open()
 * }</pre>
 */
public final class EngineConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int threshold;
    private final boolean bundledRules;
    private final List<String[]> ruleTexts;
    private final boolean model;

    private EngineConfig(int threshold, boolean bundledRules, List<String[]> ruleTexts, boolean model) {
        this.threshold = threshold;
        this.bundledRules = bundledRules;
        this.ruleTexts = ruleTexts;
        this.model = model;
    }

    /**
     * Reads the rule files now, so a cluster's task managers need no access to them. A rules path
     * is a file, a directory or {@code pack:NAME} ({@code RuleLoader.fromSpec}). Call
     * {@link #client()} once on the client side to check the rules before submitting a job.
     *
     * @throws io.threatmon.engine.rules.RuleLoadException naming file:line when a rule file is bad
     */
    public static EngineConfig of(int threshold, boolean bundledRules, List<String> rulePaths) {
        return of(threshold, bundledRules, rulePaths, false);
    }

    /** As {@link #of(int, boolean, List)}, with the statistical model on or off. */
    public static EngineConfig of(int threshold, boolean bundledRules, List<String> rulePaths, boolean model) {
        List<String[]> texts = new ArrayList<>();
        for (String p : rulePaths) {
            for (RuleLoader.Source s : RuleLoader.fromSpec(p)) {
                texts.add(new String[] {s.name(), s.content()});
            }
        }
        return new EngineConfig(threshold, bundledRules, List.copyOf(texts), model);
    }

    public int threshold() {
        return threshold;
    }

    /** A client for operators: no cache (logs rarely repeat whole messages), no logging, never raising. */
    public ThreatClient client() {
        ThreatClient.Builder b = ThreatClient.builder()
                .threshold(threshold)
                .bundledRules(bundledRules)
                .cacheSize(0)
                .logDetections(false)
                .raiseOnThreat(false)
                .model(model);
        for (String[] t : ruleTexts) {
            b.rulePack(t[0], t[1]);
        }
        return b.build();
    }
}
