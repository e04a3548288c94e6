package io.threatmon.engine.remote;

/**
 * A remote verdict could not be had: the server is unreachable, did not answer in time, refused
 * the request (bad key, too large, rate-limited) or answered something unreadable.
 *
 * <pre>{@code
 * try { remote.analyze(text, Direction.PROMPT); }
 * catch (RemoteAnalysisException e) { log.warn("status {}: {}", e.status(), e.getMessage()); }
 * }</pre>
 */
public class RemoteAnalysisException extends RuntimeException {

    private final int status;

    public RemoteAnalysisException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the server answered with, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
