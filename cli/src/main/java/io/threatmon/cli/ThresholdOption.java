package io.threatmon.cli;

import picocli.CommandLine.Option;

/** {@code --threshold N}: the risk score (1-100) at or above which a text is a threat. */
final class ThresholdOption {

    @Option(names = "--threshold", paramLabel = "N",
            description = "Risk score 1-100 at or above which a text is a threat (default 70, or THREATMON_THRESHOLD).")
    Integer threshold;
}
