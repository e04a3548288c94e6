package io.threatmon.cli;

import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threatmon rules show ID}: every field of one rule, as rule-file YAML (or JSON). */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show every field of one rule.")
final class RulesShowCommand implements Callable<Integer> {

    enum Output { YAML, TEXT, JSON }

    private final CliContext ctx;

    @Parameters(paramLabel = "ID", description = "The rule id.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (default: YAML in the rule-file format) or json.")
    Output output;

    @Mixin
    RuleOptions ruleOptions;

    RulesShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        RuleSet set = ruleOptions.ruleSet(ctx);
        RuleDefinition d = set.rule(id.trim()).orElseThrow(() -> new CliException("no rule with id '" + id
                + "' (see 'threatmon rules list')"));
        Map<String, Object> m = new LinkedHashMap<>(RuleYaml.toMap(d));
        m.put("source", d.location());
        if (output == Output.JSON) {
            ctx.out.println(RuleYaml.json(m));
        } else {
            ctx.out.print(RuleYaml.yaml(m));
        }
        return Main.OK;
    }
}
