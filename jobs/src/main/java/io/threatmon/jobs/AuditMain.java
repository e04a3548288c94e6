package io.threatmon.jobs;

import io.threatmon.connectors.FieldMapping;
import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertSinkSpec;
import io.threatmon.connectors.sink.AlertSinks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.apache.flink.util.MultipleParameterTool;

/**
 * Entry point for {@code flink run} on a real cluster; the same flags as {@code threatmon audit}:
 *
 * <pre>{@code
 * flink run -c io.threatmon.jobs.AuditMain jobs/target/threatmon-jobs.jar \
 *     --input /data/logs/2026-03-04/ --out /data/audits/2026-03-04 --parallelism 8 \
 *     --alert-sink 'syslog+tcp://siem.example:6514?format=cef'
 * }</pre>
 *
 * Inputs and the output directory must be reachable by the client and every task manager (a
 * shared or distributed file system). Progress is printed as lines on stderr.
 */
public final class AuditMain {

    static final Set<String> FLAGS = Set.of("input", "format", "out", "parallelism", "threshold", "rules", "no-bundled",
            "model", "no-model", "scored", "alerts-format", "alert-sink", "include-text", "text-field", "timestamp-field", "conversation-field",
            "message-field", "role-field", "user-field", "app-field", "model-field");

    private AuditMain() {}

    public static void main(String[] args) throws Exception {
        AuditOptions options = parse(args);
        long[] lastPercent = {-1};
        AuditRunner.Result r = AuditRunner.run(options, (records, bytes, total) -> {
            long percent = total == 0 ? 100 : bytes * 100 / total;
            if (percent / 10 != lastPercent[0] / 10) {
                lastPercent[0] = percent;
                System.err.printf("threatmon audit: %d%% (%,d records)%n", percent, records);
            }
        });
        System.out.printf("audited %,d messages: %,d threats, %,d dead letters; report in %s%n",
                r.report().totalMessages(), r.report().threatMessages(), r.report().deadLetters(), options.out());
    }

    private static AlertSinkSpec parseSink(String uri) {
        try {
            return AlertSinks.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--alert-sink: " + e.getMessage(), e);
        }
    }

    /** Parses {@code --flag value} arguments into options; unknown flags are errors. */
    static AuditOptions parse(String[] args) {
        MultipleParameterTool p = MultipleParameterTool.fromArgs(args);
        for (String key : p.toMap().keySet()) {
            if (!FLAGS.contains(key)) {
                throw new IllegalArgumentException("unknown flag --" + key + " (known: " + String.join(", ", FLAGS) + ")");
            }
        }
        AuditOptions.Builder b = AuditOptions.builder();
        if (p.has("input")) {
            b.inputs(p.getMultiParameterRequired("input").stream().toList());
        }
        if (p.has("out")) {
            b.out(Path.of(p.getRequired("out")));
        }
        if (p.has("format")) {
            b.format(LogFormat.parse(p.get("format")));
        }
        if (p.has("parallelism")) {
            b.parallelism(p.getInt("parallelism"));
        }
        if (p.has("threshold")) {
            b.threshold(p.getInt("threshold"));
        }
        if (p.has("rules")) {
            p.getMultiParameterRequired("rules").forEach(r -> b.rulesPath(r));
        }
        b.bundledRules(!p.has("no-bundled"));
        b.model(p.has("model") && !p.has("no-model"));
        if (p.has("scored")) {
            b.scored(AuditOptions.ScoredOutput.parse(p.get("scored")));
        }
        if (p.has("alerts-format")) {
            b.alertFormat(AlertFormatter.parse(p.get("alerts-format")));
        }
        if (p.has("alert-sink")) {
            p.getMultiParameterRequired("alert-sink").forEach(uri -> b.alertSink(parseSink(uri)));
        }
        b.includeText(p.has("include-text"));
        FieldMapping m = FieldMapping.defaults();
        for (String part : Arrays.asList("text", "timestamp", "role", "user", "app", "model")) {
            if (p.has(part + "-field")) {
                m = m.with(part, p.get(part + "-field"));
            }
        }
        if (p.has("conversation-field")) {
            m = m.with("conversation_id", p.get("conversation-field"));
        }
        if (p.has("message-field")) {
            m = m.with("message_id", p.get("message-field"));
        }
        return b.mapping(m).build();
    }
}
