package io.threatmon.cli;

import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertSinkSpec;
import io.threatmon.connectors.sink.AlertSinks;
import io.threatmon.jobs.AuditOptions;
import io.threatmon.jobs.AuditRunner;
import io.threatmon.reports.AuditReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code threatmon audit}: the Flink audit job over conversation logs, on the embedded MiniCluster. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Audit conversation logs (JSON lines, CSV, Parquet; files, directories, globs, .gz) on an embedded Flink "
                + "cluster: score every message, write a threat report (HTML, JSON, Markdown, CSV), alerts, scored "
                + "records and dead letters into --out."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the audit ran (threats or not)", "1:error", "2:threats found, with --fail-on-threat"})
final class AuditCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "Log file, directory or glob (repeatable).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "jsonl|csv|parquet",
            description = "Input format (default: from each file's extension).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--parallelism", paramLabel = "N", description = "Parallel workers (default: all cores).")
    Integer parallelism;

    @Option(names = "--threshold", paramLabel = "N", description = "Threat threshold 1-100 (default 70, or THREATMON_THRESHOLD).")
    Integer threshold;

    @Mixin
    RuleOptions rules;

    @Option(names = "--model", description = "Also score with the bundled statistical model (default: rules only; see docs/detection.md).")
    boolean withModel;

    @Option(names = "--scored", paramLabel = "jsonl|parquet|none", defaultValue = "jsonl",
            description = "Write every scored message to DIR/scored.jsonl (default), as Parquet part files in DIR/scored/, or not at all.")
    String scored;

    @Option(names = "--alerts-format", paramLabel = "jsonl|cef|leef|ecs|ocsf|splunk|syslog|text", defaultValue = "jsonl",
            description = "Alert format: JSON formats go to DIR/alerts.jsonl, CEF/LEEF/syslog/text lines to DIR/alerts.log.")
    String alertsFormat;

    @Option(names = "--alert-sink", paramLabel = "URI",
            description = {"Also send every alert to a SIEM, each in its own format (repeatable): syslog+udp|syslog+tcp|syslog+tls://HOST:PORT?format=cef|leef|text|json, "
                    + "hec://HOST:8088?token=T[&tls=true][&index=I], webhook+https://HOST/PATH?format=json|ecs|ocsf[&token=T], "
                    + "file:///DIR?format=F[&roll-size=128MB][&roll-interval=15m]. Grammar: connectors/README.md."})
    List<String> alertSinks = new ArrayList<>();

    @Option(names = "--include-text", description = "Put full message texts (up to 65,536 characters each) in reports and alerts (default: redacted excerpts).")
    boolean includeText;

    @Option(names = "--fail-on-threat", description = "Exit with 2 when any threat is found.")
    boolean failOnThreat;

    @Mixin
    FieldMappingOptions fields = new FieldMappingOptions();

    AuditCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        AuditOptions.Builder b = AuditOptions.builder()
                .inputs(inputs)
                .out(out)
                .threshold(threshold != null ? threshold : envThreshold())
                .bundledRules(!rules.noBundled)
                .scored(AuditOptions.ScoredOutput.parse(scored))
                .alertFormat(AlertFormatter.parse(alertsFormat))
                .includeText(includeText)
                .model(withModel)
                .mapping(fields.mapping());
        rules.rules.forEach(b::rulesPath);
        for (String uri : alertSinks) {
            try {
                b.alertSink(AlertSinks.parse(uri));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--alert-sink: " + e.getMessage(), e);
            }
        }
        if (format != null) {
            b.format(LogFormat.parse(format));
        }
        if (parallelism != null) {
            b.parallelism(parallelism);
        }
        AuditOptions options = b.build();
        ProgressBar[] bar = {null};
        AuditRunner.Result result;
        try {
            result = AuditRunner.run(options, (records, bytes, total) -> {
                if (ctx.quiet) {
                    return;
                }
                if (bar[0] == null) {
                    bar[0] = new ProgressBarBuilder().setTaskName("threatmon audit").setInitialMax(Math.max(1, total))
                            .setUnit(" MB", 1L << 20).showSpeed().setStyle(ProgressBarStyle.ASCII)
                            .setConsumer(new ConsoleProgressBarConsumer(ctx.err, 100)).build();
                }
                bar[0].stepTo(Math.min(bytes, total));
                bar[0].setExtraMessage(String.format(" %,d records", records));
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        printSummary(result, options);
        return failOnThreat && result.report().threatMessages() > 0 ? Main.THREAT : Main.OK;
    }

    private int envThreshold() {
        String t = ctx.env.getOrDefault("THREATMON_THRESHOLD", ctx.env.get("THREATMON_RISK_THRESHOLD"));
        if (t == null || t.isBlank()) {
            return AuditOptions.DEFAULT_THRESHOLD;
        }
        try {
            return Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("THREATMON_THRESHOLD must be a whole number, not '" + t + "'");
        }
    }


    private void printSummary(AuditRunner.Result r, AuditOptions o) {
        AuditReport report = r.report();
        double seconds = Math.max(0.001, r.duration().toMillis() / 1000.0);
        long all = report.totalMessages() + report.deadLetters();
        ctx.out.printf("audited %,d messages (%,d bytes) in %.1f s: %,.0f messages/s, %.2f MB/s%n",
                report.totalMessages(), r.totalBytes(), seconds, all / seconds, r.totalBytes() / seconds / 1e6);
        ctx.out.printf("threats: %,d (%.1f%%)   dead letters: %,d%n", report.threatMessages(),
                100.0 * report.threatRate(), report.deadLetters());
        if (!report.byCategory().isEmpty()) {
            StringBuilder top = new StringBuilder("top categories:");
            int n = 0;
            for (Map.Entry<String, Long> e : report.byCategory().entrySet()) {
                if (n++ == 5) {
                    break;
                }
                top.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
            ctx.out.println(top);
        }
        ctx.out.println("report: " + o.out().resolve("report.html") + " (also report.json, report.md, *.csv)");
        for (AlertSinkSpec s : o.alertSinks()) {
            ctx.out.println("alerts sent to: " + s.describe());
        }
        for (Path f : r.files()) {
            if (f.getFileName().toString().endsWith(".jsonl") || f.getFileName().toString().endsWith(".log")) {
                ctx.out.println("wrote: " + f);
            }
        }
    }
}
