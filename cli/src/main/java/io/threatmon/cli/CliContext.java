package io.threatmon.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What every command needs from the outside world: the standard streams, the environment and the
 * global flags. Passed to each command's constructor so tests can run commands in-process.
 */
final class CliContext {

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    boolean verbose;
    boolean quiet;

    CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    /** A note for the user on stderr, unless {@code --quiet}. */
    void info(String message) {
        if (!quiet) {
            err.println(message);
        }
    }

    /** A warning on stderr, unless {@code --quiet}. */
    void warn(String message) {
        if (!quiet) {
            err.println("threatmon: warning: " + message);
        }
    }
}
