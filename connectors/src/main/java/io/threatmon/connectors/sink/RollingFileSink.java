package io.threatmon.connectors.sink;

import java.time.Duration;
import java.time.ZoneOffset;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.DefaultRollingPolicy;

/**
 * Events as lines in rolling part files: Flink's {@link FileSink} in row format, one event per line
 * (UTF-8, {@code \n}), a new part file once the current one reaches {@code rollSize} bytes or is
 * {@code rollInterval} old (or idle that long). Part files are named
 * {@code <prefix>-<uuid>-<subtask>-<n><suffix>}; they are hidden ({@code .}-prefixed, in progress)
 * until a checkpoint or the end of input commits them, so in a streaming job enable checkpointing,
 * and a reader that lists the directory only sees whole, committed files: exactly-once output.
 *
 * <pre>{@code
 * stream.sinkTo(RollingFileSink.create("/var/log/threatmon", "alerts", ".log", 128L << 20, Duration.ofMinutes(15), Bucketing.NONE));
 * }</pre>
 */
public final class RollingFileSink {

    /** Whether part files go into time sub-directories. */
    public enum Bucketing {
        /** All part files directly in the directory. */
        NONE,
        /** {@code yyyy-MM-dd--HH/} sub-directories (UTC, processing time). */
        HOUR,
        /** {@code yyyy-MM-dd/} sub-directories (UTC, processing time). */
        DAY
    }

    private RollingFileSink() {}

    /** A row-format file sink writing under {@code dir}; {@code dir} is a Flink path (local, {@code s3://}, {@code hdfs://} …). */
    public static FileSink<String> create(String dir, String prefix, String suffix, long rollSize, Duration rollInterval,
            Bucketing bucketing) {
        if (rollSize < 1 || rollInterval == null || rollInterval.isNegative() || rollInterval.isZero()) {
            throw new IllegalArgumentException("roll size and interval must be positive, not " + rollSize + " and " + rollInterval);
        }
        DefaultRollingPolicy<String, String> policy = DefaultRollingPolicy.builder()
                .withMaxPartSize(MemorySize.parse(rollSize + "b"))
                .withRolloverInterval(rollInterval)
                .withInactivityInterval(rollInterval)
                .build();
        FileSink.DefaultRowFormatBuilder<String> b = FileSink.forRowFormat(new Path(dir), new SimpleStringEncoder<String>("UTF-8"))
                .withRollingPolicy(policy)
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(suffix).build());
        switch (bucketing) {
            case HOUR -> b = b.withBucketAssigner(new DateTimeBucketAssigner<>("yyyy-MM-dd--HH", ZoneOffset.UTC));
            case DAY -> b = b.withBucketAssigner(new DateTimeBucketAssigner<>("yyyy-MM-dd", ZoneOffset.UTC));
            default -> b = b.withBucketAssigner(new BasePathBucketAssigner<>());
        }
        return b.build();
    }
}
