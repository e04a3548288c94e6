package io.threatmon.engine.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs the whole loading pipeline (read → collect → compile) over several sources,
 * all-or-nothing: if any source has an error, no rule set is produced and every error is
 * reported with its file and line. Also finds sources: the bundled packs on the classpath,
 * and rule files or directories on disk.
 *
 * <pre>{@code
 * List<RuleLoader.Source> sources = new ArrayList<>(RuleLoader.bundled());
 * sources.addAll(RuleLoader.fromPath(Path.of("custom-rules.yaml")));
 * RuleSet rules = RuleLoader.load(sources).orThrow();
 * }</pre>
 */
public final class RuleLoader {

    /** Where bundled packs live on the classpath (module {@code rules}). */
    public static final String BUNDLED_DIR = "io/threatmon/rules/";
    /** Where the optional packs live: in the rules jar, loaded only when asked for. */
    public static final String OPTIONAL_DIR = BUNDLED_DIR + "optional/";
    /** A rules path that names an optional pack instead of a file: {@code pack:deployed_assistant}. */
    public static final String OPTIONAL_PREFIX = "pack:";

    private RuleLoader() {}

    /** Rule text and a name for messages. */
    public record Source(String name, String content) {}

    /** The outcome of loading: a rule set, or null and the errors. */
    public record Result(RuleSet ruleSet, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return ruleSet == null;
        }

        public List<Problem> errors() {
            return problems.stream().filter(Problem::isError).toList();
        }

        public List<Problem> warnings() {
            return problems.stream().filter(p -> !p.isError()).toList();
        }

        /** The rule set, or a {@link RuleLoadException} listing every error. */
        public RuleSet orThrow() {
            if (ruleSet == null) {
                throw new RuleLoadException(problems);
            }
            return ruleSet;
        }
    }

    /** Loads the sources in order; later ones override earlier ones by rule id. */
    public static Result load(List<Source> sources) {
        List<Problem> problems = new ArrayList<>();
        List<RulePack> packs = new ArrayList<>();
        // Packs are read (parsed, every regex compiled to check it) on all cores, then taken in order.
        List<RulePackReader.Result> read = sources.parallelStream()
                .map(s -> RulePackReader.read(s.content(), s.name()))
                .toList();
        for (RulePackReader.Result r : read) {
            problems.addAll(r.problems());
            if (!r.hasErrors()) {
                packs.add(r.pack());
            }
        }
        if (problems.stream().anyMatch(Problem::isError)) {
            return new Result(null, problems);
        }
        RuleCollector collector = new RuleCollector();
        packs.forEach(collector::add);
        try {
            RuleSet set = collector.compile(problems);
            return new Result(set, set.warnings());
        } catch (RuleLoadException e) {
            problems.addAll(e.problems());
            return new Result(null, problems);
        }
    }

    /**
     * The packs bundled in the {@code threatmon-rules} jar, in the order its {@code packs.txt} lists.
     *
     * @throws IllegalStateException if the rules jar is not on the classpath
     */
    public static List<Source> bundled() {
        String index = resource(BUNDLED_DIR + "packs.txt");
        if (index == null) {
            throw new IllegalStateException("bundled rules not found on the classpath ("
                    + BUNDLED_DIR + "packs.txt): add the io.threatmon:threatmon-rules dependency");
        }
        List<Source> sources = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            String content = resource(BUNDLED_DIR + name);
            if (content == null) {
                throw new IllegalStateException("bundled pack " + name + " is listed in packs.txt but missing");
            }
            sources.add(new Source("bundled:" + name, content));
        }
        return sources;
    }

    /** The names of the optional packs in the rules jar ({@code optional/packs.txt}), for {@code pack:NAME}. */
    public static List<String> optionalPacks() {
        String index = resource(OPTIONAL_DIR + "packs.txt");
        if (index == null) {
            return List.of();
        }
        return index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /**
     * An optional pack from the rules jar, by name ({@code deployed_assistant}).
     *
     * @throws IllegalArgumentException naming the packs there are when there is no such pack
     */
    public static Source optional(String name) {
        String content = optionalPacks().contains(name) ? resource(OPTIONAL_DIR + name + ".yml") : null;
        if (content == null) {
            throw new IllegalArgumentException("no optional rule pack '" + name + "'; there are: "
                    + String.join(", ", optionalPacks()));
        }
        return new Source(OPTIONAL_PREFIX + name, content);
    }

    /**
     * The rule files at {@code path}: the file itself, or every {@code *.yml}/{@code *.yaml} file
     * in a directory (not recursive), sorted by name. A path {@code pack:NAME} that is not a file
     * names an optional pack of the rules jar ({@link #optional}), so every place that takes a rules
     * path (the CLI's {@code --rules}, {@code THREATMON_RULES_PATH}, the jobs) can load one.
     *
     * @throws IllegalArgumentException if the path does not exist, or a directory has no rule files
     * @throws UncheckedIOException if a file cannot be read or is not UTF-8
     */
    public static List<Source> fromPath(Path path) {
        return fromSpec(path.toString());
    }

    /**
     * Like {@link #fromPath}, for a rules path given as text (a command-line flag, an environment
     * variable, a job parameter): {@code pack:NAME} is recognised before the text becomes a
     * {@link Path}, because on Windows {@code Path.of("pack:deployed_assistant")} is not a valid
     * path at all. A file that exists by that name still wins.
     *
     * <pre>{@code
     * List<RuleLoader.Source> pack = RuleLoader.fromSpec("pack:deployed_assistant");
     * List<RuleLoader.Source> mine = RuleLoader.fromSpec("rules/custom.yml");
     * }</pre>
     *
     * @throws IllegalArgumentException if the path is not a valid path, does not exist, or a
     *         directory has no rule files; or if there is no such optional pack
     * @throws UncheckedIOException if a file cannot be read or is not UTF-8
     */
    public static List<Source> fromSpec(String spec) {
        Path path = null;
        try {
            path = Path.of(spec);
        } catch (java.nio.file.InvalidPathException e) {
            if (!spec.startsWith(OPTIONAL_PREFIX)) {
                throw new IllegalArgumentException("not a valid rules path: '" + spec + "' (" + e.getReason() + ")", e);
            }
        }
        if (spec.startsWith(OPTIONAL_PREFIX) && (path == null || !Files.exists(path))) {
            return List.of(optional(spec.substring(OPTIONAL_PREFIX.length())));
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("rules path not found: " + path);
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(RuleLoader::isRuleFile).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list rules directory " + path, e);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no *.yml or *.yaml rule files in directory " + path);
            }
        } else {
            files.add(path);
        }
        List<Source> sources = new ArrayList<>();
        for (Path f : files) {
            sources.add(new Source(f.toString(), readUtf8(f)));
        }
        return sources;
    }

    private static boolean isRuleFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".yml") || n.endsWith(".yaml"));
    }

    private static String readUtf8(Path f) {
        try {
            byte[] bytes = Files.readAllBytes(f);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(f + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + f + ": " + e.getMessage(), e);
        }
    }

    /** A classpath resource as UTF-8 text, or null when it is missing (also used by {@link RuleFragments}). */
    static String resource(String name) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = RuleLoader.class.getClassLoader();
        }
        InputStream in = cl.getResourceAsStream(name);
        if (in == null) {
            in = RuleLoader.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null) {
            return null;
        }
        try (InputStream stream = in) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + name, e);
        }
    }
}
