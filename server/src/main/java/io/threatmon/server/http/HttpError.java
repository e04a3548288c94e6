package io.threatmon.server.http;

/** A request the API refuses: the HTTP status, a stable code and a message saying what to change. */
final class HttpError extends RuntimeException {

    final int status;
    final String code;

    HttpError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}
