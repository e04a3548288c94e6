package io.threatmon.engine.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.threatmon.engine.internal.AnalysisCache;
import io.threatmon.engine.text.Normalizer;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one rule pack from YAML text into a {@link RulePack}: the first stage of loading. Every
 * problem carries the source name and line. A pack with any error is not returned.
 *
 * <p>Both forms are accepted: the structured form ({@code rules: [{id, category, patterns, …}]})
 * and upstream's flat form ({@code patterns: [{pattern, risk_score, category, description}]}).
 * The format is documented in rules/README.md.
 *
 * <pre>{@code
 * RulePackReader.Result r = RulePackReader.read(Files.readString(path), path.toString());
 * r.problems().forEach(System.err::println);
 * if (!r.hasErrors()) collector.add(r.pack());
 * }</pre>
 */
public final class RulePackReader {

    /** What reading one source produced. {@code pack} is null when there are errors. */
    public record Result(RulePack pack, List<Problem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError);
        }
    }

    private static final Set<String> PACK_FIELDS = Set.of(
            "pack", "name", "version", "description", "author", "license", "rules", "patterns",
            "disable", "metadata", "fragments");
    private static final Set<String> RULE_FIELDS = Set.of(
            "id", "name", "category", "severity", "risk", "patterns", "requires", "unless", "unless_overlapping",
            "direction", "views", "tags", "description", "references", "status", "enabled",
            "examples", "test_cases", "metadata", "threshold", "lifts_exemptions", "requires_at_least");
    private static final Set<String> FLAT_FIELDS = Set.of(
            "id", "name", "pattern", "patterns", "risk_score", "risk", "severity", "category",
            "description", "tags", "references", "enabled");
    private static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated");
    private static final java.util.regex.Pattern ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final java.util.regex.Pattern OWASP_2023 =
            java.util.regex.Pattern.compile("LLM(0[1-9]|10)");

    private static final java.util.regex.Pattern FRAGMENT_NAME =
            java.util.regex.Pattern.compile("[a-z][a-z0-9_]*");
    private static final java.util.regex.Pattern FRAGMENT_REF =
            java.util.regex.Pattern.compile("\\{\\{([^{}]*)\\}\\}");

    private final String source;
    private final List<Problem> problems = new ArrayList<>();
    /** This pack's own {@code fragments:}; they shadow the bundled library's of the same name. */
    private final Map<String, String> fragments = new LinkedHashMap<>();

    private RulePackReader(String source) {
        this.source = source;
    }

    /**
     * Reads a pack.
     *
     * @param yaml   the file's text
     * @param source a name for messages (a path, or {@code bundled:prompt_injection.yml})
     */
    public static Result read(String yaml, String source) {
        RulePackReader reader = new RulePackReader(source);
        RulePack pack = reader.readPack(yaml);
        boolean failed = reader.problems.stream().anyMatch(Problem::isError);
        return new Result(failed ? null : pack, reader.problems);
    }

    /** Compiles a regex exactly as the engine will, so readers and compiler agree. */
    public static Pattern compileRegex(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
    }

    /** The largest rule file read, in code points (SnakeYAML's default is 3 MB). */
    static final int MAX_CODE_POINTS = 32 * 1024 * 1024;

    /**
     * The YAML node tree of {@code yaml}, or null with a located error when it is not valid YAML
     * (also null, without an error, for an empty file).
     */
    private Node compose(String yaml) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            // SnakeYAML stops at 3 MB by default; `rules export` of the bundled packs writes every
            // fragment and alias out in full (~4.5 MB), and a user's pack may be as large.
            options.setCodePointLimit(MAX_CODE_POINTS);
            return new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            // When the problem is found only at the end of the file (an unterminated quote), the
            // context mark, where the construct that failed began, is the line to fix; otherwise
            // the problem mark is, and the context is named beside it.
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String context = "";
            if (e.getContextMark() != null && e.getContext() != null) {
                int at = e.getContextMark().getLine() + 1;
                if (at != line) {
                    context = " (" + e.getContext() + " that begins on line " + at + ")";
                    boolean atEnd = e.getProblemMark() == null || e.getProblemMark().getIndex() >= yaml.length() - 1;
                    if (atEnd) {
                        line = at;
                    }
                }
            }
            error(line, "not valid YAML: " + e.getProblem() + context);
        } catch (YAMLException e) {
            error(0, "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    private RulePack readPack(String yaml) {
        Node root = compose(yaml);
        if (root == null) {
            if (problems.isEmpty()) {
                error(0, "empty rule file");
            }
            return null;
        }
        Map<String, Node> fields = mapping(root, "a rule file", PACK_FIELDS);
        if (fields == null) {
            return null;
        }
        String packName = text(fields.get("pack"), "pack");
        if (packName == null) {
            packName = baseName(source);
        }
        String version = text(fields.get("version"), "version");
        String description = text(fields.get("description"), "description");
        if (fields.containsKey("metadata")) {
            warning(line(fields.get("metadata")), "pack 'metadata' is ignored");
        }

        readFragments(fields.get("fragments"));

        List<RuleDefinition> rules = new ArrayList<>();
        List<RulePack.Toggle> toggles = new ArrayList<>();
        Node rulesNode = fields.get("rules");
        Node flatNode = fields.get("patterns");
        if (rulesNode != null && flatNode != null) {
            error(line(flatNode), "a rule file has either 'rules' or top-level 'patterns' (flat form), not both");
        } else if (rulesNode != null) {
            readRules(rulesNode, rules, toggles);
        } else if (flatNode != null) {
            readFlat(flatNode, baseName(source), rules);
        } else {
            error(line(root), "no rules: expected a 'rules' list (or upstream's flat 'patterns' list)");
        }
        for (String id : texts(fields.get("disable"), "disable")) {
            toggles.add(new RulePack.Toggle(id, false, line(fields.get("disable"))));
        }
        checkDuplicateIds(rules, toggles);
        return new RulePack(packName, version == null ? "0" : version,
                description == null ? "" : description, source, rules, toggles);
    }

    private void readRules(Node node, List<RuleDefinition> rules, List<RulePack.Toggle> toggles) {
        if (!(node instanceof SequenceNode seq)) {
            error(line(node), "'rules' must be a list of rules");
            return;
        }
        for (Node item : seq.getValue()) {
            Map<String, Node> f = mapping(item, "a rule", RULE_FIELDS);
            if (f == null) {
                continue;
            }
            if (isToggle(f)) {
                String id = text(f.get("id"), "id");
                Boolean on = bool(f.get("enabled"), "enabled");
                if (id != null && on != null) {
                    toggles.add(new RulePack.Toggle(id, on, line(item)));
                }
                continue;
            }
            RuleDefinition rule = readRule(item, f);
            if (rule != null) {
                rules.add(rule);
            }
        }
    }

    /** An entry with just {@code id} and {@code enabled} switches an earlier rule on or off. */
    private static boolean isToggle(Map<String, Node> f) {
        return f.size() == 2 && f.containsKey("id") && f.containsKey("enabled");
    }

    private RuleDefinition readRule(Node item, Map<String, Node> f) {
        int line = line(item);
        int errorsBefore = errorCount();
        String id = text(f.get("id"), "id");
        if (id == null) {
            error(line, "rule has no 'id'");
        } else if (!ID.matcher(id).matches()) {
            error(line(f.get("id")), "rule id '" + id + "' may only contain letters, digits, '_', '.', ':' and '-'");
        }
        String ref = id == null ? "rule" : "rule " + id;
        String category = category(f.get("category"), ref, line);
        Severity severity = severity(f.get("severity"));
        Integer risk = risk(f.get("risk"), "risk");
        if (severity == null && risk == null && f.get("severity") == null && f.get("risk") == null) {
            error(line, ref + " needs 'severity' (critical, high, medium, low) or 'risk' (0-100)");
        }
        List<String> patterns = regexes(f.get("patterns"), "patterns");
        if (f.get("patterns") == null) {
            error(line, ref + " has no 'patterns'");
        } else if (patterns.isEmpty() && errorCount() == errorsBefore) {
            error(line(f.get("patterns")), ref + " has an empty 'patterns' list");
        }
        List<String> requires = regexes(f.get("requires"), "requires");
        int requiresAtLeast = requiresAtLeast(f.get("requires_at_least"), requires.size());
        List<String> unless = regexes(f.get("unless"), "unless");
        List<String> unlessOverlapping = regexes(f.get("unless_overlapping"), "unless_overlapping");
        RuleDirection direction = RuleDirection.BOTH;
        String dir = text(f.get("direction"), "direction");
        if (dir != null) {
            try {
                direction = RuleDirection.parse(dir);
            } catch (IllegalArgumentException e) {
                error(line(f.get("direction")), e.getMessage());
            }
        }
        List<ViewKind> views = ViewKind.ALL;
        if (f.containsKey("views")) {
            views = new ArrayList<>();
            for (String v : texts(f.get("views"), "views")) {
                try {
                    views.add(ViewKind.parse(v));
                } catch (IllegalArgumentException e) {
                    error(line(f.get("views")), e.getMessage());
                }
            }
            if (views.isEmpty()) {
                error(line(f.get("views")), "'views' must name at least one view");
            }
        }
        List<String> tags = new ArrayList<>(texts(f.get("tags"), "tags"));
        List<String> references = new ArrayList<>(texts(f.get("references"), "references"));
        readUpstreamMetadata(f.get("metadata"), tags, references);
        if (f.containsKey("threshold")) {
            warning(line(f.get("threshold")), "per-rule 'threshold' is ignored: the client's threat threshold decides");
        }
        warnOnObsoleteTags(tags, line(f.get("tags")));
        String status = text(f.get("status"), "status");
        if (status == null) {
            status = "stable";
        } else if (!STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
            error(line(f.get("status")), "unknown status '" + status + "' (expected stable, test, experimental or deprecated)");
        }
        Boolean enabled = f.containsKey("enabled") ? bool(f.get("enabled"), "enabled") : Boolean.TRUE;
        Boolean lifts = f.containsKey("lifts_exemptions") ? bool(f.get("lifts_exemptions"), "lifts_exemptions") : Boolean.FALSE;
        List<String> match = new ArrayList<>();
        List<String> noMatch = new ArrayList<>();
        List<Integer> matchLines = new ArrayList<>();
        List<Integer> noMatchLines = new ArrayList<>();
        readExamples(f.get("examples"), match, noMatch, matchLines, noMatchLines);
        readTestCases(f.get("test_cases"), match, noMatch, matchLines, noMatchLines);

        if (errorCount() > errorsBefore) {
            return null;
        }
        if (severity == null) {
            severity = Severity.ofRisk(risk);
        }
        String name = text(f.get("name"), "name");
        String description = text(f.get("description"), "description");
        return new RuleDefinition(id, name == null ? id : name, category, severity,
                risk != null ? risk : severity.risk(), patterns, requires, unless, unlessOverlapping, direction, views,
                tags, description == null ? "" : description, references,
                status.toLowerCase(Locale.ROOT), enabled == null || enabled, match, noMatch, source, line,
                matchLines, noMatchLines, lifts != null && lifts, requiresAtLeast);
    }

    /** {@code requires_at_least}: a whole number from 1 to the number of {@code requires} regexes; 1 when absent. */
    private int requiresAtLeast(Node node, int requires) {
        String s = text(node, "requires_at_least");
        if (s == null) {
            return 1;
        }
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            error(line(node), "'requires_at_least' must be a whole number, not '" + s + "'");
            return 1;
        }
        if (n < 1 || n > requires) {
            error(line(node), "'requires_at_least' is " + n + " but the rule has " + requires
                    + " 'requires' regexes: it must be between 1 and that number");
            return 1;
        }
        return n;
    }

    private void readFlat(Node node, String fileStem, List<RuleDefinition> rules) {
        if (!(node instanceof SequenceNode seq)) {
            error(line(node), "top-level 'patterns' must be a list of {pattern, risk_score, category, description}");
            return;
        }
        int n = 0;
        for (Node item : seq.getValue()) {
            n++;
            Map<String, Node> f = mapping(item, "a pattern entry", FLAT_FIELDS);
            if (f == null) {
                continue;
            }
            int errorsBefore = errorCount();
            int line = line(item);
            String id = text(f.get("id"), "id");
            if (id == null) {
                id = fileStem + "." + n;
            }
            List<String> patterns = new ArrayList<>(regexes(f.get("pattern"), "pattern"));
            patterns.addAll(regexes(f.get("patterns"), "patterns"));
            if (!f.containsKey("pattern") && !f.containsKey("patterns")) {
                error(line, "pattern entry " + n + " has no 'pattern'");
            }
            String category = category(f.get("category"), "pattern entry " + n, line);
            Integer risk = risk(f.get("risk_score"), "risk_score");
            if (risk == null) {
                risk = risk(f.get("risk"), "risk");
            }
            Severity severity = severity(f.get("severity"));
            if (risk == null && severity == null && errorCount() == errorsBefore) {
                error(line, "pattern entry " + n + " needs 'risk_score' (0-100) or 'severity'");
            }
            String description = text(f.get("description"), "description");
            String name = text(f.get("name"), "name");
            List<String> tags = texts(f.get("tags"), "tags");
            List<String> references = texts(f.get("references"), "references");
            Boolean enabled = f.containsKey("enabled") ? bool(f.get("enabled"), "enabled") : Boolean.TRUE;
            if (errorCount() > errorsBefore) {
                continue;
            }
            if (severity == null) {
                severity = Severity.ofRisk(risk);
            }
            String title = name != null ? name : description != null ? description : id;
            rules.add(new RuleDefinition(id, title, category, severity,
                    risk != null ? risk : severity.risk(), patterns, List.of(), List.of(), List.of(),
                    RuleDirection.BOTH, ViewKind.ALL, tags, description == null ? "" : description,
                    references, "stable", enabled == null || enabled, List.of(), List.of(), source, line));
        }
    }

    private void readExamples(Node node, List<String> match, List<String> noMatch, List<Integer> matchLines,
            List<Integer> noMatchLines) {
        if (node == null) {
            return;
        }
        Map<String, Node> f = mapping(node, "'examples'", Set.of("match", "no_match"));
        if (f != null) {
            examples(f.get("match"), "examples.match", match, matchLines);
            examples(f.get("no_match"), "examples.no_match", noMatch, noMatchLines);
        }
    }

    /** {@link #texts} of an examples list, each with its line, so a failing example can be named by it. */
    private void examples(Node node, String field, List<String> texts, List<Integer> lines) {
        List<String> read = texts(node, field);
        texts.addAll(read);
        if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode) {
                    lines.add(line(item));
                }
            }
        } else {
            read.forEach(t -> lines.add(line(node)));
        }
    }

    /** Upstream's {@code test_cases: [{input, expected_result: match|no_match}]}. */
    private void readTestCases(Node node, List<String> match, List<String> noMatch, List<Integer> matchLines,
            List<Integer> noMatchLines) {
        if (node == null) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            error(line(node), "'test_cases' must be a list of {input, expected_result}");
            return;
        }
        for (Node item : seq.getValue()) {
            Map<String, Node> f = mapping(item, "a test case", Set.of("input", "expected_result", "description"));
            if (f == null) {
                continue;
            }
            String input = text(f.get("input"), "input");
            String expected = text(f.get("expected_result"), "expected_result");
            if (input == null || expected == null) {
                error(line(item), "a test case needs 'input' and 'expected_result'");
            } else if (expected.equalsIgnoreCase("match")) {
                match.add(input);
                matchLines.add(line(f.get("input")));
            } else if (expected.equalsIgnoreCase("no_match")) {
                noMatch.add(input);
                noMatchLines.add(line(f.get("input")));
            } else {
                error(line(f.get("expected_result")), "expected_result must be match or no_match, not '" + expected + "'");
            }
        }
    }

    private void readUpstreamMetadata(Node node, List<String> tags, List<String> references) {
        if (node == null) {
            return;
        }
        if (!(node instanceof MappingNode map)) {
            error(line(node), "'metadata' must be a mapping");
            return;
        }
        for (NodeTuple t : map.getValue()) {
            String key = scalarKey(t.getKeyNode());
            if ("tags".equals(key)) {
                tags.addAll(texts(t.getValueNode(), "metadata.tags"));
            } else if ("references".equals(key)) {
                references.addAll(texts(t.getValueNode(), "metadata.references"));
            } else {
                warning(line(t.getKeyNode()), "metadata field '" + key + "' is ignored");
            }
        }
    }

    private void warnOnObsoleteTags(List<String> tags, int line) {
        for (String tag : tags) {
            if (OWASP_2023.matcher(tag).matches()) {
                warning(line, "tag '" + tag + "' looks like an OWASP LLM 2023 id: use the 2025 ids ('" + tag + ":2025' if that is meant)");
            }
        }
    }

    private void checkDuplicateIds(List<RuleDefinition> rules, List<RulePack.Toggle> toggles) {
        Map<String, RuleDefinition> seen = new LinkedHashMap<>();
        for (RuleDefinition r : rules) {
            RuleDefinition first = seen.putIfAbsent(r.id(), r);
            if (first != null) {
                error(r.line(), "duplicate rule id '" + r.id() + "' (first defined at line " + first.line() + ")");
            }
        }
        Set<String> toggled = new HashSet<>();
        for (RulePack.Toggle t : toggles) {
            if (seen.containsKey(t.ruleId())) {
                error(t.line(), "rule '" + t.ruleId() + "' is defined and toggled in the same pack");
            } else if (!toggled.add(t.ruleId())) {
                warning(t.line(), "rule '" + t.ruleId() + "' is toggled twice in this pack");
            }
        }
    }

    // --- typed field access; each records a located error and returns null/empty on bad input ---

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            error(line(node), what + " must be a mapping of field: value");
            return null;
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new java.util.HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalarKey(t.getKeyNode());
            if (key == null) {
                error(line(t.getKeyNode()), "field names must be plain text");
            } else if (!allowed.contains(key)) {
                error(line(t.getKeyNode()), "unknown field '" + key + "' in " + what
                        + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            } else if (fields.containsKey(key)) {
                // SnakeYAML checks duplicate keys only when it constructs objects, and the reader
                // works on its node tree: a second 'patterns:' silently replaced the first.
                error(line(t.getKeyNode()), "duplicate field '" + key + "' in " + what
                        + " (first at line " + keyLines.get(key) + ")");
            } else {
                fields.put(key, t.getValueNode());
                keyLines.put(key, line(t.getKeyNode()));
            }
        }
        return fields;
    }

    private String text(Node node, String field) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            return v == null || v.isBlank() ? null : v.trim();
        }
        error(line(node), "'" + field + "' must be a single value");
        return null;
    }

    private List<String> texts(Node node, String field) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof ScalarNode s) {
            return s.getValue().isBlank() ? List.of() : List.of(s.getValue());
        }
        if (!(node instanceof SequenceNode seq)) {
            error(line(node), "'" + field + "' must be a list");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (item instanceof ScalarNode s) {
                out.add(s.getValue());
            } else {
                error(line(item), "every item of '" + field + "' must be a single value");
            }
        }
        return out;
    }

    private List<String> regexes(Node node, String field) {
        if (node == null) {
            return List.of();
        }
        List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        List<String> out = new ArrayList<>();
        for (Node item : items) {
            if (!(item instanceof ScalarNode s)) {
                error(line(item), "every item of '" + field + "' must be a regex string");
                continue;
            }
            String regex = s.getValue();
            if (regex.isEmpty()) {
                error(line(item), "empty regex in '" + field + "' would match everything");
                continue;
            }
            regex = expandFragments(regex, field, line(item));
            if (regex == null) {
                continue;
            }
            String bundled = AnalysisCache.bundled(regex);
            if (bundled != null) {
                // A regex of the bundled rules, checked here when the engine was built (the cache
                // holds only regexes that passed this reader). Compiling it only to check it again
                // was most of the regex compiling of every start; the engine compiles at first use.
                out.add(bundled);
                continue;
            }
            try {
                Pattern p = compileRegex(regex);
                if (com.google.re2j.ProgramExport.matchesEmpty(p)) {
                    error(line(item), "regex '" + regex + "' in '" + field + "' matches the empty string, so it would fire on every message");
                    continue;
                }
                out.add(regex);
            } catch (PatternSyntaxException e) {
                error(line(item), "bad regex in '" + field + "': " + e.getDescription()
                        + " in '" + regex + "'" + hintFor(regex));
            }
        }
        // The accent-free copies of the accepted regexes, after the written ones, so a pattern's
        // number in messages is its place in the file.
        for (String regex : List.copyOf(out)) {
            String bare = accentFree(regex);
            if (bare != null && !out.contains(bare)) {
                String bundled = AnalysisCache.bundled(bare);
                out.add(bundled != null ? bundled : bare);
            }
        }
        return out;
    }

    /**
     * True when the letters around {@code regex[i]} are one word of at most four letters, not part
     * of a phrase: the run of letters and spaces holding it has no space inside and ends there.
     */
    private static boolean isShortWord(String regex, int i) {
        int from = i;
        while (from > 0 && (Character.isLetter(regex.charAt(from - 1)) || regex.charAt(from - 1) == ' ')) {
            from--;
        }
        int to = i + 1;
        while (to < regex.length() && (Character.isLetter(regex.charAt(to)) || regex.charAt(to) == ' ')) {
            to++;
        }
        String run = regex.substring(from, to).strip();
        if (from > 0 && regex.charAt(from - 1) == '\\' && !run.isEmpty()) {
            run = run.substring(1); // "\bà": the b is the escape's, not a letter of the word
        }
        return run.indexOf(' ') < 0 && run.length() <= 4;
    }

    /**
     * {@code regex} with every accented Latin letter written as the normalized view shows it
     * ({@code "tôi là kỹ sư"} → {@code "toi la ky su"}), or null when it has none. Each such regex is
     * added to its list as a second regex: the written one matches the raw text, this one the
     * normalized view and text typed without accents. Without it a pattern with accents matched only
     * the raw text, where RE2's ASCII-only {@code \b} next to an accented letter never holds, and
     * users type many languages without accents. Null too for a letter next to a {@code -}
     * inside a character class: folding a range's end would change the range.
     */
    public static String accentFree(String regex) {
        StringBuilder out = null;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (out != null) {
                    out.append(c);
                    if (i + 1 < regex.length()) {
                        out.append(regex.charAt(i + 1));
                    }
                }
                i++;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            }
            String base = Normalizer.latinBase(c);
            if (base != null && !inClass && isShortWord(regex, i)) {
                // A short word alone would become an English one or a piece of one: "(pour|au|à)
                // (l')?bot:" read as "a bot:" flagged "a trivia bot: one question …", and "giả"
                // (fake) read as "gia" matched inside "origianl". Phrases and longer words fold.
                base = null;
            }
            if (base != null && inClass && ((i > 0 && regex.charAt(i - 1) == '-')
                    || (i + 1 < regex.length() && regex.charAt(i + 1) == '-'))) {
                return null;
            }
            if (base != null && out == null) {
                out = new StringBuilder(regex.length()).append(regex, 0, i);
            }
            if (out != null) {
                out.append(base != null ? base : String.valueOf(c));
            }
        }
        return out == null ? null : out.toString();
    }

    /**
     * Reads the pack's {@code fragments:} mapping (name: regex). A fragment must compile on its own,
     * so an error in it is reported once, at its line, rather than in every rule that uses it.
     */
    private void readFragments(Node node) {
        if (node == null) {
            return;
        }
        if (!(node instanceof MappingNode map)) {
            error(line(node), "'fragments' must be a mapping of name: regex");
            return;
        }
        for (NodeTuple t : map.getValue()) {
            String name = scalarKey(t.getKeyNode());
            int at = line(t.getKeyNode());
            if (name == null || !FRAGMENT_NAME.matcher(name).matches()) {
                error(at, "fragment name '" + name + "' must be lower-case letters, digits and '_', starting with a letter");
                continue;
            }
            if (!(t.getValueNode() instanceof ScalarNode v) || v.getValue().isEmpty()) {
                error(at, "fragment '" + name + "' must be a non-empty regex string");
                continue;
            }
            String regex = v.getValue();
            if (FRAGMENT_REF.matcher(regex).find()) {
                error(at, "fragment '" + name + "' uses another fragment: fragments cannot be nested");
                continue;
            }
            try {
                compileRegex(regex);
            } catch (PatternSyntaxException e) {
                error(at, "bad regex in fragment '" + name + "': " + e.getDescription() + hintFor(regex));
                continue;
            }
            if (fragments.put(name, regex) != null) {
                error(at, "duplicate fragment '" + name + "'");
            }
        }
    }

    /**
     * {@code regex} with every {@code {{name}}} replaced by that fragment as a non-capturing group:
     * the pack's own fragment, else the bundled library's ({@link RuleFragments}). Null, with an
     * error at {@code line}, when a name is unknown.
     */
    private String expandFragments(String regex, String field, int line) {
        if (regex.indexOf("{{") < 0) {
            return regex;
        }
        java.util.regex.Matcher m = FRAGMENT_REF.matcher(regex);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String name = m.group(1).strip();
            String fragment = fragments.getOrDefault(name, RuleFragments.bundled().get(name));
            if (fragment == null) {
                List<String> known = new ArrayList<>(fragments.keySet());
                RuleFragments.bundled().keySet().stream().filter(k -> !fragments.containsKey(k)).forEach(known::add);
                error(line, "unknown fragment '{{" + name + "}}' in '" + field + "'"
                        + (known.isEmpty() ? " (no fragments are defined)" : " (defined: " + String.join(", ", known) + ")"));
                ok = false;
                continue;
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("(?:" + fragment + ")"));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    /** The {@code fragments:} of a fragments-only file (the bundled library), or the problems in it. */
    static Map<String, String> readFragmentsFile(String yaml, String source, List<Problem> problems) {
        RulePackReader reader = new RulePackReader(source);
        Node root = reader.compose(yaml);
        Map<String, Node> fields = root == null ? null : reader.mapping(root, "a fragments file", Set.of("fragments", "description"));
        if (fields != null) {
            reader.readFragments(fields.get("fragments"));
        }
        problems.addAll(reader.problems);
        return Map.copyOf(reader.fragments);
    }

    private static String hintFor(String regex) {
        if (regex.contains("(?=") || regex.contains("(?!") || regex.contains("(?<")) {
            return " (look-around is not supported by the linear-time engine: use 'requires' or 'unless')";
        }
        if (regex.matches(".*\\\\[1-9].*")) {
            return " (back-references are not supported by the linear-time engine)";
        }
        return "";
    }

    private String category(Node node, String ref, int line) {
        String c = text(node, "category");
        if (c == null) {
            error(line, ref + " has no 'category'");
            return null;
        }
        return c.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    private Severity severity(Node node) {
        String s = text(node, "severity");
        if (s == null) {
            return null;
        }
        try {
            return Severity.parse(s);
        } catch (IllegalArgumentException e) {
            error(line(node), e.getMessage());
            return null;
        }
    }

    private Integer risk(Node node, String field) {
        String s = text(node, field);
        if (s == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || v > 100) {
                error(line(node), "'" + field + "' must be between 0 and 100, not " + s);
                return null;
            }
            return (int) Math.round(v);
        } catch (NumberFormatException e) {
            error(line(node), "'" + field + "' must be a number 0-100, not '" + s + "'");
            return null;
        }
    }

    private Boolean bool(Node node, String field) {
        String s = text(node, field);
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> {
                error(line(node), "'" + field + "' must be true or false, not '" + s + "'");
                yield null;
            }
        };
    }

    private static String scalarKey(Node key) {
        return key instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private int errorCount() {
        return (int) problems.stream().filter(Problem::isError).count();
    }

    private void error(int line, String message) {
        problems.add(Problem.error(source, line, message));
    }

    private void warning(int line, String message) {
        problems.add(Problem.warning(source, line, message));
    }

    static String baseName(String source) {
        String name = source.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.substring(name.lastIndexOf(':') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
