package io.threatmon.cli;

import io.threatmon.engine.Version;
import io.threatmon.engine.rules.PackInfo;
import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatmon rules export}: the effective rule set as one YAML pack in the documented format
 * (loads again unchanged), or as plain regexes, one per line, for grep-like tools.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export the effective rule set as one YAML rule pack or as plain regexes.",
                "'yaml' is one rule pack in the documented format, which loads again with the same verdicts; "
                        + "'patterns' is one regex per line under a '# id' comment (RE2 syntax, match case-insensitively)."})
final class RulesExportCommand implements Callable<Integer> {

    enum Format { YAML, PATTERNS }

    private final CliContext ctx;

    @Option(names = "--format", paramLabel = "yaml|patterns", defaultValue = "yaml", description = "yaml (default) or patterns.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Mixin
    RuleOptions ruleOptions;

    RulesExportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        RuleSet set = ruleOptions.ruleSet(ctx);
        String text = format == Format.YAML ? yaml(set) : patterns(set);
        if (output == null) {
            ctx.out.print(text);
            ctx.out.flush();
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            ctx.info("wrote " + set.definitions().size() + " rules to " + output);
        }
        return Main.OK;
    }

    static String yaml(RuleSet set) {
        String from = set.packs().stream().map(p -> p.name() + " " + p.version()).collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder();
        sb.append("# Exported by threatmon ").append(Version.ENGINE).append(" from: ").append(from).append('\n');
        sb.append("# Load it with: threatmon analyze --no-bundled --rules <this file> … (or batch, audit, serve, …)\n");
        sb.append(RuleYaml.yaml(RuleYaml.pack("threatmon-export", Version.ENGINE,
                "The effective rule set of " + set.packs().size() + " pack(s), merged: "
                        + set.packs().stream().map(PackInfo::name).collect(Collectors.joining(", ")),
                set.definitionsInLoadOrder())));
        return sb.toString();
    }

    static String patterns(RuleSet set) {
        StringBuilder sb = new StringBuilder();
        sb.append("# threatmon ").append(Version.ENGINE).append(" rule patterns: RE2 syntax, match case-insensitively.\n");
        sb.append("# A rule's 'requires'/'unless' conditions and text views are not expressible here.\n");
        for (RuleDefinition d : set.definitions()) {
            if (!d.enabled()) {
                continue;
            }
            sb.append("# ").append(d.id()).append('\n');
            for (String p : d.patterns()) {
                sb.append(p.replace("\n", "\\n")).append('\n');
            }
        }
        return sb.toString();
    }
}
