package io.threatmon.engine.rules;

import io.threatmon.engine.internal.AhoCorasick;
import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.internal.RegexAtoms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A compiled, immutable, thread-safe set of rules: what the analyzer runs. Build one with
 * {@link RuleCollector}, or let {@code ThreatClient.builder()} do it.
 *
 * <pre>{@code
 * RuleSet rules = new RuleCollector().add(pack).compile();
 * rules.rule("pi.ignore_previous").ifPresent(r -> System.out.println(r.name()));
 * }</pre>
 */
public final class RuleSet {

    private final List<CompiledRule> enabled;
    private final Map<String, RuleDefinition> all;
    private final List<PackInfo> packs;
    private final List<Problem> warnings;
    private final int regexCount;
    private final AhoCorasick atoms;
    /**
     * Per atom (keyword index), what a hit means: {@code regex << 6 | guards << 4 | slot}, slot 0
     * for a regex's main atoms and slot g + 1 for its further required set g (hits recorded with
     * their spans, for windows); guards ({@link RegexAtoms#GUARD_LEFT}, {@link RegexAtoms#GUARD_RIGHT})
     * say a hit counts only with a non-letter beside it. Main atoms (slot 0) and further
     * required sets are kept apart, for the two passes of {@link #scan(String, AtomHits)}.
     */
    private final Entries mainEntries;
    private final Entries moreEntries;
    /** Per regex id, the bit mask of further required sets that must all occur. */
    private final long[] need;
    /** Per regex id, the index of its rule in {@link #rules()} when it is a pattern (not requires/unless), else -1. */
    private final int[] patternRule;
    /** Rules with a pattern the prefilter cannot gate: candidates for every text. */
    private final int[] alwaysRun;
    /**
     * Regexes gated by rare characters instead of atoms: per regex, sets of code point ranges a
     * text must have a character from, every one of them ({@code a = b + c}: "=" and "+").
     */
    private final int[] gatedIds;
    private final int[][][][] gatedSets;
    /** The same sets' ASCII characters as two 64-bit masks per set (characters 0-63, 64-127). */
    private final long[][][] gatedAscii;
    /** Union of the gated ranges within the BMP, and whether any lies beyond it. */
    private final boolean[] rareBmp;
    private final boolean rareSupplementary;
    /**
     * Per regex id, for regexes gated by atoms that also need some ASCII punctuation in every match
     * ({@code [ai: ...]} needs "["; {@code a + b} needs "+"): an index into {@link #checkedAscii}, or -1.
     * Atoms that are common words let such a regex through for most texts; the character often
     * does not occur, and then the regex is ruled out before its DFA reads anything.
     */
    private final int[] checkedIndex;
    /** Per checked regex, its ASCII-only character sets as two 64-bit masks per set. */
    private final long[][][] checkedAscii;

