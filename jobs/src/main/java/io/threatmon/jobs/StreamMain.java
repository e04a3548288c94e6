package io.threatmon.jobs;

import static io.threatmon.jobs.StreamOptions.*;

import io.threatmon.connectors.FieldMapping;
import java.util.Map;
import org.apache.flink.util.MultipleParameterTool;

/**
 * Entry point for {@code flink run} on a real cluster, with the same flags as {@code threatmon stream}
 * (the names are {@link StreamOptions}' constants):
 *
 * <pre>{@code
 * flink run -c io.threatmon.jobs.StreamMain jobs/target/threatmon-jobs.jar \
 *     --bootstrap-servers kafka:9092 --input-topic llm-traffic \
 *     --alerts-topic threatmon-alerts --reports-topic threatmon-reports --window 1m --parallelism 4
 * }</pre>
 *
 * When the job ends (with {@code --bounded}) it prints {@code processed=N threats=K alerts=A dead_letters=D}.
 * Submitted detached ({@code flink run -d}, or through the REST API or web UI) it returns as soon as
 * the cluster has accepted the job.
 */
public final class StreamMain {

    private StreamMain() {}

    public static void main(String[] args) throws Exception {
        StreamOptions o = parse(args);
        StreamRunner.Summary s = StreamRunner.run(o, job -> System.err.println("threatmon stream: job " + job.getJobID()
                + " reading " + o.inputTopic() + " on " + o.bootstrapServers()));
        if (s == null) {
            // flink run -d, or the REST API / web UI: the job runs on; stop it with `flink stop` or `flink cancel`.
            System.out.println("submitted detached; the job keeps running until stopped or cancelled");
            return;
        }
        System.out.println(s.line());
    }

    /** Parses {@code --flag value} arguments into options; unknown flags are errors. */
    public static StreamOptions parse(String[] args) {
        MultipleParameterTool p = MultipleParameterTool.fromArgs(args);
        for (String key : p.toMap().keySet()) {
            if (!FLAGS.contains(key)) {
                throw new IllegalArgumentException("unknown flag --" + key + " (known: " + String.join(", ", FLAGS) + ")");
            }
        }
        StreamOptions.Builder b = StreamOptions.builder()
                .bootstrapServers(p.get(BOOTSTRAP_SERVERS))
                .inputTopic(p.get(INPUT_TOPIC))
                .alertsTopic(p.get(ALERTS_TOPIC))
                .reportsTopic(p.get(REPORTS_TOPIC))
                .deadLetterTopic(p.get(DEAD_LETTER_TOPIC))
                .groupId(p.get(GROUP_ID))
                .transactionalIdPrefix(p.get(TRANSACTIONAL_ID_PREFIX))
                .bounded(p.has(BOUNDED))
                .bundledRules(!p.has(NO_BUNDLED))
                .model(p.has(MODEL) && !p.has(NO_MODEL))
                .includeText(p.has(INCLUDE_TEXT));
        if (p.has(STARTING_OFFSETS)) {
            b.startingOffsets(StartingOffsets.parse(p.get(STARTING_OFFSETS)));
        }
        if (p.has(WINDOW)) {
            b.window(parseDuration(WINDOW, p.get(WINDOW)));
        }
        if (p.has(CHECKPOINT_INTERVAL)) {
            b.checkpointInterval(parseDuration(CHECKPOINT_INTERVAL, p.get(CHECKPOINT_INTERVAL)));
        }
        if (p.has(THROTTLE)) {
            b.throttle(parseDuration(THROTTLE, p.get(THROTTLE)));
        }
        if (p.has(OUT_OF_ORDERNESS)) {
            b.outOfOrderness(parseDuration(OUT_OF_ORDERNESS, p.get(OUT_OF_ORDERNESS)));
        }
        if (p.has(ALLOWED_LATENESS)) {
            b.allowedLateness(parseDuration(ALLOWED_LATENESS, p.get(ALLOWED_LATENESS)));
        }
        if (p.has(IDLENESS)) {
            b.idleness(parseDuration(IDLENESS, p.get(IDLENESS)));
        }
        if (p.has(CONVERSATION_TTL)) {
            b.conversationTtl(parseDuration(CONVERSATION_TTL, p.get(CONVERSATION_TTL)));
        }
        if (p.has(TRANSACTION_TIMEOUT)) {
            b.transactionTimeout(parseDuration(TRANSACTION_TIMEOUT, p.get(TRANSACTION_TIMEOUT)));
        }
        if (p.has(THRESHOLD)) {
            b.threshold(integer(p, THRESHOLD));
        }
        if (p.has(PARALLELISM)) {
            b.parallelism(integer(p, PARALLELISM));
        }
        if (p.has(CONVERSATION_TURNS)) {
            b.conversationTurns(integer(p, CONVERSATION_TURNS));
        }
        if (p.has(RISING_TURNS)) {
            b.risingTurns(integer(p, RISING_TURNS));
        }
        if (p.has(RISING_LEVEL)) {
            b.risingLevel(integer(p, RISING_LEVEL));
        }
        if (p.has(RULES)) {
            p.getMultiParameterRequired(RULES).forEach(r -> b.rulesPath(r));
        }
        if (p.has(ALERT_SINK)) {
            for (String uri : p.getMultiParameterRequired(ALERT_SINK)) {
                b.alertSink(KafkaAlertSink.sinks().parseUri(uri));
            }
        }
        FieldMapping m = FieldMapping.defaults();
        for (Map.Entry<String, String> f : FIELD_FLAGS.entrySet()) {
            if (p.has(f.getKey())) {
                m = m.with(f.getValue(), p.get(f.getKey()));
            }
        }
        return b.mapping(m).build();
    }

    private static int integer(MultipleParameterTool p, String flag) {
        String v = p.get(flag);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("--" + flag + " must be a whole number, not '" + v + "'");
        }
    }
}
