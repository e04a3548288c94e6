package io.threatmon.server.mcp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * not do: a line that is not a JSON-RPC message gets a JSON-RPC error (the transport would stop
 * reading and leave a dead server), and when the client closes stdin the server first answers every request it
 * was sent, then stops (so {@code printf '…' | threatmon mcp} works).
 *
 * <p>Each message is one line (MCP stdio framing). Requests are counted by their top-level
 * {@code id} and {@code method}; responses by the lines written back.
 */
final class StdioBridge {

    /** Longest message accepted (the SDK transport's own default). */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        } catch (Invalid e) {
            reply(e.code, e.getMessage(), e.id);
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

    /** A line the SDK transport must not see: its reader thread dies on anything it cannot map. */
    private static final class Invalid extends Exception {
        final int code;
        final JsonNode id;

        Invalid(int code, String message, JsonNode id) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }
    }

    /**
     * Whether a message is a request (an id and a method). Anything that is not a JSON-RPC 2.0
     * request, notification or response is refused here with the error the specification names
     * (-32700 not JSON, -32600 not a valid message), because the SDK transport stops reading
     * for good at the first line it cannot turn into a message, leaving a server that answers
     * nothing.
     */
    static boolean isRequest(String msg) throws Invalid {
        JsonNode n;
        try {
            n = MAPPER.readTree(msg);
        } catch (IOException e) {
            throw new Invalid(-32700, "parse error: not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", null);
        }
        if (n == null || !n.isObject()) {
            throw new Invalid(-32600, "invalid request: a JSON-RPC message is one JSON object", null);
        }
        JsonNode id = n.get("id");
        boolean hasId = id != null && !id.isNull();
        JsonNode usableId = hasId && (id.isTextual() || id.isIntegralNumber()) ? id : null;
        if (!"2.0".equals(n.path("jsonrpc").textValue())) {
            throw new Invalid(-32600, "invalid request: \"jsonrpc\" must be \"2.0\"", usableId);
        }
        if (hasId && usableId == null) {
            throw new Invalid(-32600, "invalid request: \"id\" must be a string or an integer", null);
        }
        JsonNode method = n.get("method");
        if (method != null) {
            if (!method.isTextual()) {
                throw new Invalid(-32600, "invalid request: \"method\" must be a string", usableId);
            }
            return hasId;
        }
        if (hasId && (n.has("result") || n.has("error"))) {
            return false; // a response to a request the server sent (sampling, roots)
        }
        throw new Invalid(-32600, "invalid request: needs \"method\" (a request or notification) "
                + "or \"id\" with \"result\" or \"error\" (a response)", usableId);
    }

    private void reply(int code, String message) throws IOException {
        reply(code, message, null);
    }

    private void reply(int code, String message, JsonNode id) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", "2.0");
        response.put("id", id);
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