    private RuleSet(List<CompiledRule> enabled, Map<String, RuleDefinition> all, List<PackInfo> packs,
            List<Problem> warnings) {
        this.enabled = List.copyOf(enabled);
        this.all = all;
        this.packs = List.copyOf(packs);
        this.warnings = List.copyOf(warnings);
        Map<String, List<Integer>> byAtom = new LinkedHashMap<>();
        List<CompiledRule.Regex> gated = new ArrayList<>();
        List<Integer> always = new ArrayList<>();
        int count = 0;
        for (CompiledRule rule : enabled) {
            count += rule.regexCount();
        }
        this.need = new long[count];
        this.patternRule = new int[count];
        java.util.Arrays.fill(patternRule, -1);
        for (int ruleIndex = 0; ruleIndex < enabled.size(); ruleIndex++) {
            CompiledRule rule = enabled.get(ruleIndex);
            for (CompiledRule.Regex r : rule.patternRegexes()) {
                patternRule[r.id()] = ruleIndex;
            }
            if (rule.alwaysRuns()) {
                always.add(ruleIndex);
            }
            for (CompiledRule.Regex r : rule.regexes()) {
                if (r.hasAtoms()) {
                    int guards = r.analysis().guards(0);
                    for (String atom : r.analysis().atoms()) {
                        byAtom.computeIfAbsent(atom, a -> new ArrayList<>()).add(r.id() << 6 | guards << 4);
                    }
                    List<List<String>> more = r.analysis().alsoRequired();
                    for (int g = 0; g < more.size(); g++) {
                        need[r.id()] |= 1L << g;
                        int moreGuards = r.analysis().guards(g + 1);
                        for (String atom : more.get(g)) {
                            byAtom.computeIfAbsent(atom, a -> new ArrayList<>()).add(r.id() << 6 | moreGuards << 4 | (g + 1));
                        }
                    }
                } else if (r.gated()) {
                    gated.add(r);
                }
            }
        }
        this.alwaysRun = always.stream().mapToInt(Integer::intValue).toArray();
        this.gatedIds = gated.stream().mapToInt(CompiledRule.Regex::id).toArray();
        this.gatedSets = gated.stream()
                .map(r -> r.analysis().rareCharSets().stream().map(set -> set.toArray(int[][]::new)).toArray(int[][][]::new))
                .toArray(int[][][][]::new);
        boolean[] bmp = new boolean[0x10000];
        boolean supplementary = false;
        this.gatedAscii = new long[gatedSets.length][][];
        for (int g = 0; g < gatedSets.length; g++) {
            gatedAscii[g] = new long[gatedSets[g].length][2];
            for (int set = 0; set < gatedSets[g].length; set++) {
                for (int[] range : gatedSets[g][set]) {
                    for (int c = range[0]; c <= Math.min(range[1], 0xFFFF); c++) {
                        bmp[c] = true;
                        if (c < 128) {
                            gatedAscii[g][set][c >> 6] |= 1L << (c & 63);
                        }
                    }
                    supplementary |= range[1] > 0xFFFF;
                }
            }
        }
        this.checkedIndex = new int[count];
        java.util.Arrays.fill(checkedIndex, -1);
        List<long[][]> checked = new ArrayList<>();
        for (CompiledRule rule : enabled) {
            for (CompiledRule.Regex r : rule.regexes()) {
                if (!r.hasAtoms() || checkedIndex[r.id()] >= 0) {
                    continue; // no atoms, or an exemption shared with an earlier rule
                }
                // ASCII sets only: a non-ASCII set (a CJK character) would add to the characters the
                // text loop must remember, and CJK texts would fill that list.
                List<long[]> masks = new ArrayList<>();
                for (List<int[]> set : r.analysis().rareCharSets()) {
                    long[] mask = asciiMask(set);
                    if (mask != null) {
                        masks.add(mask);
                        for (int c = 0; c < 128; c++) {
                            bmp[c] |= (mask[c >> 6] >>> (c & 63) & 1) != 0;
                        }
                    }
                }
                if (!masks.isEmpty()) {
                    checkedIndex[r.id()] = checked.size();
                    checked.add(masks.toArray(long[][]::new));
                }
            }
        }
        this.checkedAscii = checked.toArray(long[][][]::new);
        this.rareBmp = bmp;
        this.rareSupplementary = supplementary;
        this.regexCount = count;
        this.atoms = new AhoCorasick(new ArrayList<>(byAtom.keySet()));
        // Plain loops: ~26,000 atoms, and a stream pipeline per atom was a visible part of a
        // one-shot command's start-up, before the compiler had warmed up.
        this.mainEntries = new Entries(byAtom.size());
        this.moreEntries = new Entries(byAtom.size());
        for (List<Integer> ids : byAtom.values()) {
            mainEntries.startAtom();
            moreEntries.startAtom();
            for (int e : ids) {
                ((e & 15) == 0 ? mainEntries : moreEntries).addDistinct(e);
            }
        }
        mainEntries.finish();
        moreEntries.finish();
    }

