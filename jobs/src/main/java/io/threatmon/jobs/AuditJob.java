package io.threatmon.jobs;

import io.threatmon.connectors.DeadLetter;
import io.threatmon.connectors.ParsedRecord;
import io.threatmon.connectors.siem.Alert;
import io.threatmon.reports.AuditAccumulator;
import io.threatmon.reports.ScoredMessage;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit pipeline, kept thin: parse (in the source) → score → scored records, alerts, dead
 * letters and partial reports. Logic lives in the engine, connectors and reports modules.
 *
 * <pre>{@code
 * AuditJob.Streams s = AuditJob.buildPipeline(env.fromData(records), engineConfig, false, true);
 * AlertOutputs.sinkAll(s.alerts(), List.of(AlertSinks.parse("syslog+tcp://siem:6514?format=cef")));
 * AuditJob.sinkPartialReports(s.partialReports(), "/tmp/out/.partial-reports");
 * }</pre>
 */
public final class AuditJob {

    private AuditJob() {}

    /** The pipeline's outputs. {@code partialReports} holds one serialised accumulator per subtask and input kind. */
    public record Streams(
            DataStream<ScoredMessage> scored,
            DataStream<Alert> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<byte[]> partialReports) {}

    /**
     * Builds the pipeline on any source of parsed records (files in production, {@code fromData}
     * in tests). {@code rebalance} spreads the records over all scoring subtasks, for sources
     * with fewer splits than subtasks (a file read whole is one split). In batch mode that
     * exchange is blocking: every record is parsed, serialised and stored before scoring starts,
     * so it is left out when every subtask has splits of its own and then scores what it reads.
     */
    public static Streams buildPipeline(DataStream<ParsedRecord> input, EngineConfig engine, boolean includeText,
            boolean rebalance) {
        SingleOutputStreamOperator<ScoredMessage> scored = (rebalance ? input.rebalance() : input)
                .process(new ScoreMessages(engine, includeText))
                .name("score").uid("score");
        DataStream<DeadLetter> deadLetters = scored.getSideOutput(ScoreMessages.DEAD_LETTERS);
        DataStream<Alert> alerts = scored.getSideOutput(ScoreMessages.ALERTS);
        DataStream<byte[]> scoredReports = scored.fullWindowPartition()
                .aggregate(new AuditAggregate())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("report-aggregate").uid("report-aggregate");
        DataStream<byte[]> deadLetterReports = deadLetters.fullWindowPartition()
                .aggregate(new DeadLetterAggregate())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("dead-letter-aggregate").uid("dead-letter-aggregate");
        return new Streams(scored, alerts, deadLetters, scoredReports.union(deadLetterReports));
    }

    /**
     * Writes the partial reports as part files of length-prefixed records. A file sink rather than
     * collect(): one subtask's report over a million messages is megabytes, beyond what Flink's
     * collect channel carries in one batch, and files work the same on a cluster's shared storage.
     */
    static void sinkPartialReports(DataStream<byte[]> partials, String dir) {
        FileSink<byte[]> sink = FileSink.forRowFormat(new Path(dir), (byte[] element, java.io.OutputStream out) -> {
                    new java.io.DataOutputStream(out).writeInt(element.length);
                    out.write(element);
                })
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("partial").withPartSuffix(".bin").build())
                .build();
        partials.sinkTo(sink).name("partial-report-sink").uid("partial-report-sink");
    }

    /** Reads back every partial report written by {@link #sinkPartialReports}. */
    static List<AuditAccumulator> readPartialReports(java.nio.file.Path dir) throws java.io.IOException {
        List<AuditAccumulator> out = new ArrayList<>();
        if (!java.nio.file.Files.isDirectory(dir)) {
            return out;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(f)))) {
                    while (true) {
                        int n;
                        try {
                            n = in.readInt();
                        } catch (java.io.EOFException end) {
                            break;
                        }
                        byte[] data = new byte[n];
                        in.readFully(data);
                        out.add(AuditAggregate.deserialize(data));
                    }
                }
            }
        }
        return out;
    }

    /** Writes JSON lines into {@code dir} as part files (finalised when the bounded job ends). */
    static void sinkLines(DataStream<String> lines, String dir, String prefix, String uid) {
        sinkLines(lines, dir, prefix, uid, "jsonl");
    }

    static void sinkLines(DataStream<String> lines, String dir, String prefix, String uid, String extension) {
        FileSink<String> sink = FileSink.forRowFormat(new Path(dir), new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix("." + extension).build())
                .build();
        lines.sinkTo(sink).name(uid).uid(uid);
    }

    static void sinkScored(DataStream<ScoredMessage> scored, String dir) {
        sinkLines(scored.map(ScoredJson::scored).returns(Types.STRING).name("scored-json").uid("scored-json"),
                dir, "scored", "scored-sink");
    }

    /** Scored messages as Parquet part files ({@code --scored parquet}). */
    static void sinkScoredParquet(DataStream<ScoredMessage> scored, String dir) {
        FileSink<ScoredMessage> sink = FileSink.forBulkFormat(new Path(dir), new ScoredParquet())
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("scored").withPartSuffix(".parquet").build())
                .build();
        scored.sinkTo(sink).name("scored-parquet-sink").uid("scored-parquet-sink");
    }

    static void sinkDeadLetters(DataStream<DeadLetter> deadLetters, String dir) {
        sinkLines(deadLetters.map(ScoredJson::deadLetter).returns(Types.STRING).name("dead-letter-json")
                .uid("dead-letter-json"), dir, "dead-letters", "dead-letter-sink");
    }

    /** Counts dead letters into a report accumulator. */
    static final class DeadLetterAggregate implements AggregateFunction<DeadLetter, AuditAccumulator, byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public AuditAccumulator createAccumulator() {
            return new AuditAccumulator();
        }

        @Override
        public AuditAccumulator add(DeadLetter d, AuditAccumulator acc) {
            return acc.addDeadLetter(d.source, d.line, d.reason);
        }

        @Override
        public byte[] getResult(AuditAccumulator acc) {
            return AuditAggregate.serialize(acc);
        }

        @Override
        public AuditAccumulator merge(AuditAccumulator a, AuditAccumulator b) {
            return a.merge(b);
        }
    }
}
