package io.threatmon.engine.rules;

import java.util.List;

/**
 * One parsed rule file: its rules, plus ids it disables in earlier packs.
 *
 * <pre>{@code
 * RulePackReader.Result r = RulePackReader.read(yamlText, "custom.yml");
 * RulePack pack = r.pack(); // null when r.hasErrors()
 * }</pre>
 *
 * @param name        pack id ({@code pack:} field, else the file name without extension)
 * @param version     pack version ({@code "0"} when not given)
 * @param description what the pack is for
 * @param source      where it was read from
 * @param rules       its rules, in file order; entries that only disable/enable are in {@code toggles}
 * @param toggles     rule ids this pack switches on ({@code true}) or off ({@code false}) in earlier packs
 */
public record RulePack(
        String name,
        String version,
        String description,
        String source,
        List<RuleDefinition> rules,
        List<Toggle> toggles) {

    public RulePack {
        rules = List.copyOf(rules);
        toggles = List.copyOf(toggles);
    }

    /** Switches an earlier rule on or off. */
    public record Toggle(String ruleId, boolean enabled, int line) {}
}
