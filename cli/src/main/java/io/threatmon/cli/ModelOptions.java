package io.threatmon.cli;

import io.threatmon.engine.ThreatClient;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model [FILE]} and {@code --no-model}: whether a statistical model joins the rules. Off by
 * default (see docs/detection.md); {@code --model} alone uses the bundled model, {@code --model FILE}
 * a model from {@code threatmon train}; {@code THREATMON_MODEL=true} / {@code THREATMON_MODEL_PATH}
 * turn it on from the environment, {@code --no-model} off.
 */
final class ModelOptions {

    static final String BUNDLED = "bundled";

    @Option(names = "--model", paramLabel = "FILE", arity = "0..1", fallbackValue = BUNDLED,
            description = "Also score with a statistical model: the bundled one, or FILE from 'threatmon train' (default: rules only).")
    String model;

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
