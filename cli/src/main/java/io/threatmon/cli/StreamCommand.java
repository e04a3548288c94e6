package io.threatmon.cli;

import static io.threatmon.jobs.StreamOptions.*;

import io.threatmon.jobs.KafkaAlertSink;
import io.threatmon.jobs.KafkaTopics;
import io.threatmon.jobs.StreamOptions;
import io.threatmon.jobs.StreamRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon stream}: the real-time job on an embedded Flink cluster, Kafka in, alerts and
 * window reports out (exactly-once). Flag names are {@link StreamOptions}' constants, shared with
 * {@code StreamMain} for {@code flink run}.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score LLM traffic from a Kafka topic in real time on an embedded Flink cluster: one JSON alert per "
                + "threat (throttled per user and category) and conversation-level alerts to --alerts-topic, per-window "
                + "threat reports to --reports-topic, unreadable records to --dead-letter-topic; exactly-once. "
                + "Prints processed=N threats=K alerts=A dead_letters=D when it ends (--bounded, or Ctrl-C)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job ran and ended", "1:error"})
final class StreamCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--" + BOOTSTRAP_SERVERS, required = true, paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;
    @Option(names = "--" + INPUT_TOPIC, required = true, paramLabel = "TOPIC", description = "Conversation records (JSON, the audit's schema).")
    String inputTopic;
    @Option(names = "--" + ALERTS_TOPIC, required = true, paramLabel = "TOPIC", description = "One JSON alert per threat.")
    String alertsTopic;
    @Option(names = "--" + REPORTS_TOPIC, required = true, paramLabel = "TOPIC", description = "One JSON report per window.")
    String reportsTopic;
    @Option(names = "--" + DEAD_LETTER_TOPIC, paramLabel = "TOPIC", description = "Unreadable records with the reason (default: <input-topic>-dead-letters).")
    String deadLetterTopic;
    @Option(names = "--" + GROUP_ID, paramLabel = "ID", description = "Consumer group (default: threatmon-stream-<input-topic>).")
    String groupId;
    @Option(names = "--" + STARTING_OFFSETS, paramLabel = "committed|earliest|latest", defaultValue = "committed",
            description = "Where to start without a checkpoint: where the consumer group left off (default; the earliest "
                    + "offset when it has committed none), or the earliest or latest offset.")
    String startingOffsets;
    @Option(names = "--" + BOUNDED, description = "Stop when every partition has been read to the end offsets seen at start.")
    boolean bounded;
    @Option(names = "--" + WINDOW, paramLabel = "DURATION", defaultValue = "1m", description = "Report window, tumbling, event time (default: ${DEFAULT-VALUE}).")
    String window;
    @Option(names = "--" + THRESHOLD, paramLabel = "N", description = "Threat threshold 1-100 (default 70, or THREATMON_THRESHOLD).")
    Integer threshold;
    @Option(names = "--" + PARALLELISM, paramLabel = "N", defaultValue = "1", description = "Parallel workers (default: ${DEFAULT-VALUE}).")
    int parallelism;
    @Option(names = "--" + CHECKPOINT_INTERVAL, paramLabel = "DURATION", defaultValue = "10s",
            description = "Checkpoint interval; alerts become visible (read_committed) at each checkpoint (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;
    @Option(names = "--" + THROTTLE, paramLabel = "DURATION", defaultValue = "5m",
            description = "Repeats of one user and category within this period become one alert with a count (default: ${DEFAULT-VALUE}).")
    String throttle;
    @Option(names = "--" + OUT_OF_ORDERNESS, paramLabel = "DURATION", defaultValue = "30s",
            description = "How far out of order records may arrive and still count in their window (default: ${DEFAULT-VALUE}).")
    String outOfOrderness;
    @Option(names = "--" + ALLOWED_LATENESS, paramLabel = "DURATION", defaultValue = "0s",
            description = "A closed window is reported again with records this late; later ones go into 'late' reports (default: ${DEFAULT-VALUE}).")
    String allowedLateness;
    @Option(names = "--" + IDLENESS, paramLabel = "DURATION", defaultValue = "1m",
            description = "A partition silent this long no longer holds windows back (default: ${DEFAULT-VALUE}).")
    String idleness;
    @Option(names = "--" + CONVERSATION_TURNS, paramLabel = "N", defaultValue = "4",
            description = "Turns joined to find an attack split across messages (default: ${DEFAULT-VALUE}).")
    int conversationTurns;
    @Option(names = "--" + RISING_TURNS, paramLabel = "K", defaultValue = "3",
            description = "Consecutive rising risk scores that make an escalation alert (default: ${DEFAULT-VALUE}).")
    int risingTurns;
    @Option(names = "--" + RISING_LEVEL, paramLabel = "N", defaultValue = "50",
            description = "Risk the last of them must reach (default: ${DEFAULT-VALUE}).")
    int risingLevel;
    @Option(names = "--" + CONVERSATION_TTL, paramLabel = "DURATION", defaultValue = "1h",
            description = "A conversation quiet this long is forgotten (default: ${DEFAULT-VALUE}).")
    String conversationTtl;
    @Option(names = "--" + TRANSACTIONAL_ID_PREFIX, paramLabel = "PREFIX",
            description = "Kafka transactional id prefix, unique per job (default: threatmon-stream-<input-topic>).")
    String transactionalIdPrefix;
    @Option(names = "--" + TRANSACTION_TIMEOUT, paramLabel = "DURATION", defaultValue = "10min",
            description = "transaction.timeout.ms of the sinks, at most the broker's 15 min (default: ${DEFAULT-VALUE}).")
    String transactionTimeout;

    @Mixin
    RuleOptions rules;

    @Option(names = "--" + MODEL, description = "Also score with the bundled statistical model (default: rules only; see docs/detection.md).")
    boolean withModel;

    @Option(names = "--" + NO_MODEL, description = "Rules only (the default; for scripts that pass it to every command).")
    boolean noModel;

    @Option(names = "--" + INCLUDE_TEXT, description = "Put full message texts in alerts (default: redacted excerpts).")
    boolean includeText;

    @Option(names = "--" + ALERT_SINK, paramLabel = "URI",
            description = {"Also send every (throttled) alert to a SIEM, each in its own format (repeatable): the audit's "
                    + "syslog+udp|tcp|tls, hec, webhook+http(s), file schemes, and kafka://HOST:PORT/TOPIC?format=F[&delivery=exactly-once]."})
    List<String> alertSinks = new ArrayList<>();

    @Mixin
    FieldMappingOptions fields = new FieldMappingOptions();

    StreamCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        StreamOptions o = options();
        AtomicReference<JobClient> job = new AtomicReference<>();
        AtomicReference<KafkaTopics.Offsets> before = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            // Ctrl-C on an unbounded run: stop the job, then say what it committed.
            if (done.get() || job.get() == null) {
                return;
            }
            try {
                cancelled.set(true);
                job.get().cancel().get(30, TimeUnit.SECONDS);
                ctx.out.println(StreamRunner.summarySince(o, before.get()).line());
                ctx.out.flush();
            } catch (Exception e) {
                ctx.err.println("threatmon: error: could not stop the job cleanly: " + Main.describe(e));
            }
        }, "threatmon-stream-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        StreamRunner.Summary summary;
        try {
            summary = StreamRunner.run(o, (client, offsets) -> {
                before.set(offsets);
                job.set(client);
                if (!ctx.quiet) {
                    ctx.err.println("threatmon stream: reading " + o.inputTopic() + " on " + o.bootstrapServers()
                            + (o.bounded() ? " until its current end" : " (Ctrl-C stops)") + "; alerts to " + o.alertsTopic()
                            + ", reports to " + o.reportsTopic() + ", dead letters to " + o.deadLetterTopic());
                    o.alertSinks().forEach(s -> ctx.err.println("threatmon stream: alerts also to " + s.describe()));
                }
            });
        } catch (Exception e) {
            if (cancelled.get()) {
                // Ctrl-C: the job ended because the hook cancelled it, which is how an unbounded
                // run is meant to stop; the hook prints the summary
                return Main.OK;
            }
            throw e;
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it prints the summary
            }
        }
        ctx.out.println(summary.line());
        return Main.OK;
    }

    StreamOptions options() {
        if (withModel && noModel) {
            throw new CliException("--model and --no-model cannot be used together");
        }
        StreamOptions.Builder b = StreamOptions.builder()
                .bootstrapServers(bootstrapServers)
                .inputTopic(inputTopic)
                .alertsTopic(alertsTopic)
                .reportsTopic(reportsTopic)
                .deadLetterTopic(deadLetterTopic)
                .groupId(groupId)
                .startingOffsets(StartingOffsets.parse(startingOffsets))
                .bounded(bounded)
                .window(parseDuration(WINDOW, window))
                .threshold(threshold != null ? threshold : envThreshold())
                .parallelism(parallelism)
                .checkpointInterval(parseDuration(CHECKPOINT_INTERVAL, checkpointInterval))
                .throttle(parseDuration(THROTTLE, throttle))
                .outOfOrderness(parseDuration(OUT_OF_ORDERNESS, outOfOrderness))
                .allowedLateness(parseDuration(ALLOWED_LATENESS, allowedLateness))
                .idleness(parseDuration(IDLENESS, idleness))
                .conversationTurns(conversationTurns)
                .risingTurns(risingTurns)
                .risingLevel(risingLevel)
                .conversationTtl(parseDuration(CONVERSATION_TTL, conversationTtl))
                .transactionalIdPrefix(transactionalIdPrefix)
                .transactionTimeout(parseDuration(TRANSACTION_TIMEOUT, transactionTimeout))
                .bundledRules(!rules.noBundled)
                .model(withModel)
                .includeText(includeText)
                .mapping(fields.mapping());
        rules.rules.forEach(b::rulesPath);
        for (String uri : alertSinks) {
            try {
                b.alertSink(KafkaAlertSink.sinks().parseUri(uri));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + ALERT_SINK + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private int envThreshold() {
        String t = ctx.env.getOrDefault("THREATMON_THRESHOLD", ctx.env.get("THREATMON_RISK_THRESHOLD"));
        if (t == null || t.isBlank()) {
            return io.threatmon.jobs.AuditOptions.DEFAULT_THRESHOLD;
        }
        try {
            return Integer.parseInt(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("THREATMON_THRESHOLD must be a whole number, not '" + t + "'");
        }
    }

}
