package io.threatmon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threatmon.connectors.BenchmarkTexts;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.Problem;
import io.threatmon.engine.rules.RuleLoader;
import io.threatmon.engine.rules.RulePackReader;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code threatmon rules validate PATH…}: reads the given rule files on their own and prints every
 * problem as {@code file:line: error|warning: message}; exit 1 if any error.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check rule files: every problem is printed as file:line: error|warning: message.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:valid (warnings allowed)", "1:errors found"})
final class RulesValidateCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Rule files or directories of *.yml/*.yaml files.")
    List<String> paths;

    @Option(names = "--with-bundled",
            description = "Also load them on top of the bundled packs and report overrides and conflicts.")
    boolean withBundled;

    RulesValidateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Roughly how many alternatives a pattern lists ('|' outside escapes, plus one). */
    static int alternatives(String pattern) {
        int n = 1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '|') {
                n++;
            }
        }
        return n;
    }

    /** A pattern as quoted in a message: long ones (a word list of thousands) are cut. */
    static String shortened(String pattern) {
        return pattern.length() <= 120 ? pattern : pattern.substring(0, 100) + "... (" + pattern.length() + " characters)";
    }

    /**
     * Rules the prefilter cannot gate run their regex on every message: legal, but the slowest kind
     * of rule, so authors should know.
     */
    private void reportUngated(RuleSet set) {
        for (io.threatmon.engine.rules.CompiledRule r : set.rulesWithoutAtoms()) {
            for (String pattern : r.patternsWithoutAtoms()) {
                int alternatives = alternatives(pattern);
                ctx.out.println(r.definition().location() + ": warning: rule " + r.id() + " runs on every message: pattern '"
                        + shortened(pattern) + "' has no literal of 3+ characters (or rare character) the prefilter can look for"
                        + (alternatives > 200
                                ? " (" + alternatives + " alternatives are too many to look for: split the list"
                                        + " over patterns of at most 200 words)"
                                : ""));
            }
        }
    }

    /**
     * Regexes too big for the engine's lazy DFA run on RE2/J's slower NFA whenever they are tried;
     * nothing else shows it (the verdicts are the same), so authors are told.
     */
    private void reportWithoutDfa(RuleSet set) {
        for (CompiledRule r : set.rules()) {
            for (String regex : r.regexesWithoutDfa()) {
                ctx.out.println(r.definition().location() + ": warning: rule " + r.id() + " regex '" + shortened(regex)
                        + "' is too big for the lazy DFA and runs on the slower RE2/J matcher: bound gaps by the"
                        + " characters they exclude ([^.]+) rather than by counts ([^.]{1,160}), or split a long"
                        + " alternation over several patterns (docs/performance.md, session 26)");
            }
        }
    }

    /**
     * Regexes whose lazy DFA thrashes on ordinary traffic fall back to RE2/J for good; the verdicts
     * stay the same, so only this shows it. Tried on the reference texts as they are and as JSON log
     * lines, since quotes are what made the session-28 quotation cue thrash.
     */
    private void reportThrashingDfa(RuleSet set) {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        for (String t : referenceTexts()) {
            texts.add(t);
            ObjectNode line = json.createObjectNode().put("role", "user").put("content", t);
            line.putObject("meta").put("lang", "en").put("source", "chat");
            texts.add(line.toString());
        }
        for (CompiledRule r : set.rules()) {
            for (String regex : r.regexesThrashingDfa(texts)) {
                ctx.out.println(r.definition().location() + ": warning: rule " + r.id() + " regex '" + shortened(regex)
                        + "' makes the lazy DFA give up on ordinary texts (too many states), so it runs on the"
                        + " slower RE2/J matcher: split the alternation over two regexes (docs/performance.md, session 28)");
            }
        }
    }

    /** How many reference texts a pattern is tried on. */
    static final int REFERENCE_TEXTS = 200;
    /** A gated pattern that is a candidate for this share of ordinary texts or more is reported. */
    static final double COMMON_SHARE = 0.3;

    /** Texts ordinary traffic is made of: the benign texts of the log generator's corpus, about 1 KB each. */
    private static List<String> referenceTexts() {
        BenchmarkTexts texts = BenchmarkTexts.load();
        List<String> out = new ArrayList<>();
        for (long seed = 1; seed <= REFERENCE_TEXTS; seed++) {
            out.add(texts.benign(BenchmarkTexts.Size.MEDIUM, seed));
        }
        return out;
    }

    /**
     * Patterns whose literal atoms are common words: the prefilter lets them through for most ordinary
     * texts, so their regex runs nearly always. Found by trying them on reference texts, because a
     * regex does not show it (a large alternation's atom set is dropped as too big to look up).
     */
    private void reportCommonlyGated(RuleSet set) {
        List<String> texts = referenceTexts();
        for (Map.Entry<CompiledRule, int[]> e : set.patternCandidacy(texts).entrySet()) {
            CompiledRule r = e.getKey();
            List<String> patterns = r.definition().patterns();
            List<String> ungated = r.patternsWithoutAtoms(); // reported by reportUngated
            for (int k = 0; k < e.getValue().length; k++) {
                double share = (double) e.getValue()[k] / texts.size();
                if (share >= COMMON_SHARE && !ungated.contains(patterns.get(k))) {
                    ctx.out.printf("%s: warning: rule %s pattern %s runs on %.0f%% of ordinary 1 KB texts: the prefilter"
                            + " finds its literals (or rare characters) in most text; spell optional words out as alternatives,"
                            + " or split a long alternation over several patterns (docs/performance.md, session 16)%n",
                            r.definition().location(), r.id(), patternName(patterns, k), 100 * share);
                }
            }
        }
    }

    /**
     * "3" for the third written pattern; "3 (read without accents)" for the copy the reader adds of a
     * pattern with accented letters, which comes after the written ones.
     */
    static String patternName(List<String> patterns, int k) {
        for (int j = 0; j < k; j++) {
            if (patterns.get(k).equals(RulePackReader.accentFree(patterns.get(j)))) {
                return (j + 1) + " (read without accents)";
            }
        }
        return String.valueOf(k + 1);
    }

    @Override
    public Integer call() {
        List<RuleLoader.Source> sources = new ArrayList<>();
        int pathErrors = 0;
        for (String p : paths) {
            try {
                sources.addAll(RuleLoader.fromSpec(p));
            } catch (RuntimeException e) {
                ctx.err.println("threatmon: error: " + Main.describe(e));
                pathErrors++;
            }
        }
        RuleLoader.Result alone = RuleLoader.load(sources);
        alone.problems().forEach(ctx.out::println);
        boolean ok = pathErrors == 0 && !alone.hasErrors();
        if (ok) {
            RuleSet set = alone.ruleSet();
            reportUngated(set);
            reportCommonlyGated(set);
            reportWithoutDfa(set);
            reportThrashingDfa(set);
            ctx.out.printf("OK: %d rule%s in %d pack%s%n", set.size(), set.size() == 1 ? "" : "s",
                    set.packs().size(), set.packs().size() == 1 ? "" : "s");
        }
        if (withBundled && ok) {
            List<RuleLoader.Source> all = new ArrayList<>(RuleLoader.bundled());
            int bundledCount = all.size();
            all.addAll(sources);
            RuleLoader.Result combined = RuleLoader.load(all);
            List<Problem> extra = combined.problems().stream()
                    .filter(p -> !alone.problems().contains(p))
                    .filter(p -> !p.source().startsWith("bundled:") || p.isError())
                    .toList();
            extra.forEach(ctx.out::println);
            if (combined.hasErrors()) {
                ok = false;
            } else {
                ctx.out.printf("OK with bundled packs: %d rules in %d packs (%d bundled)%n", combined.ruleSet().size(),
                        combined.ruleSet().packs().size(), bundledCount);
            }
        }
        if (!ok) {
            long n = alone.errors().size() + pathErrors;
            ctx.err.println("threatmon: error: validation failed" + (n > 0 ? " (" + n + (n == 1 ? " error)" : " errors)") : ""));
            return Main.ERROR;
        }
        return Main.OK;
    }
}