    /** A character set as two 64-bit masks (characters 0-63, 64-127), or null when it reaches beyond ASCII. */
    private static long[] asciiMask(List<int[]> set) {
        long[] mask = new long[2];
        for (int[] range : set) {
            if (range[1] >= 128) {
                return null;
            }
            for (int c = range[0]; c <= range[1]; c++) {
                mask[c >> 6] |= 1L << (c & 63);
            }
        }
        return mask;
    }

    /**
     * Per atom, its entries, all in one array ({@code data[from[atom], from[atom + 1])}): the
     * scan reads them for each of a text's ~100 atom hits, and one array of arrays cost a
     * pointer chase, usually a cache miss, per hit.
     */
    private static final class Entries {
        private final int[] from;
        private int[] data = new int[1024];
        private int atoms;
        private int size;

        Entries(int atomCount) {
            from = new int[atomCount + 1];
        }

        void startAtom() {
            from[atoms++] = size;
        }

        /** Appends {@code e} to the current atom's entries unless it is there already. */
        void addDistinct(int e) {
            for (int i = from[atoms - 1]; i < size; i++) {
                if (data[i] == e) {
                    return;
                }
            }
            if (size == data.length) {
                data = java.util.Arrays.copyOf(data, size * 2);
            }
            data[size++] = e;
        }

        void finish() {
            from[atoms] = size;
            data = java.util.Arrays.copyOf(data, size);
        }
    }

    /** A reusable hit buffer for {@link #scan(String, AtomHits)}; used by one analysis at a time (not thread-safe). */
    public AtomHits newHits() {
        return new AtomHits(need);
    }

    /**
     * Scans {@code text} once for the literal atoms of every rule; pass the result to
     * {@link #find(CompiledRule, String, AtomHits)} for that same text.
     */
    public AtomHits scan(String text) {
        return scan(text, newHits());
    }

    /** Like {@link #scan(String)}, reusing {@code hits} (from {@link #newHits()}, cleared first). */
    public AtomHits scan(String text, AtomHits hits) {
        hits.reset();
        hits.text(text);
        char[] chars = hits.chars();
        int n = text.length();
        // Two passes over the automaton's hits: a regex's further required sets are recorded
        // only once one of its main atoms occurred. Further sets are often common words ("code",
        // "list", "how to "), and most of their hits in ordinary text are for regexes whose main
        // atoms never occur, so recording them all cost more than the scan. Each set's hits
        // still come in text order.
        AhoCorasick.HitList raw = hits.raw();
        atoms.scan(chars, n, raw);
        for (int pass = 0; pass < 2; pass++) {
            Entries entries = pass == 0 ? mainEntries : moreEntries;
            int[] from = entries.from;
            int[] data = entries.data;
            for (int h = 0; h < raw.count(); h++) {
                int keyword = raw.keyword(h);
                int first = from[keyword];
                int last = from[keyword + 1];
                if (first == last) {
                    continue;
                }
                int end = raw.end(h);
                int start = end - atoms.length(keyword);
                // Which guards this occurrence fails: a letter just before or just after it.
                int failed = (start > 0 && RegexAtoms.isAsciiLetter(chars[start - 1]) ? RegexAtoms.GUARD_LEFT : 0)
                        | (end < n && RegexAtoms.isAsciiLetter(chars[end]) ? RegexAtoms.GUARD_RIGHT : 0);
                for (int k = first; k < last; k++) {
                    int entry = data[k];
                    if ((entry >>> 4 & failed) == 0 && (pass == 0 || hits.wasTouched(entry >>> 6))) {
                        hits.add(entry >>> 6, entry & 15, start, end);
                    }
                }
            }
        }
        if (gatedIds.length > 0 || checkedAscii.length > 0) {
            markRareCharacters(hits);
        }
        return hits;
    }

