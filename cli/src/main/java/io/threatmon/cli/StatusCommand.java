package io.threatmon.cli;

import io.threatmon.engine.CacheStats;
import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.rules.PackInfo;
import io.threatmon.engine.rules.Problem;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code threatmon status}: what a client built from this environment and these flags would run with. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the engine version, threshold, loaded rule packs, cache settings and THREATMON_* variables.")
final class StatusCommand implements Callable<Integer> {

    enum Output { TEXT, JSON }

    private final CliContext ctx;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", description = "text (default) or json.")
    Output output;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).build();
        List<String> detectors = client.detectors().stream().map(d -> d.name()).toList();
        RuleSet rules = client.rules();
        CacheStats cache = client.cacheStats();
        Map<String, String> env = new TreeMap<>();
        ctx.env.forEach((k, v) -> {
            if (k.startsWith("THREATMON_")) {
                env.put(k, v);
            }
        });
        String thresholdSource = threshold.threshold != null ? "--threshold"
                : env.containsKey("THREATMON_THRESHOLD") ? "THREATMON_THRESHOLD"
                : env.containsKey("THREATMON_RISK_THRESHOLD") ? "THREATMON_RISK_THRESHOLD" : "default";
        if (output == Output.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", io.threatmon.engine.Version.ENGINE);
            m.put("java", System.getProperty("java.version"));
            m.put("threshold", client.threshold());
            m.put("threshold_source", thresholdSource);
            m.put("detectors", detectors);
            m.put("packs", rules.packs());
            m.put("rules", rules.size());
            m.put("patterns", rules.patternCount());
            m.put("categories", rules.categories());
            m.put("cache", Map.of("enabled", cache.enabled(), "capacity", cache.capacity()));
            m.put("environment", env);
            List<String> warnings = new ArrayList<>();
            rules.warnings().forEach(p -> warnings.add(p.toString()));
            m.put("warnings", warnings);
            ctx.out.println(RuleYaml.json(m));
            return Main.OK;
        }
        var out = ctx.out;
        out.println("threatmon " + io.threatmon.engine.Version.ENGINE + " (Java " + System.getProperty("java.version") + ")");
        out.println("threshold:  " + client.threshold() + " (" + thresholdSource + ")");
        out.println("detectors:  " + String.join(", ", detectors)
                + (detectors.size() == 1 ? " (statistical model off: --model or THREATMON_MODEL=true)" : ""));
        out.println("rule packs: " + rules.packs().size());
        for (PackInfo p : rules.packs()) {
            out.printf("  %-28s %-10s %4d rules  %s%n", p.name(), p.version(), p.ruleCount(), p.source());
        }
        out.println("rules:      " + rules.size() + " enabled, " + rules.patternCount() + " patterns");
        out.println("categories: " + String.join(", ", rules.categories()));
        out.println("cache:      " + (cache.enabled() ? "on, " + cache.capacity() + " entries" : "off")
                + " (batch: " + BatchCommand.BATCH_CACHE_SIZE + " unless set)");
        if (env.isEmpty()) {
            out.println("environment: no THREATMON_* variables set");
        } else {
            out.println("environment:");
            env.forEach((k, v) -> out.println("  " + k + "=" + v));
        }
        List<Problem> warnings = rules.warnings();
        if (warnings.isEmpty()) {
            out.println("warnings:   none");
        } else {
            out.println("warnings:   " + warnings.size());
            warnings.forEach(p -> out.println("  " + p));
        }
        return Main.OK;
    }
}
