package io.threatmon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code threatmon rules}: the parent of list, show, validate, test and export. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List, show, validate, test and export rules.")
final class RulesCommand implements Callable<Integer> {

    private final CliContext ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RulesCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.err.println("threatmon: error: missing subcommand (list, show, validate, test or export)");
        spec.commandLine().usage(ctx.err);
        return Main.ERROR;
    }
}
