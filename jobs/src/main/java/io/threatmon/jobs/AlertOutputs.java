package io.threatmon.jobs;

import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertSinkSpec;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Sends the alert stream to {@code --alert-sink}s: each sink gets the alerts formatted its own way
 * (CEF for a syslog sink, HEC JSON for Splunk …), through its own format and sink operators.
 * Shared by the audit and the streaming job.
 *
 * <pre>{@code
 * DataStream<Alert> alerts = scored.getSideOutput(ScoreMessages.ALERTS);
 * AlertOutputs.sinkAll(alerts, List.of(AlertSinks.parse("syslog+tcp://siem:6514?format=cef")));
 * }</pre>
 */
public final class AlertOutputs {

    private AlertOutputs() {}

    /**
     * One format + sink pair per spec, named after its position and scheme ({@code alert-sink-1-syslog+tcp});
     * the uids stay stable as long as the order of the {@code --alert-sink} flags does.
     */
    public static void sinkAll(DataStream<Alert> alerts, List<AlertSinkSpec> sinks) {
        for (int i = 0; i < sinks.size(); i++) {
            AlertSinkSpec spec = sinks.get(i);
            String uid = "alert-sink-" + (i + 1) + "-" + spec.scheme();
            format(alerts, spec.format(), uid + "-format").sinkTo(spec.createSink()).name(uid).uid(uid);
        }
    }

    /** Each alert as one event line in {@code format}. */
    public static DataStream<String> format(DataStream<Alert> alerts, AlertFormatter format, String uid) {
        return alerts.map(new Format(format)).returns(Types.STRING).name(uid).uid(uid);
    }

    /** Formats on the task: formatters are serializable and thread-safe. */
    private static final class Format implements MapFunction<Alert, String> {
        private static final long serialVersionUID = 1L;
        private final AlertFormatter format;

        Format(AlertFormatter format) {
            this.format = format;
        }

        @Override
        public String map(Alert alert) {
            return format.format(alert);
        }
    }
}