    /**
     * The indices (into {@link #rules()}, ascending) of the rules that can fire on the text
     * {@code hits} came from: those with a pattern whose atoms all occurred, and those the
     * prefilter cannot gate. Every other rule is known not to fire, so it is not even looked at:
     * the cost per text grows with what the text contains, not with the number of rules.
     */
    public int[] candidates(AtomHits hits) {
        int[] out = new int[hits.touchedCount() + alwaysRun.length];
        int n = 0;
        for (int i = 0; i < hits.touchedCount(); i++) {
            int regex = hits.touched(i);
            if (patternRule[regex] >= 0 && hits.any(regex)) {
                out[n++] = patternRule[regex];
            }
        }
        System.arraycopy(alwaysRun, 0, out, n, alwaysRun.length);
        n += alwaysRun.length;
        java.util.Arrays.sort(out, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || out[unique - 1] != out[i]) {
                out[unique++] = out[i];
            }
        }
        return java.util.Arrays.copyOf(out, unique);
    }

    /** Distinct non-ASCII rare characters remembered per text. */
    private static final int MAX_SEEN = 64;

    private void markRareCharacters(AtomHits hits) {
        char[] text = hits.chars();
        int n = hits.length();
        int[] seen = null;
        int count = 0;
        // More distinct rare characters than are worth remembering: every set counts as present.
        boolean full = false;
        // ASCII "rare" characters are punctuation that most texts contain many times: collect
        // them as a 128-bit set (no search per occurrence) and map them to regexes afterwards.
        long ascii0 = 0;
        long ascii1 = 0;
        for (int i = 0; i < n; i++) {
            char c = text[i];
            if (c < 128) {
                if (rareBmp[c]) {
                    if (c < 64) {
                        ascii0 |= 1L << c;
                    } else {
                        ascii1 |= 1L << (c - 64);
                    }
                }
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text[i + 1])) {
                if (!rareSupplementary) {
                    continue;
                }
                cp = Character.toCodePoint(c, text[i + 1]);
                i++;
            } else if (!rareBmp[c]) {
                continue;
            }
            if (full) {
                continue;
            }
            if (seen == null) {
                seen = new int[8];
            }
            if (indexOf(seen, count, cp) < 0) {
                if (count == MAX_SEEN) {
                    full = true;
                    continue;
                }
                if (count == seen.length) {
                    seen = java.util.Arrays.copyOf(seen, count * 2);
                }
                seen[count++] = cp;
            }
        }
        for (int i = 0; i < hits.touchedCount(); i++) {
            int regex = hits.touched(i);
            int c = checkedIndex[regex];
            if (c >= 0) {
                for (long[] mask : checkedAscii[c]) {
                    if ((mask[0] & ascii0) == 0 && (mask[1] & ascii1) == 0) {
                        hits.veto(regex);
                        break;
                    }
                }
            }
        }
        for (int g = 0; g < gatedIds.length; g++) {
            boolean all = true;
            for (int set = 0; set < gatedSets[g].length && all; set++) {
                long[] mask = gatedAscii[g][set];
                all = full || (mask[0] & ascii0) != 0 || (mask[1] & ascii1) != 0
                        || (count > 0 && anyInRanges(seen, count, gatedSets[g][set]));
            }
            if (all) {
                hits.add(gatedIds[g], 0, 0);
            }
        }
    }

    private static int indexOf(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean anyInRanges(int[] cps, int n, int[][] ranges) {
        for (int i = 0; i < n; i++) {
            for (int[] r : ranges) {
                if (cps[i] >= r[0] && cps[i] <= r[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where {@code rule} fires in {@code text} ({start, end}), or null; {@code hits} from {@link #scan(String)}. */
    public int[] find(CompiledRule rule, String text, AtomHits hits) {
        return rule.find(text, hits);
    }

    /**
     * Where {@code rule} matches in {@code text} with its exemptions set aside, given the hits of
     * {@link #scan(String, AtomHits)} for that text; null if no pattern (and requires) matches. For
     * texts where a rule with {@code lifts_exemptions} fired.
     */
    public int[] findIgnoringExemptions(CompiledRule rule, String text, AtomHits hits) {
        return rule.find(text, hits, false);
    }

    /**
     * Whether {@code rule}'s words are in {@code text} (its patterns and {@code requires}) while it
     * does not fire there: an exemption holds. False for a rule without exemptions. {@code hits}
     * must come from {@link #scan} of {@code text}.
     */
    public boolean exempted(CompiledRule rule, String text, AtomHits hits) {
        return rule.hasExemptions() && rule.find(text, hits) == null && rule.patternMatches(text, hits);
    }

    /** Where {@code rule} fires in {@code text}, scanning for atoms first; for one-off checks. */
    public int[] find(CompiledRule rule, String text) {
        return rule.find(text, scan(text));
    }

    /** Number of distinct literal atoms in the prefilter. */
    public int atomCount() {
        return atoms.size();
    }

    /**
     * Per enabled rule, per pattern, in how many of {@code texts} the pattern is a candidate: its
     * atoms (or rare characters) all occur in one of the text's views, so its regex runs there. A
     * pattern that is a candidate for most ordinary texts is gated by common words only, which a
     * rule writer cannot see from the regex (a large alternation's atom set is dropped when it is
     * too big to be worth a lookup). Patterns without any atom count every text (see
     * {@link #rulesWithoutAtoms()}).
     *
     * <pre>{@code
     * Map<CompiledRule, int[]> counts = rules.patternCandidacy(List.of("Can you help me plan a trip?"));
     * }</pre>
     */
    public Map<CompiledRule, int[]> patternCandidacy(List<String> texts) {
        int[] perRegex = new int[regexCount];
        AtomHits hits = newHits();
        for (String text : texts) {
            boolean[] seen = new boolean[regexCount];
            for (io.threatmon.engine.text.TextView view : io.threatmon.engine.text.TextViews.of(text)) {
                scan(view.text(), hits);
                for (int i = 0; i < hits.touchedCount(); i++) {
                    int regex = hits.touched(i);
                    seen[regex] |= hits.any(regex);
                }
            }
            for (int regex = 0; regex < regexCount; regex++) {
                perRegex[regex] += seen[regex] ? 1 : 0;
            }
        }
        Map<CompiledRule, int[]> counts = new LinkedHashMap<>();
        for (CompiledRule rule : enabled) {
            List<CompiledRule.Regex> patterns = rule.patternRegexes();
            int[] c = new int[patterns.size()];
            for (int k = 0; k < c.length; k++) {
                CompiledRule.Regex r = patterns.get(k);
                c[k] = r.gated() ? perRegex[r.id()] : texts.size();
            }
            counts.put(rule, c);
        }
        return counts;
    }

    /** Enabled rules with a pattern that has no usable literal atom (they run on every text). */
    public List<CompiledRule> rulesWithoutAtoms() {
        return enabled.stream().filter(CompiledRule::alwaysRuns).toList();
    }

    static RuleSet compile(List<RuleDefinition> definitions, List<RulePack> packs, List<Problem> warnings) {
        List<CompiledRule> compiled = new ArrayList<>();
        List<Problem> errors = new ArrayList<>();
        Map<String, RuleDefinition> all = new LinkedHashMap<>();
        List<RuleDefinition> enabled = new ArrayList<>();
        for (RuleDefinition d : definitions) {
            all.put(d.id(), d);
            if (d.enabled()) {
                enabled.add(d);
            }
        }
        int[][] regexIds = regexIds(enabled);
        // Rules compile independently (regex ids are known in advance), so they compile on all
        // cores: ~1.7x faster once the code is warm (reloads, tests); in a fresh JVM the JIT, not
        // the cores, limits it (~10%). The set and its errors come out in load order whatever the
        // scheduling.
        ConcurrentMap<String, CompiledRule.Shared> shared = new ConcurrentHashMap<>();
        Object[] outcomes = java.util.stream.IntStream.range(0, enabled.size()).parallel().mapToObj(i -> {
            try {
                return (Object) new CompiledRule(enabled.get(i), regexIds[i], shared);
            } catch (RuntimeException e) {
                return e;
            }
        }).toArray();
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] instanceof CompiledRule rule) {
                compiled.add(rule);
            } else {
                RuleDefinition d = enabled.get(i);
                errors.add(Problem.error(d.source(), d.line(),
                        "rule '" + d.id() + "' does not compile: " + ((RuntimeException) outcomes[i]).getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleLoadException(errors);
        }
        List<PackInfo> infos = new ArrayList<>();
        for (RulePack p : packs) {
            infos.add(new PackInfo(p.name(), p.version(), p.source(), p.rules().size()));
        }
        // Kept in load order: a set rebuilt from definitionsInLoadOrder() breaks ties between
        // equally risky rules the same way (rules export).
        return new RuleSet(compiled, java.util.Collections.unmodifiableMap(all), infos, warnings);
    }

    /**
     * Per rule, the ids of its regexes ({@link RuleDefinition#regexes()} order): one each, except
     * that an exemption written the same way in several rules has one id in all of them, and so has
     * a {@code requires}. Why: the quotation-cue fragments are exemptions of ~100 rules, and every
     * occurrence of one of their atoms ("text", "line", "such as") was recorded ~100 times per
     * view, while an exemption only asks whether its atoms occurred and reads its sentence with a
     * DFA that does not depend on the rule; a {@code requires} only asks whether it matches in the
     * text, so rules that count the same signals ({@code requires_at_least}) share the answer
     * ({@link AtomHits#found}). Ids stay below the number of regexes; an id given to no regex is
     * never touched.
     */
    static int[][] regexIds(List<RuleDefinition> rules) {
        int[][] out = new int[rules.size()][];
        Map<String, Integer> exemptions = new java.util.HashMap<>();
        Map<String, Integer> requires = new java.util.HashMap<>();
        int next = 0;
        for (int i = 0; i < rules.size(); i++) {
            RuleDefinition d = rules.get(i);
            int requiresFrom = d.patterns().size();
            int exemptionsFrom = requiresFrom + d.requires().size();
            List<String> regexes = d.regexes();
            out[i] = new int[regexes.size()];
            for (int k = 0; k < regexes.size(); k++) {
                int id = next++;
                out[i][k] = k < requiresFrom ? id
                        : k < exemptionsFrom ? requires.computeIfAbsent(regexes.get(k), r -> id)
                        : exemptions.computeIfAbsent(regexes.get(k), r -> id);
            }
        }
        return out;
    }

    /** The enabled rules, in load order. */
    public List<CompiledRule> rules() {
        return enabled;
    }

    /** Every rule, including disabled ones, by id. */
    public Optional<RuleDefinition> rule(String id) {
        return Optional.ofNullable(all.get(id));
    }

    /** Every rule definition, including disabled ones, sorted by id (for listings). */
    public List<RuleDefinition> definitions() {
        return all.values().stream()
                .sorted(java.util.Comparator.comparing(RuleDefinition::id))
                .toList();
    }

    /**
     * Every rule definition, including disabled ones, in load order: the order in which a pack
     * written from them loads them again, so the rebuilt set gives the same verdicts (which of two
     * equally risky rules names the threat type follows load order).
     */
    public List<RuleDefinition> definitionsInLoadOrder() {
        return List.copyOf(all.values());
    }

    /** Number of enabled rules. */
    public int size() {
        return enabled.size();
    }

    /** Total number of regexes across enabled rules (patterns, requires and both kinds of unless). */
    public int patternCount() {
        return enabled.stream().mapToInt(r -> r.definition().regexes().size()).sum();
    }

    /** The categories the enabled rules detect, sorted. */
    public List<String> categories() {
        return List.copyOf(new TreeSet<>(enabled.stream().map(CompiledRule::category).toList()));
    }

    /** The packs this set was built from, in load order. */
    public List<PackInfo> packs() {
        return packs;
    }

    /** Warnings from reading and merging (the set loaded despite them). */
    public List<Problem> warnings() {
        return warnings;
    }
}
