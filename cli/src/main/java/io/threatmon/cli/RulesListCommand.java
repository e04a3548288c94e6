package io.threatmon.cli;

import io.threatmon.engine.rules.PackInfo;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code threatmon rules list}: one line per rule (id, category, severity, risk, name) and the packs. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the rules in effect and their packs.")
final class RulesListCommand implements Callable<Integer> {

    enum Output { TEXT, JSON }

    private final CliContext ctx;

    @Option(names = "--category", paramLabel = "C", description = "Only rules of this category.")
    String category;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", description = "text (default) or json.")
    Output output;

    @Mixin
    RuleOptions ruleOptions;

    RulesListCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        RuleSet set = ruleOptions.ruleSet(ctx);
        List<RuleDefinition> rules = set.definitions().stream()
                .filter(d -> category == null || d.category().equalsIgnoreCase(category.trim()))
                .toList();
        if (output == Output.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("packs", set.packs());
            List<Map<String, Object>> rs = new ArrayList<>();
            for (RuleDefinition d : rules) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", d.id());
                r.put("category", d.category());
                r.put("severity", d.severity().id());
                r.put("risk", d.risk());
                r.put("name", d.name());
                r.put("enabled", d.enabled());
                r.put("source", d.location());
                rs.add(r);
            }
            m.put("rules", rs);
            ctx.out.println(RuleYaml.json(m));
            return Main.OK;
        }
        int idWidth = Math.max(2, rules.stream().mapToInt(d -> d.id().length()).max().orElse(2));
        int catWidth = Math.max(8, rules.stream().mapToInt(d -> d.category().length()).max().orElse(8));
        String fmt = "%-" + idWidth + "s  %-" + catWidth + "s  %-8s  %4s  %s%n";
        ctx.out.printf(Locale.ROOT, fmt, "ID", "CATEGORY", "SEVERITY", "RISK", "NAME");
        for (RuleDefinition d : rules) {
            ctx.out.printf(Locale.ROOT, fmt, d.id(), d.category(), d.severity().id(), d.risk(),
                    d.name() + (d.enabled() ? "" : " (disabled)"));
        }
        ctx.out.println();
        ctx.out.printf("%d rule%s shown; %d enabled in %d pack%s:%n", rules.size(), rules.size() == 1 ? "" : "s",
                set.size(), set.packs().size(), set.packs().size() == 1 ? "" : "s");
        for (PackInfo p : set.packs()) {
            ctx.out.printf("  %s %s (%d rules) from %s%n", p.name(), p.version(), p.ruleCount(), p.source());
        }
        return Main.OK;
    }
}
