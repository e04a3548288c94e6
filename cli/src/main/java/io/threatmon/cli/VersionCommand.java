package io.threatmon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code threatmon version}: the engine version and the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of threatmon and Java.")
final class VersionCommand implements Callable<Integer> {

    private final CliContext ctx;

    VersionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        for (String line : Main.versionLines()) {
            ctx.out.println(line);
        }
        return Main.OK;
    }
}
