package io.threatmon.engine.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bundled library of regex fragments that any rule pack may use as {@code {{name}}}: cues the
 * packs share, such as {@code quoted_example} (an attack quoted as an example in a write-up, a
 * test plan or a question). YAML anchors reach only within one file, and copies of a shared cue in
 * several packs drift apart; with the library there is one definition.
 *
 * <p>The library is {@code io/threatmon/rules/shared/fragments.yml} in the rules jar. A pack can
 * also define its own {@code fragments:}, which shadow the library's names (rules/README.md).
 *
 * <pre>{@code
 * # custom.yml
 * rules:
 *   - id: acme.leak_order
 *     severity: high
 *     category: data_exfiltration
 *     patterns: ['\bsend (the|all) (customer|payroll) (records|files) to\b']
 *     unless: ['{{quoted_example}}']     # not when the order is quoted as an example
 * }</pre>
 */
public final class RuleFragments {

    /** Where the library is on the classpath. */
    public static final String RESOURCE = "io/threatmon/rules/shared/fragments.yml";

    private RuleFragments() {}

    private static final class Holder {
        static final Map<String, String> LIBRARY = load();
    }

    /**
     * The library's fragments by name; empty when the rules jar is not on the classpath.
     *
     * @throws IllegalStateException if the bundled library has an error (a broken build)
     */
    public static Map<String, String> bundled() {
        return Holder.LIBRARY;
    }

    private static Map<String, String> load() {
        String yaml = RuleLoader.resource(RESOURCE);
        if (yaml == null) {
            return Map.of();
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, String> fragments = RulePackReader.readFragmentsFile(yaml, "bundled:shared/fragments.yml", problems);
        if (problems.stream().anyMatch(Problem::isError)) {
            throw new IllegalStateException("the bundled fragments library is broken: " + problems);
        }
        return fragments;
    }
}
