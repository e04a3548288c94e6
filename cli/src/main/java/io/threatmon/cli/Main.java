package io.threatmon.cli;

import io.threatmon.engine.Version;
import io.threatmon.engine.rules.Problem;
import io.threatmon.engine.rules.RuleLoadException;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code threatmon} command: wires the subcommands, the global flags and the error handling
 * (one {@code threatmon: error: …} line on stderr and exit 1; a stack trace only with {@code --verbose}).
 *
 * <p>Exit codes: 0 success / safe, 2 threat found, 1 error.
 */
@Command(name = "threatmon",
        description = "Detects attacks on AI applications (prompt injection, jailbreaks …) in LLM traffic.",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success; the text is safe", "1:error (bad input, bad flag, bad rule file)",
                "2:a threat was found (analyze; batch with --fail-on-threat)"},
        footer = {"", "Environment: THREATMON_THRESHOLD, THREATMON_RULES_PATH, THREATMON_BUNDLED_RULES, "
                + "THREATMON_CACHE_SIZE, THREATMON_ENABLE_CACHE, THREATMON_MODE, THREATMON_API_URL, THREATMON_API_KEY … (flags win); "
                + "THREATMON_API_KEYS for serve and mcp --transport http."})
public final class Main implements Callable<Integer> {

    /** Exit code: success, or the text is safe. */
    static final int OK = 0;
    /** Exit code: an error. */
    static final int ERROR = 1;
    /** Exit code: a threat was found. */
    static final int THREAT = 2;

    private final CliContext ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces on errors.")
    void setVerbose(boolean on) {
        if (on) {
            ctx.verbose = true;
        }
    }

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only results and errors: no progress bar, notes or warnings.")
    void setQuiet(boolean on) {
        if (on) {
            ctx.quiet = true;
        }
    }

    @Override
    public Integer call() {
        ctx.err.println("threatmon: error: missing command");
        spec.commandLine().usage(ctx.err);
        return ERROR;
    }

    public static void main(String[] args) {
        int code = run(System.in, System.out, System.err, System.getenv(), args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line with the process environment and stdin; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.in, out, err, System.getenv(), args);
    }

    /** Runs the command line in-process with the given streams and environment; returns the exit code. */
    static int run(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        CliContext ctx = new CliContext(in, out, err, env);
        return commandLine(ctx).execute(args);
    }

    static CommandLine commandLine(CliContext ctx) {
        CommandLine rules = new CommandLine(new RulesCommand(ctx))
                .addSubcommand(new CommandLine(new RulesListCommand(ctx)))
                .addSubcommand(new CommandLine(new RulesShowCommand(ctx)))
                .addSubcommand(new CommandLine(new RulesValidateCommand(ctx)))
                .addSubcommand(new CommandLine(new RulesTestCommand(ctx)))
                .addSubcommand(new CommandLine(new RulesExportCommand(ctx)));
        CommandLine cmd = new CommandLine(new Main(ctx))
                .addSubcommand(new CommandLine(new AnalyzeCommand(ctx)))
                .addSubcommand(new CommandLine(new BatchCommand(ctx)))
                .addSubcommand(new CommandLine(new BenchCommand(ctx)))
                .addSubcommand(new CommandLine(new AuditCommand(ctx)))
                .addSubcommand(new CommandLine(new StreamCommand(ctx)))
                .addSubcommand(new CommandLine(new GenerateCommand(ctx)))
                .addSubcommand(new CommandLine(new PublishCommand(ctx)))
                .addSubcommand(rules)
                .addSubcommand(new CommandLine(new StatusCommand(ctx)))
                .addSubcommand(new CommandLine(new SelfTestCommand(ctx)))
                .addSubcommand(new CommandLine(new VersionCommand(ctx)))
                .addSubcommand(new CommandLine(new TrainCommand(ctx)))
                .addSubcommand(new CommandLine(new EvalCommand(ctx)))
                .addSubcommand(new CommandLine(new ServeCommand(ctx)))
                .addSubcommand(new CommandLine(new McpCommand(ctx)));
        cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(ctx.out, StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(ctx.err, StandardCharsets.UTF_8), true));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler((ex, args) -> usageError(ctx, ex));
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ParameterException pe) {
                return usageError(ctx, pe);
            }
            return reportError(ctx, ex);
        });
        return cmd;
    }

    private static int usageError(CliContext ctx, ParameterException ex) {
        ctx.err.println("threatmon: error: " + ex.getMessage());
        String name = ex.getCommandLine() == null ? "threatmon" : ex.getCommandLine().getCommandSpec().qualifiedName();
        ctx.err.println("Try '" + name + " --help' for more information.");
        if (ctx.verbose) {
            ex.printStackTrace(ctx.err);
        }
        return ERROR;
    }

    /** Prints one error line (or one line per rule-file problem) and returns exit code 1. */
    static int reportError(CliContext ctx, Exception ex) {
        if (ex instanceof RuleLoadException rle) {
            for (Problem p : rle.problems()) {
                if (p.isError()) {
                    ctx.err.println(p);
                }
            }
            long n = rle.problems().stream().filter(Problem::isError).count();
            ctx.err.println("threatmon: error: rules not loaded (" + n + (n == 1 ? " error)" : " errors)"));
        } else {
            ctx.err.println("threatmon: error: " + describe(ex));
        }
        if (ctx.verbose) {
            ex.printStackTrace(ctx.err);
        }
        return ERROR;
    }

    /** A one-line description of an exception, without class names for the expected kinds. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
            return "file or directory not found: " + t.getMessage();
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + t.getMessage();
        }
        String msg = ex.getMessage();
        if (ex instanceof CliException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                || ex instanceof UncheckedIOException) {
            return msg == null ? ex.getClass().getSimpleName() : firstLine(msg);
        }
        if (t instanceof java.io.IOException) {
            return "I/O error: " + (t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage()));
        }
        return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg))
                + (" (run with --verbose for details)");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Version text for {@code --version} and {@code threatmon version}. */
    static String[] versionLines() {
        return new String[] {"threatmon " + Version.ENGINE,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor", "?") + ")"};
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return versionLines();
        }
    }
}
