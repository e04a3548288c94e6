package io.threatmon.jobs;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/** Real SIEM-like receivers on loopback for the alert-sink integration tests. */
final class LoopbackReceivers {

    private LoopbackReceivers() {}

    /** A syslog receiver reading RFC 6587 octet-counted frames from any number of connections. */
    static final class SyslogTcp implements AutoCloseable {
        final List<String> frames = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        SyslogTcp() throws IOException {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread reader = new Thread(() -> read(s), "syslog-reader");
                        reader.setDaemon(true);
                        reader.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "syslog-accept");
            t.setDaemon(true);
            t.start();
        }

        private void read(Socket s) {
            try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()))) {
                while (true) {
                    int len = 0;
                    int c;
                    int digits = 0;
                    while ((c = in.read()) != ' ') {
                        if (c < 0) {
                            if (digits > 0) {
                                throw new EOFException("stream ended inside a frame length");
                            }
                            return;
                        }
                        if (c < '0' || c > '9') {
                            throw new IOException("not octet counting: " + (char) c);
                        }
                        len = len * 10 + c - '0';
                        digits++;
                    }
                    byte[] msg = new byte[len];
                    in.readFully(msg);
                    frames.add(new String(msg, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                frames.add("RECEIVER ERROR " + e);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        /** The frames once {@code n} arrived (or 20 s passed, and whatever came). */
        List<String> await(int n) throws InterruptedException {
            return LoopbackReceivers.await(frames, n);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** An HTTP receiver; request number n (0-based) is answered with {@code status.applyAsInt(n)}. */
    static final class Http implements AutoCloseable {
        record Request(String path, String authorization, String body, int status) {}

        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Http(IntUnaryOperator status) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.createContext("/", x -> {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int code;
                synchronized (requests) {
                    code = status.applyAsInt(requests.size());
                    requests.add(new Request(x.getRequestURI().getPath(), x.getRequestHeaders().getFirst("Authorization"), body, code));
                }
                byte[] answer = ("{\"code\":" + (code / 100 == 2 ? 0 : 9) + "}").getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(code, answer.length);
                x.getResponseBody().write(answer);
                x.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** Bodies of the accepted (2xx) requests. */
        List<String> acceptedBodies() {
            return requests.stream().filter(r -> r.status() / 100 == 2).map(Request::body).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static <T> List<T> await(List<T> items, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (items.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return List.copyOf(items);
    }
}
