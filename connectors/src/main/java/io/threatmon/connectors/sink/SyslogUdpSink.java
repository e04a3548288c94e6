package io.threatmon.connectors.sink;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog over UDP (RFC 5426): one datagram per event, UTF-8, no framing.
 *
 * <p>UDP has no acknowledgement, so this sink cannot know whether the SIEM got an event and cannot
 * slow down for a slow receiver: prefer {@link SyslogTcpSink} when losing an alert matters. Send
 * errors the socket does report are retried with the {@link RetryPolicy}, then fail the job.
 *
 * <p>Size: an event longer than {@code maxDatagramBytes} (default {@value #DEFAULT_MAX_DATAGRAM},
 * the IPv4 maximum) is truncated at a character boundary, as RFC 5426 §3.2 allows, counted in the
 * {@code truncatedEvents} metric and logged; it is never dropped. Receivers must accept 480 bytes
 * and should accept 2048 (RFC 5426); use {@code max-datagram=2048} for a strict one.
 *
 * <pre>{@code
 * stream.sinkTo(new SyslogUdpSink("siem.example", 514, SyslogUdpSink.DEFAULT_MAX_DATAGRAM, RetryPolicy.defaults()));
 * }</pre>
 */
public final class SyslogUdpSink implements Sink<String> {

    private static final long serialVersionUID = 1L;

    /** The largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP header bytes). */
    public static final int DEFAULT_MAX_DATAGRAM = 65_507;

    private final String host;
    private final int port;
    private final int maxDatagramBytes;
    private final RetryPolicy retry;

    public SyslogUdpSink(String host, int port, int maxDatagramBytes, RetryPolicy retry) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = checkPort(port);
        if (maxDatagramBytes < 480 || maxDatagramBytes > DEFAULT_MAX_DATAGRAM) {
            throw new IllegalArgumentException("max datagram size must be 480-" + DEFAULT_MAX_DATAGRAM + " bytes, not " + maxDatagramBytes);
        }
        this.maxDatagramBytes = maxDatagramBytes;
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        return new Writer(this, context.metricGroup());
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        return port;
    }

    /** Sends each event as it comes; there is nothing to flush. */
    static final class Writer implements SinkWriter<String> {
        private static final Logger LOG = LoggerFactory.getLogger(SyslogUdpSink.class);

        private final SyslogUdpSink config;
        private final DatagramSocket socket;
        private final Counter sent;
        private final Counter bytes;
        private final Counter truncated;
        private InetAddress address;

        Writer(SyslogUdpSink config, SinkWriterMetricGroup metrics) throws IOException {
            this.config = config;
            this.socket = new DatagramSocket();
            this.sent = metrics.getNumRecordsSendCounter();
            this.bytes = metrics.getNumBytesSendCounter();
            this.truncated = metrics.counter("truncatedEvents");
        }

        @Override
        public void write(String event, Context context) throws IOException, InterruptedException {
            byte[] data = event.getBytes(StandardCharsets.UTF_8);
            if (data.length > config.maxDatagramBytes) {
                data = truncate(event, config.maxDatagramBytes);
                truncated.inc();
                if (truncated.getCount() == 1 || truncated.getCount() % 1000 == 0) {
                    LOG.warn("syslog+udp://{}:{}: {} event(s) longer than {} bytes truncated so far; use syslog+tcp for long events",
                            config.host, config.port, truncated.getCount(), config.maxDatagramBytes);
                }
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (address == null) {
                        address = InetAddress.getByName(config.host);
                    }
                    socket.send(new DatagramPacket(data, data.length, address, config.port));
                    sent.inc();
                    bytes.inc(data.length);
                    return;
                } catch (IOException e) {
                    address = null; // resolve again: the SIEM may have moved
                    if (attempt >= config.retry.maxAttempts()) {
                        throw new SinkDeliveryException("syslog+udp://" + config.host + ":" + config.port + ": cannot send after "
                                + attempt + " attempts: " + e, false, e);
                    }
                    Thread.sleep(config.retry.backoffMillis(attempt));
                }
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // Every event was handed to the kernel in write().
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** The UTF-8 bytes of {@code s} cut to at most {@code max} bytes without splitting a character. */
    static byte[] truncate(String s, int max) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(max);
        enc.encode(CharBuffer.wrap(s), out, true); // stops (OVERFLOW) before a character that does not fit whole
        byte[] cut = new byte[out.position()];
        out.flip().get(cut);
        return cut;
    }
}
