package io.threatmon.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process with captured streams and a controlled environment. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        return withEnv(Map.of(), "", args);
    }

    static CliRun withStdin(String stdin, String... args) {
        return withEnv(Map.of(), stdin, args);
    }

    static CliRun withEnv(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, env, args);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A test resource as a file path. */
    static String resource(String name) {
        try {
            return Path.of(CliRun.class.getResource("/" + name).toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + name, e);
        }
    }

    /** Whether the bundled packs are present and load (they are written separately and may be incomplete). */
    static boolean bundledRulesLoad() {
        try {
            return !io.threatmon.engine.rules.RuleLoader.load(io.threatmon.engine.rules.RuleLoader.bundled()).hasErrors();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
