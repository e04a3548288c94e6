package io.threatmon.connectors.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Syslog over TCP with octet-counting framing (RFC 6587 §3.4.1: {@code LEN SP MSG}, LEN the byte
 * length of the UTF-8 MSG), optionally inside TLS (RFC 5425, {@code syslog+tls://}, the JDK's
 * trust store and host-name verification).
 *
 * <p>Delivery: frames collect in a buffer (at most {@value #BUFFER_BYTES} bytes) that is written
 * when full, on {@code flush} (every checkpoint and at the end of input) and never later. The write
 * blocks while the receiver is slow, which back-pressures the job. When the connection fails the
 * writer reconnects and resends the whole unconfirmed buffer with the {@link RetryPolicy}, so an
 * event may arrive twice but is not lost; once the attempts are spent the job fails. Syslog has no
 * application-level acknowledgement: bytes the kernel accepted just before the peer reset the
 * connection cannot be detected as lost (a limit of the protocol, RFC 6587 §4.3).
 *
 * <pre>{@code
 * stream.sinkTo(new SyslogTcpSink("siem.example", 6514, true, RetryPolicy.defaults()));
 * }</pre>
 */
public final class SyslogTcpSink implements Sink<String> {

    private static final long serialVersionUID = 1L;

    /** Frames buffered before a write (also the most that is resent after a reconnect). */
    static final int BUFFER_BYTES = 64 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final boolean tls;
    private final RetryPolicy retry;

    public SyslogTcpSink(String host, int port, boolean tls, RetryPolicy retry) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = SyslogUdpSink.checkPort(port);
        this.tls = tls;
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
        return new Writer(this, tls ? SSLSocketFactory.getDefault() : SocketFactory.getDefault(), context.metricGroup());
    }

    String target() {
        return (tls ? "syslog+tls://" : "syslog+tcp://") + host + ":" + port;
    }

    /** One connection, opened lazily and reopened after a failure. */
    static final class Writer implements SinkWriter<String> {
        private final SyslogTcpSink config;
        private final SocketFactory sockets;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(BUFFER_BYTES);
        private final Counter sent;
        private final Counter bytes;
        private final Counter reconnects;
        private int pendingEvents;
        private Socket socket;
        private OutputStream out;

        Writer(SyslogTcpSink config, SocketFactory sockets, SinkWriterMetricGroup metrics) {
            this.config = config;
            this.sockets = sockets;
            this.sent = metrics.getNumRecordsSendCounter();
            this.bytes = metrics.getNumBytesSendCounter();
            this.reconnects = metrics.counter("reconnects");
        }

        @Override
        public void write(String event, Context context) throws IOException, InterruptedException {
            byte[] msg = event.getBytes(StandardCharsets.UTF_8);
            pending.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
            pending.write(msg);
            pendingEvents++;
            if (pending.size() >= BUFFER_BYTES) {
                send();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            send();
        }

        private void send() throws IOException, InterruptedException {
            if (pendingEvents == 0) {
                return;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (out != null && peerClosed()) {
                        disconnect();
                    }
                    if (out == null) {
                        connect();
                    }
                    pending.writeTo(out);
                    out.flush();
                    sent.inc(pendingEvents);
                    bytes.inc(pending.size());
                    pending.reset();
                    pendingEvents = 0;
                    return;
                } catch (IOException e) {
                    disconnect();
                    if (attempt >= config.retry.maxAttempts()) {
                        throw new SinkDeliveryException(config.target() + ": cannot deliver " + pendingEvents + " event(s) after "
                                + attempt + " attempts: " + e, false, e);
                    }
                    reconnects.inc();
                    Thread.sleep(config.retry.backoffMillis(attempt));
                }
            }
        }

        /**
         * Whether the receiver has closed its end. A write to such a socket still succeeds once (the
         * kernel takes the bytes, the peer answers with a reset), so without this check the first
         * buffer after a receiver restart would vanish. Costs one millisecond per buffer sent.
         */
        private boolean peerClosed() {
            try {
                socket.setSoTimeout(1);
                return socket.getInputStream().read() < 0; // a syslog receiver sends nothing; a byte is ignored
            } catch (SocketTimeoutException alive) {
                return false;
            } catch (IOException broken) {
                return true;
            }
        }

        private void connect() throws IOException {
            Socket s = sockets.createSocket();
            try {
                s.connect(new InetSocketAddress(config.host, config.port), (int) CONNECT_TIMEOUT.toMillis());
                s.setKeepAlive(true);
                s.setTcpNoDelay(true);
                if (s instanceof SSLSocket ssl) {
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host we dialled
                    ssl.setSSLParameters(p);
                    ssl.startHandshake();
                }
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            out = s.getOutputStream();
        }

        private void disconnect() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // The connection is being thrown away after a failure; its close error says nothing new.
            }
            socket = null;
            out = null;
        }

        @Override
        public void close() {
            disconnect();
        }
    }
}
