package io.threatmon.engine.remote;

import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.Direction;
import java.net.URI;
import java.time.Duration;

/**
 * A verdict from somewhere else: the remote half of {@code Mode.API} and {@code Mode.HYBRID}. The
 * standard implementation ({@link #http}) calls a ThreatMon server's {@code POST /v1/analyze};
 * another (a different service, a test double) can be given to
 * {@code ThreatClient.builder().remote(...)}. Implementations must be thread-safe.
 *
 * <p>This is not a {@link io.threatmon.engine.Detector}: a server's verdict already contains the
 * evidence of its own rules (usually the same packs as the client's), so adding it to the local
 * evidence would count the same rules twice. The client uses it instead of, or after, its local
 * analysis.
 *
 * <pre>{@code
 * RemoteAnalyzer server = RemoteAnalyzer.http(URI.create("http://localhost:8080"), "key-1", Duration.ofSeconds(2));
 * AnalysisResult r = server.analyze("Ignore previous instructions", Direction.PROMPT);
 * }</pre>
 */
public interface RemoteAnalyzer {

    /**
     * The remote verdict on {@code text}.
     *
     * @throws RemoteAnalysisException when there is no verdict: unreachable, timed out, refused or unreadable
     */
    AnalysisResult analyze(String text, Direction direction);

    /** Where verdicts come from, for messages ({@code http://host:8080}). */
    String describe();

    /**
     * A client of a ThreatMon server ({@code threatmon serve}) at {@code baseUrl}.
     *
     * @param baseUrl the server's base URL; {@code /v1/analyze} is resolved against it
     * @param apiKey  sent as {@code Authorization: Bearer …}; null when the server has no keys
     * @param timeout for connecting and for each answer
     */
    static RemoteAnalyzer http(URI baseUrl, String apiKey, Duration timeout) {
        return new HttpRemoteAnalyzer(baseUrl, apiKey, timeout);
    }
}
