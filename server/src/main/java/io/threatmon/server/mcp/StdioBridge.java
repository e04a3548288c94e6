package io.threatmon.server.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.threatmon.server.ServerJson;
import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sits between the client's stdio and the SDK's stdio transport, for two things the transport does
 * not do: a line that is not JSON gets a JSON-RPC parse error (the transport would stop reading and
 * leave a dead server), and when the client closes stdin the server first answers every request it
 * was sent, then stops (so {@code printf '…' | threatmon mcp} works).
 *
 * <p>Each message is one line (MCP stdio framing). Requests are counted by their top-level
 * {@code id} and {@code method}; responses by the lines written back.
 */
final class StdioBridge {

    /** Longest message accepted (the SDK transport's own default). */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private final InputStream clientIn;
    private final CountingOutput toClient;
    private final PipedOutputStream toServer;
    private final PipedInputStream serverIn;
    private final Object lock = new Object();
    private long expected;

    StdioBridge(InputStream clientIn, OutputStream clientOut) throws IOException {
        this.clientIn = clientIn;
        this.toClient = new CountingOutput(clientOut);
        this.serverIn = new PipedInputStream(1 << 20);
        this.toServer = new PipedOutputStream(serverIn);
    }

    /** What the SDK transport reads. */
    InputStream serverIn() {
        return serverIn;
    }

    /** What the SDK transport writes (the client's stdout, counted). */
    OutputStream serverOut() {
        return toClient;
    }

    /** Forwards the client's messages until its stdin ends; answers malformed ones itself. */
    void pump() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        int c;
        while ((c = in.read()) >= 0) {
            if (c != '\n') {
                if (line.length() < MAX_LINE_CHARS) {
                    line.append((char) c);
                } else {
                    tooLong = true;
                }
                continue;
            }
            if (tooLong) {
                reply(-32600, "message over " + MAX_LINE_CHARS + " characters");
            } else {
                forward(line.toString());
            }
            line.setLength(0);
            tooLong = false;
        }
        if (tooLong) {
            reply(-32600, "message over " + MAX_LINE_CHARS + " characters");
        } else if (!line.isEmpty()) {
            forward(line.toString());
        }
    }

    /** Waits until every request forwarded has been answered, at most {@code timeout}. */
    void awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (toClient.lines < expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Ends the SDK's input, so its transport stops. */
    void closeServerInput() {
        try {
            toServer.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void forward(String msg) throws IOException {
        String trimmed = msg.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        boolean request;
        try {
            request = isRequest(trimmed);
        } catch (IOException e) {
            reply(-32700, "parse error: not a JSON-RPC message (" + e.getMessage().lines().findFirst().orElse("") + ")");
            return;
        }
        synchronized (lock) {
            if (request) {
                expected++;
            }
        }
        toServer.write(trimmed.getBytes(StandardCharsets.UTF_8));
        toServer.write('\n');
        toServer.flush();
    }

    /** Whether a message is a request (top-level id and method); throws if it is not one JSON object. */
    private static boolean isRequest(String msg) throws IOException {
        boolean id = false;
        boolean method = false;
        try (JsonParser p = JSON.createParser(msg)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(name) && value != JsonToken.VALUE_NULL) {
                    id = true;
                } else if ("method".equals(name)) {
                    method = true;
                }
                p.skipChildren();
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
        }
        return id && method;
    }

    private void reply(int code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", null);
        response.put("error", error);
        byte[] bytes = (ServerJson.write(response) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            expected++;
        }
        synchronized (toClient) {   // the SDK transport writes under the same monitor
            toClient.write(bytes);
            toClient.flush();
        }
    }

    /** Counts the lines (messages) written to the client. */
    private final class CountingOutput extends FilterOutputStream {
        long lines;

        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            if (b == '\n') {
                counted(1);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            int n = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    n++;
                }
            }
            if (n > 0) {
                counted(n);
            }
        }

        private void counted(int n) {
            synchronized (lock) {
                lines += n;
                lock.notifyAll();
            }
        }
    }
}
