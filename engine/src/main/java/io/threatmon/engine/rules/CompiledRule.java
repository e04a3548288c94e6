package io.threatmon.engine.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * A rule ready to run: its regexes compiled for the linear-time engine. Immutable and
 * thread-safe (RE2/J patterns are; matchers are made per call).
 *
 * <pre>{@code
 * int[] span = rule.find("ignore all previous instructions"); // {start, end} or null
 * }</pre>
 */
public final class CompiledRule {

    private final RuleDefinition definition;
    private final List<Pattern> patterns;
    private final List<Pattern> requires;
    private final List<Pattern> unless;

    CompiledRule(RuleDefinition definition) {
        this.definition = definition;
        this.patterns = compileAll(definition.patterns());
        this.requires = compileAll(definition.requires());
        this.unless = compileAll(definition.unless());
    }

    private static List<Pattern> compileAll(List<String> regexes) {
        return regexes.stream().map(RulePackReader::compileRegex).toList();
    }

    public RuleDefinition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    public String category() {
        return definition.category();
    }

    public int risk() {
        return definition.risk();
    }

    /** Whether this rule scans the given view. */
    public boolean scans(ViewKind view) {
        return definition.views().contains(view);
    }

    /**
     * Where this rule fires in {@code text}: the span of its first pattern match, when one of its
     * {@code requires} (if any) also matches and none of its {@code unless} does; else null.
     */
    public int[] find(CharSequence text) {
        int[] span = null;
        for (Pattern p : patterns) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                span = new int[] {m.start(), m.end()};
                break;
            }
        }
        if (span == null) {
            return null;
        }
        if (!requires.isEmpty() && !anyFinds(requires, text)) {
            return null;
        }
        if (anyFinds(unless, text)) {
            return null;
        }
        return span;
    }

    private static boolean anyFinds(List<Pattern> ps, CharSequence text) {
        for (Pattern p : ps) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return definition.id();
    }
}
