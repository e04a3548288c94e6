package io.threatmon.engine.rules;

/**
 * One error or warning found while loading rules, with where it was found.
 *
 * <pre>{@code
 * for (Problem p : result.problems()) System.err.println(p); // "custom.yml:12: error: bad regex ..."
 * }</pre>
 *
 * @param level   error (the pack does not load) or warning (it loads)
 * @param source  the file or resource name the rule text came from
 * @param line    1-based line, or 0 when the problem concerns the whole source
 * @param message what is wrong and, where possible, what to do
 */
public record Problem(Level level, String source, int line, String message) {

    /** How serious a problem is. */
    public enum Level {
        ERROR,
        WARNING
    }

    static Problem error(String source, int line, String message) {
        return new Problem(Level.ERROR, source, line, message);
    }

    static Problem warning(String source, int line, String message) {
        return new Problem(Level.WARNING, source, line, message);
    }

    public boolean isError() {
        return level == Level.ERROR;
    }

    /** {@code file:line: error: message}, the form compilers and editors understand. */
    @Override
    public String toString() {
        String where = line > 0 ? source + ":" + line : source;
        return where + ": " + (isError() ? "error" : "warning") + ": " + message;
    }
}
