package io.threatmon.cli;

import io.threatmon.engine.ThreatClient;
import io.threatmon.engine.rules.Problem;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Rule-loading options shared by the commands that load rules ({@code --rules}, {@code --no-bundled}),
 * and the one place a {@link ThreatClient} is configured for the CLI: {@code THREATMON_*} variables
 * first, then flags on top.
 */
final class RuleOptions {

    @Option(names = "--rules", paramLabel = "FILE|DIR",
            description = "Rule pack file, directory of *.yml/*.yaml packs, or pack:NAME for an optional pack of the rules jar "
                    + "(pack:deployed_assistant), loaded on top of the bundled packs (repeatable).")
    // Strings, not Paths: "pack:NAME" is not a valid Path on Windows, and picocli would reject it
    // before RuleLoader could recognise it.
    List<String> rules = new ArrayList<>();

    @Option(names = "--no-bundled", description = "Do not load the bundled rule packs; only --rules (and THREATMON_RULES_PATH).")
    boolean noBundled;

    /** A client builder: environment, then these flags; never logs or raises (the CLI reports itself). */
    ThreatClient.Builder builder(CliContext ctx, Integer threshold) {
        ThreatClient.Builder b = ThreatClient.builder().fromEnvironment(ctx.env);
        if (noBundled) {
            b.bundledRules(false);
        }
        rules.forEach(b::rulesPath);
        if (threshold != null) {
            b.threshold(threshold);
        }
        return b.logDetections(false).raiseOnThreat(false);
    }

    /** A client for one-off analysis; warnings about the user's own rule files go to stderr. */
    ThreatClient client(CliContext ctx, Integer threshold) {
        ThreatClient client = builder(ctx, threshold).build();
        reportWarnings(ctx, client.rules());
        return client;
    }

    /** The effective rule set (no cache or model needed). */
    RuleSet ruleSet(CliContext ctx) {
        return builder(ctx, null).model(false).cacheSize(0).build().rules();
    }

    /** Prints warnings from the user's own rule files (bundled packs' warnings are shown by {@code status}). */
    static void reportWarnings(CliContext ctx, RuleSet rules) {
        for (Problem p : rules.warnings()) {
            if (!p.source().startsWith("bundled:") || ctx.verbose) {
                if (!ctx.quiet) {
                    ctx.err.println(p);
                }
            }
        }
    }
}
