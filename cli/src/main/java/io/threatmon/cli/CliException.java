package io.threatmon.cli;

/** A user-facing error: its message is printed as {@code threatmon: error: <message>} and the command exits 1. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
