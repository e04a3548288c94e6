package io.threatmon.cli;

import io.threatmon.engine.RuleExamples;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code threatmon rules test [PATH…]}: runs every rule's {@code examples} (match / no_match) and
 * prints each failure as {@code file:line: rule … should match "…"}. Without PATH, the bundled packs.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the rules' examples: each 'match' text must fire its rule, each 'no_match' text must not.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:all examples pass", "1:failures or load errors"})
final class RulesTestCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Rule files or directories to test on their own (default: the bundled packs).")
    List<String> paths = new ArrayList<>();

    RulesTestCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<RuleLoader.Source> sources = new ArrayList<>();
        if (paths.isEmpty()) {
            sources.addAll(RuleLoader.bundled());
        } else {
            paths.forEach(p -> sources.addAll(RuleLoader.fromSpec(p)));
        }
        RuleSet set = RuleLoader.load(sources).orThrow();
        List<RuleExamples.Failure> failures = RuleExamples.check(set);
        failures.forEach(f -> ctx.out.println(f));
        int examples = 0;
        int withoutExamples = 0;
        for (CompiledRule r : set.rules()) {
            int n = r.definition().matchExamples().size() + r.definition().noMatchExamples().size();
            examples += n;
            if (n == 0) {
                withoutExamples++;
            }
        }
        int passed = examples - failures.size();
        ctx.out.printf("%s: %d passed, %d failed (%d examples of %d rules in %d packs)%n",
                failures.isEmpty() ? "PASS" : "FAIL", passed, failures.size(), examples, set.size(), set.packs().size());
        if (withoutExamples > 0) {
            ctx.info("note: " + withoutExamples + " rule" + (withoutExamples == 1 ? " has" : "s have") + " no examples");
        }
        return failures.isEmpty() ? Main.OK : Main.ERROR;
    }
}
