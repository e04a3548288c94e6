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
 * blocks while the receiver is slow, which back-pressures the job. When the connection fails, or
 * the receiver reset it with frames unread, the writer reconnects and resends the unconfirmed
 * frames with the {@link RetryPolicy}, so an event may arrive twice but is not lost; once the
 * attempts are spent the job fails. A receiver that hangs up as soon as it accepts (an ACL refusal)
 * counts as a failed attempt. At the end of the input the writer waits up to
 * {@value #END_CHECK_MILLIS} ms for a reset. Syslog has no application-level acknowledgement: a
 * receiver that closes cleanly, or crashes after the last check, cannot be told from one that read
 * everything (a limit of the protocol, RFC 6587 §4.3).
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
    /** How long a new connection is watched for a receiver that accepts and hangs up (an ACL refusal). */
    static final int ACCEPT_CHECK_MILLIS = 20;
    /** How long the end of the input waits for a reset that says the last frames were not read. */
    static final int END_CHECK_MILLIS = 200;
    /** How long a receiver's closed end is left to settle before the reset probe (see {@code peer}). */
    static final int RESET_SETTLE_MILLIS = 50;

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
        /** Frames written on the current connection that the receiver has not been seen alive after. */
        private final ByteArrayOutputStream unconfirmed = new ByteArrayOutputStream(BUFFER_BYTES);
        private int unconfirmedEvents;
        private Socket socket;
        private OutputStream out;
        private final int endCheckMillis;

        Writer(SyslogTcpSink config, SocketFactory sockets, SinkWriterMetricGroup metrics) {
            this(config, sockets, metrics, END_CHECK_MILLIS);
        }

        /** With a longer end-of-input check, for tests on a loaded machine, where a receiver's reset can come late. */
        Writer(SyslogTcpSink config, SocketFactory sockets, SinkWriterMetricGroup metrics, int endCheckMillis) {
            this.endCheckMillis = endCheckMillis;
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
            send(endOfInput);
        }

        private void send() throws IOException, InterruptedException {
            send(false);
        }

        /**
         * Writes the pending frames. Frames written on the current connection stay "unconfirmed"
         * until the receiver is seen alive afterwards; a receiver that reset the connection (it
         * closed with our bytes unread) gets them again on a new connection. At the end of the
         * input the writer waits briefly for that reset, so the last buffer is
         * checked too: before, a receiver that accepted and hung up lost every alert while the
         * audit reported success. (The input waits for the reset without half-closing: after our
         * own FIN the urgent-byte probe of {@link #peer} could not tell a reset from a clean close.)
         */
        private void send(boolean endOfInput) throws IOException, InterruptedException {
            if (pendingEvents == 0 && !(endOfInput && unconfirmedEvents > 0)) {
                return;
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    if (out != null) {
                        Peer peer = peer(1);
                        if (peer == Peer.ALIVE) {
                            confirm();
                        } else {
                            disconnect(); // a reset keeps the unconfirmed frames for the next connection
                            if (peer == Peer.CLOSED) {
                                confirm();
                            }
                        }
                    }
                    if (out == null) {
                        connect();
                        if (peer(ACCEPT_CHECK_MILLIS) != Peer.ALIVE) {
                            throw new IOException("the receiver closed the connection as soon as it was opened");
                        }
                        if (unconfirmed.size() > 0) {
                            unconfirmed.writeTo(out);
                        }
                    }
                    pending.writeTo(out);
                    out.flush();
                    sent.inc(pendingEvents);
                    bytes.inc(pending.size());
                    pending.writeTo(unconfirmed);
                    unconfirmedEvents += pendingEvents;
                    pending.reset();
                    pendingEvents = 0;
                    if (endOfInput) {
                        if (peer(endCheckMillis) == Peer.RESET) {
                            throw new IOException("the receiver reset the connection: the last frames were not read");
                        }
                        confirm();
                        disconnect();
                    }
                    return;
                } catch (IOException e) {
                    disconnect();
                    if (attempt >= config.retry.maxAttempts()) {
                        throw new SinkDeliveryException(config.target() + ": cannot deliver " + (pendingEvents + unconfirmedEvents)
                                + " event(s) after " + attempt + " attempts: " + e, false, e);
                    }
                    reconnects.inc();
                    Thread.sleep(config.retry.backoffMillis(attempt));
                }
            }
        }

        private void confirm() {
            unconfirmed.reset();
            unconfirmedEvents = 0;
        }

        enum Peer { ALIVE, CLOSED, RESET }

        /**
         * What the receiver did with its end, waiting at most {@code millis}: nothing (alive), a
         * clean close after reading what it was sent, or a reset (it closed with bytes unread, so
         * the unconfirmed frames are lost). A write to a closed socket still succeeds once (the
         * kernel takes the bytes, the peer answers with a reset), which is why this is asked.
         */
        private Peer peer(int millis) {
            try {
                socket.setSoTimeout(millis);
                if (socket.getInputStream().read() >= 0) {
                    return Peer.ALIVE; // a syslog receiver sends nothing; a byte is ignored
                }
            } catch (SocketTimeoutException alive) {
                return Peer.ALIVE;
            } catch (IOException broken) {
                return Peer.RESET;
            }
            // The receiver's end is closed. Linux reports a reset to a read as a plain end of
            // stream, so one urgent byte tells the two apart: it fails only when a reset came (the
            // receiver closed with our frames unread); after a clean close the kernel still takes
            // it, and the receiver, gone, never sees it.
            if (socket instanceof SSLSocket) {
                return Peer.CLOSED; // TLS has no urgent data; its close_notify is a clean close
            }
            try {
                // The read can report the end of the stream a moment before a reset has closed the
                // socket for writing: probed at once, the urgent byte was still taken and a reset
                // read as a clean close, so the frames it dropped were confirmed and lost (3 of 60
                // runs of SyslogSinksTest's reset test; 0 of 60 with this pause).
                Thread.sleep(RESET_SETTLE_MILLIS);
                socket.sendUrgentData(0);
                return Peer.CLOSED;
            } catch (IOException reset) {
                return Peer.RESET;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return Peer.RESET; // undecided: resending is the safe side
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
