package io.threatmon.cli;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Direction;
import io.threatmon.engine.Match;
import io.threatmon.engine.ThreatClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code threatmon analyze TEXT|-}: analyzes one text. Exit 0 when safe, 2 when a threat, 1 on error.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze one prompt (or response) and print the verdict.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:safe", "1:error", "2:threat"})
final class AnalyzeCommand implements Callable<Integer> {

    enum Output { TEXT, JSON, DETAILED }

    private final CliContext ctx;

    @Parameters(arity = "1..*", paramLabel = "TEXT|-",
            description = "The text to analyze (several words are joined by spaces); '-' reads it from stdin.")
    List<String> words;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|detailed", defaultValue = "text",
            description = "text (default): verdict in a few lines; json: the full result as one JSON line; "
                    + "detailed: text plus every match.")
    Output output;

    @Option(names = "--direction", paramLabel = "prompt|response", defaultValue = "prompt",
            converter = DirectionConverter.class,
            description = "Scan as a prompt (default) or as a model's response.")
    Direction direction;

    @Mixin
    ThresholdOption threshold;

    @Mixin
    RuleOptions ruleOptions;

    @Mixin
    ModelOptions modelOptions;

    AnalyzeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        String text = words.size() == 1 && words.get(0).equals("-")
                ? new String(ctx.in.readAllBytes(), StandardCharsets.UTF_8)
                : String.join(" ", words);
        ThreatClient client = modelOptions.apply(ruleOptions.builder(ctx, threshold.threshold)).build();
        RuleOptions.reportWarnings(ctx, client.rules());
        AnalysisResult r = client.analyze(text, direction);
        switch (output) {
            case JSON -> ctx.out.println(r.toJson());
            case TEXT -> {
                if (!ctx.quiet) {
                    printText(ctx.out, r, client.threshold(), false);
                }
            }
            case DETAILED -> printText(ctx.out, r, client.threshold(), true);
        }
        ctx.out.flush();
        return r.isThreat() ? Main.THREAT : Main.OK;
    }

    /** The human-readable verdict; with {@code detailed}, each match too. */
    static void printText(PrintStream out, AnalysisResult r, int threshold, boolean detailed) {
        out.printf("%s  risk %d/100 (%s)  threshold %d  action %s%n", r.isThreat() ? "THREAT" : "SAFE",
                r.riskScore(), r.riskLevel().id(), threshold, r.action().id());
        if (r.threatType() != null) {
            out.println("type:  " + r.threatType()
                    + (r.threatTypes().size() > 1 ? " (" + String.join(", ", r.threatTypes()) + ")" : ""));
            out.println("rules: " + String.join(", ", r.matchedRules()));
        }
        if (detailed) {
            out.println("direction: " + r.direction().id() + "  time: " + r.analysisTimeMicros() + " µs"
                    + (r.cached() ? " (cached)" : ""));
            if (r.matches().isEmpty()) {
                out.println("matches: none");
            } else {
                out.println("matches:");
                for (Match m : r.matches()) {
                    out.printf("  - %s  [%s, %s, risk %d]  %s%n", m.ruleId(), m.category(), m.severity(), m.risk(),
                            m.ruleName());
                    out.printf("      view: %s  offsets: %d-%d%n", m.view(), m.start(), m.end());
                    out.println("      excerpt: " + m.excerpt());
                    if (!m.tags().isEmpty()) {
                        out.println("      tags: " + String.join(", ", m.tags()));
                    }
                }
            }
        }
    }

    /** Parses {@code prompt|response}. */
    static final class DirectionConverter implements picocli.CommandLine.ITypeConverter<Direction> {
        @Override
        public Direction convert(String value) {
            try {
                return Direction.parse(value);
            } catch (IllegalArgumentException e) {
                // picocli would append the exception's class name to a message that already says it all
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
