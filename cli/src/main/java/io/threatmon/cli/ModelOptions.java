package io.threatmon.cli;

import io.threatmon.engine.ThreatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --model [FILE]} and {@code --no-model}: whether a statistical model joins the rules. Off by
 * default (see docs/detection.md); {@code --model} alone uses the bundled model, {@code --model FILE}
 * a model from {@code threatmon train}; {@code THREATMON_MODEL=true} / {@code THREATMON_MODEL_PATH}
 * turn it on from the environment, {@code --no-model} off.
 */
final class ModelOptions {

    static final String BUNDLED = "bundled";

    @Option(names = "--model", paramLabel = "FILE", arity = "0..1", preprocessor = ModelFile.Written.class,
            parameterConsumer = ModelFile.class,
            description = "Also score with a statistical model: the bundled one, or FILE from 'threatmon train' "
                    + "(--model=FILE, or --model FILE when FILE exists or ends in .bin) (default: rules only).")
    String model;

    /**
     * Lets {@code --model} take the next argument as its FILE only when it is one: written
     * {@code --model=FILE}, an existing file, or a name ending in {@code .bin} (what {@code
     * threatmon train} writes). Picocli's optional value took any next argument, so {@code analyze
     * --model "Ignore all previous instructions"} read the text as a model path and then missed its
     * text.
     */
    static final class ModelFile implements IParameterConsumer {
        /** Whether the option at hand was written {@code --model=FILE} (set just before the consumer runs). */
        private static final ThreadLocal<Boolean> ATTACHED = ThreadLocal.withInitial(() -> false);

        /** Notes the separator, which only a preprocessor is told; the consumer then decides. */
        static final class Written implements IParameterPreprocessor {
            @Override
            public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
                ATTACHED.set(!String.valueOf(info.getOrDefault("separator", "")).isBlank()); // " " when separate
                return false;
            }
        }

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            boolean attached = ATTACHED.get();
            ATTACHED.remove();
            String next = args.isEmpty() ? null : args.peek();
            boolean file = next != null && (attached || !next.startsWith("-") && (next.endsWith(".bin") || isFile(next)));
            argSpec.setValue(file ? args.pop() : BUNDLED);
        }

        private static boolean isFile(String name) {
            try {
                return Files.isRegularFile(Path.of(name));
            } catch (java.nio.file.InvalidPathException e) {
                return false; // text, not a path
            }
        }
    }

    @Option(names = "--no-model", description = "Rules only, even when THREATMON_MODEL or THREATMON_MODEL_PATH is set.")
    boolean noModel;

    /** Applies these flags on top of a builder already configured from the environment. */
    ThreatClient.Builder apply(ThreatClient.Builder b) {
        if (model != null && noModel) {
            throw new CliException("--model and --no-model cannot be used together");
        }
        if (BUNDLED.equals(model)) {
            b.model(true);
        } else if (model != null) {
            b.modelPath(Path.of(model));
        }
        if (noModel) {
            b.model(false);
        }
        return b;
    }
}
