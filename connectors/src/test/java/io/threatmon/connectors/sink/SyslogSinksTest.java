package io.threatmon.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Syslog sinks against real listeners on loopback. */
class SyslogSinksTest {

    static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20));
    static final String TRICKY = "<34>1 2026-03-04T12:34:56.789Z h threatmon - PI - CEF:0|x|y|1|r|n|9|msg=a\\=b|c Привет 🚀";

    static SinkWriterMetricGroup metrics() {
        return UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    }

    @Test
    void shouldSendOneDatagramPerEventOverUdp() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            server.setReceiveBufferSize(1 << 20);
            SyslogUdpSink sink = new SyslogUdpSink("127.0.0.1", server.getLocalPort(), SyslogUdpSink.DEFAULT_MAX_DATAGRAM, FAST);
            List<String> events = new ArrayList<>();
            try (SyslogUdpSink.Writer w = new SyslogUdpSink.Writer(sink, metrics())) {
                for (int i = 0; i < 50; i++) {
                    events.add(TRICKY + " #" + i);
                    w.write(events.get(i), null);
                }
                w.flush(true);
            }
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[65_535];
            for (int i = 0; i < events.size(); i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                server.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
            assertEquals(events, got);
        }
    }

    @Test
    void shouldTruncateOversizedDatagramsAtACharacterBoundary() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            SyslogUdpSink sink = new SyslogUdpSink("127.0.0.1", server.getLocalPort(), 480, FAST);
            SinkWriterMetricGroup m = metrics();
            String big = "x" + "Привет🚀".repeat(100); // 2-byte and 4-byte characters across the cut
            try (SyslogUdpSink.Writer w = new SyslogUdpSink.Writer(sink, m)) {
                w.write(big, null);
            }
            DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
            server.receive(p);
            String got = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertTrue(p.getLength() <= 480 && p.getLength() > 470, "length " + p.getLength());
            assertTrue(big.startsWith(got), "a clean prefix, no broken character: " + got);
            assertArrayEquals(got.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    @Test
    void shouldFrameEveryEventWithItsByteLengthOverTcp() throws Exception {
        try (FrameServer server = new FrameServer(Integer.MAX_VALUE)) {
            SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", server.port(), false, FAST);
            List<String> events = new ArrayList<>();
            try (SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, SocketFactory.getDefault(), metrics())) {
                for (int i = 0; i < 2_000; i++) { // several 64 KiB buffers
                    events.add(TRICKY + " #" + i + (i % 7 == 0 ? " with\nnewline" : ""));
                    w.write(events.get(i), null);
                }
                w.flush(true);
            }
            assertEquals(events, server.awaitFrames(events.size()));
        }
    }

    @Test
    void shouldReconnectAndResendWhenTheReceiverClosesTheConnection() throws Exception {
        try (FrameServer server = new FrameServer(10)) { // hangs up after 10 frames on each connection
            SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", server.port(), false, FAST);
            List<String> events = new ArrayList<>();
            try (SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, SocketFactory.getDefault(), metrics())) {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 10; i++) {
                        events.add("round " + round + " event " + i);
                        w.write(events.get(events.size() - 1), null);
                    }
                    w.flush(false);
                    assertTrue(server.hungUp.tryAcquire(10, TimeUnit.SECONDS), "the receiver closed connection " + round);
                }
            }
            assertEquals(events, server.awaitFrames(events.size()));
            assertEquals(3, server.connections.get());
        }
    }

    /** A receiver that accepts and hangs up (an ACL refusal) used to lose every event while the job succeeded. */
    @Test
    void shouldFailWhenTheReceiverHangsUpOnEveryConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        // closed at once, nothing read
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", server.getLocalPort(), false, FAST);
            SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, SocketFactory.getDefault(), metrics());
            for (int i = 0; i < 4; i++) {
                w.write("alert " + i, null);
            }
            SinkDeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(SinkDeliveryException.class, () -> w.flush(true)));
            assertTrue(e.getMessage().contains("cannot deliver 4 event(s)"), e.getMessage());
            w.close();
        }
    }

    /** A receiver that closes with frames unread (in its socket buffer) resets the connection: they are sent again. */
    @Test
    void shouldResendFramesAReceiverResetTheConnectionOn() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<String> frames = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        int n = connections.incrementAndGet();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        if (n == 1) {
                            // Close with frames unread (a reset), and only once they are here: a close
                            // before they arrive is a clean FIN, and whether the writer then sees the
                            // reset its late frames cause is a race (the CI run of session 30 lost it).
                            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                            while (in.available() == 0 && System.nanoTime() < until) {
                                Thread.sleep(1);
                            }
                            continue;
                        }
                        while (true) {
                            String f = FrameServer.readFrame(in);
                            if (f == null) {
                                break;
                            }
                            frames.add(f);
                        }
                    } catch (IOException | InterruptedException e) {
                        // next connection
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", server.getLocalPort(), false, FAST);
            List<String> events = new ArrayList<>();
            // A 5 s end check instead of 200 ms: on a loaded machine the receiver's thread may wake to
            // close (and so reset) later than 200 ms after the last write, which is not what is tested.
            try (SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, SocketFactory.getDefault(), metrics(), 5000)) {
                for (int i = 0; i < 50; i++) {
                    events.add("alert " + i);
                    w.write(events.get(i), null);
                }
                w.flush(true);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!new java.util.HashSet<>(frames).containsAll(events) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(new java.util.HashSet<>(frames).containsAll(events), frames.toString());
            assertTrue(connections.get() >= 2, "reconnected after the reset");
        }
    }

    @Test
    void shouldFailNamingTheTargetWhenNobodyListensAfterBoundedRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", port, false, FAST);
        SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, SocketFactory.getDefault(), metrics());
        w.write("lost?", null);
        SinkDeliveryException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(SinkDeliveryException.class, () -> w.flush(true)));
        assertTrue(e.getMessage().contains("syslog+tcp://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        assertFalse(e.permanent());
        w.close();
    }

    @Test
    void shouldSpeakTlsVerifyingTheServerCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "syslog", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        ServerSocket ss = tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (FrameServer server = new FrameServer(Integer.MAX_VALUE, ss)) {
            SyslogTcpSink sink = new SyslogTcpSink("127.0.0.1", server.port(), true, FAST);
            try (SyslogTcpSink.Writer w = new SyslogTcpSink.Writer(sink, tls.getSocketFactory(), metrics())) {
                w.write(TRICKY, null);
                w.flush(true);
            }
            assertEquals(List.of(TRICKY), server.awaitFrames(1));

            // The JDK's default trust store does not know this self-signed certificate: refused, never sent in clear.
            SyslogTcpSink.Writer untrusting = new SyslogTcpSink.Writer(sink, javax.net.ssl.SSLSocketFactory.getDefault(), metrics());
            untrusting.write("must not leak", null);
            SinkDeliveryException e = assertThrows(SinkDeliveryException.class, () -> untrusting.flush(true));
            assertTrue(e.getMessage().contains("syslog+tls://127.0.0.1:" + server.port()), e.getMessage());
            assertTrue(e.getCause() instanceof javax.net.ssl.SSLException, String.valueOf(e.getCause()));
            untrusting.close();
            assertEquals(List.of(TRICKY), server.frames);
        }
    }

    /** A syslog receiver reading RFC 6587 octet-counted frames; may hang up after {@code framesPerConnection}. */
    static final class FrameServer implements AutoCloseable {
        final ServerSocket server;
        final List<String> frames = new CopyOnWriteArrayList<>();
        final java.util.concurrent.Semaphore hungUp = new java.util.concurrent.Semaphore(0);
        final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        FrameServer(int framesPerConnection) throws IOException {
            this(framesPerConnection, new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        FrameServer(int framesPerConnection, ServerSocket server) {
            this.server = server;
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        for (int n = 0; n < framesPerConnection; n++) {
                            String f = readFrame(in);
                            if (f == null) {
                                break;
                            }
                            frames.add(f);
                        }
                    } catch (IOException e) {
                        // closed by the test, or the sender went away: accept the next connection
                    }
                    hungUp.release();
                }
            }, "frame-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> awaitFrames(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (frames.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return List.copyOf(frames);
        }

        /** {@code LEN SP MSG}; null at a clean end of stream. */
        static String readFrame(DataInputStream in) throws IOException {
            int len = 0;
            int digits = 0;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    if (digits == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended inside a frame length");
                }
                if (c == ' ') {
                    break;
                }
                if (c < '0' || c > '9') {
                    throw new IOException("bad octet count character " + (char) c);
                }
                len = len * 10 + (c - '0');
                digits++;
            }
            byte[] msg = new byte[len];
            in.readFully(msg);
            return new String(msg, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

}
