package io.threatmon.jobs;

import io.threatmon.connectors.ParsedRecord;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Runs the streaming job: checks the topics, builds the Kafka source and the exactly-once Kafka
 * sinks around {@link StreamJob}, submits (embedded MiniCluster, or a cluster under {@code flink
 * run}) and, when the job ends, counts what it committed to the output topics. Submitted detached
 * ({@code flink run -d}, or a jar run through the REST API or web UI) it returns once the cluster
 * has accepted the job.
 *
 * <pre>{@code
 * StreamRunner.Summary s = StreamRunner.run(options, job -> System.err.println("running " + job.getJobID()));
 * System.out.println(s.line()); // processed=3000 threats=117 alerts=64 dead_letters=0
 * }</pre>
 */
public final class StreamRunner {

    private StreamRunner() {}

    /** Counts of one run, read back from the output topics (committed records only). */
    public record Summary(long processed, long threats, long alerts, long deadLetters) {
        /** The final line {@code threatmon stream} prints: {@code processed=N threats=K alerts=A dead_letters=D}. */
        public String line() {
            return "processed=" + processed + " threats=" + threats + " alerts=" + alerts + " dead_letters=" + deadLetters;
        }
    }

    /**
     * Runs until the job ends (with {@code --bounded}, when every input partition has been read to
     * the end offsets seen at start; otherwise until cancelled) and returns what it wrote; or, when
     * the job was submitted detached ({@link #detached}), returns null as soon as it is accepted.
     */
    public static Summary run(StreamOptions o, Consumer<JobClient> onStart) throws Exception {
        return run(o, (job, before) -> onStart.accept(job));
    }

    /** As {@link #run(StreamOptions, Consumer)}; {@code onStart} also gets the output topics' offsets before the run (see {@link #summarySince}). */
    public static Summary run(StreamOptions o, BiConsumer<JobClient, KafkaTopics.Offsets> onStart) throws Exception {
        EngineConfig engine = EngineConfig.of(o.threshold(), o.bundledRules(), o.rulePaths(), o.model());
        engine.client(); // a bad rule file fails here, before anything starts
        KafkaTopics topics = new KafkaTopics(o.bootstrapServers());
        topics.requireExists(o.inputTopic(), StreamOptions.INPUT_TOPIC);
        if (topics.transactionVersion() >= 2) {
            // Seen in StreamJobITCase: after a restore, flink-connector-kafka 5.0.0-2.2's commits of recovered
            // transactions are fenced under Transactions V2 (KIP-890) and treated as done, losing their records.
            System.err.println("threatmon stream: warning: the broker uses transaction.version=2; exactly-once recovery of "
                    + "flink-connector-kafka 5.0.0-2.2 has lost committed output after restarts with it in our tests. "
                    + "Format brokers with --feature transaction.version=1 (see jobs/README.md).");
        }
        topics.createIfMissing(o.alertsTopic(), o.reportsTopic(), o.deadLetterTopic());
        KafkaTopics.Offsets before = topics.endOffsets(o.alertsTopic(), o.reportsTopic(), o.deadLetterTopic());
        // The bounded source stops at the end offsets it sees when it starts, at or after these.
        KafkaTopics.Offsets inputEnd = o.bounded() ? topics.endOffsets(o.inputTopic()) : null;

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, o, engine);
        JobClient job = env.executeAsync("threatmon stream " + o.inputTopic());
        onStart.accept(job, before);
        if (detached(env.getConfiguration())) {
            // Nothing may wait for the job: `flink run -d` means "return once accepted", and under a
            // REST/web-UI submission the job client cannot fetch results at all (the run request
            // failed with "The Job Result cannot be fetched ... in Web Submission" although the job ran).
            return null;
        }
        job.getJobExecutionResult().get();
        if (inputEnd != null) {
            // The source commits offsets only when a checkpoint completes, and none may complete
            // after its last records: without this a rerun would score that tail again.
            topics.commitAtLeast(o.groupId(), inputEnd);
        }
        return topics.summary(before, o.alertsTopic(), o.reportsTopic(), o.deadLetterTopic());
    }

    /**
     * Whether the job is submitted detached: {@code execution.attached} set to false, as {@code flink
     * run -d} and the REST API's jar run do. Unset (an embedded MiniCluster) is attached.
     */
    static boolean detached(ReadableConfig config) {
        return config.getOptional(DeploymentOptions.ATTACHED).map(attached -> !attached).orElse(false);
    }

    /** Counts what the run wrote so far (after {@code before}); used when a running job is stopped. */
    public static Summary summarySince(StreamOptions o, KafkaTopics.Offsets before) {
        return new KafkaTopics(o.bootstrapServers()).summary(before, o.alertsTopic(), o.reportsTopic(), o.deadLetterTopic());
    }

    /** Adds source, pipeline and sinks to {@code env}: checkpointing, exactly-once, parallelism. */
    public static StreamJob.Streams build(StreamExecutionEnvironment env, StreamOptions o, EngineConfig engine) {
        return build(env, o, engine, UnaryOperator.identity());
    }

    /** As {@link #build(StreamExecutionEnvironment, StreamOptions, EngineConfig)}, with {@code between} applied to the parsed records (tests inject failures there). */
    static StreamJob.Streams build(StreamExecutionEnvironment env, StreamOptions o, EngineConfig engine,
            UnaryOperator<DataStream<ParsedRecord>> between) {
        env.setParallelism(o.parallelism());
        env.enableCheckpointing(o.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<ParsedRecord> input = env.fromSource(source(o), StreamJob.watermarks(o.outOfOrderness(), o.idleness()),
                "kafka-" + o.inputTopic()).uid("kafka-source");
        StreamJob.Streams s = StreamJob.buildPipeline(between.apply(input), engine, o);
        s.alertJson().sinkTo(sink(o, o.alertsTopic(), "alerts")).name("alerts-sink").uid("alerts-sink");
        // One writer: the window reports come from one windowAll, and a later report of a window
        // supersedes the earlier one, which holds only if they reach the topic in the order they
        // were fired (spread over several transactional writers they did not).
        s.reports().sinkTo(sink(o, o.reportsTopic(), "reports")).name("reports-sink").uid("reports-sink").setParallelism(1);
        s.deadLetters().sinkTo(sink(o, o.deadLetterTopic(), "dead-letters")).name("dead-letter-sink").uid("dead-letter-sink");
        AlertOutputs.sinkAll(s.alerts(), o.alertSinks());
        return s;
    }

    static KafkaSource<ParsedRecord> source(StreamOptions o) {
        KafkaSourceBuilder<ParsedRecord> b = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.inputTopic())
                .setGroupId(o.groupId())
                .setDeserializer(new KafkaRecordParser(o.mapping()))
                // Only committed records of transactional producers (e.g. an upstream Flink job).
                .setProperty("isolation.level", "read_committed")
                .setStartingOffsets(switch (o.startingOffsets()) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                });
        if (o.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** A transactional sink: records become visible to read_committed consumers when a checkpoint completes. */
    static KafkaSink<String> sink(StreamOptions o, String topic, String name) {
        return KafkaAlertSink.build(o.bootstrapServers(), topic, DeliveryGuarantee.EXACTLY_ONCE,
                o.transactionalIdPrefix() + "-" + name, o.transactionTimeout());
    }
}
