package io.threatmon.engine.rules;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.threatmon.engine.internal.AnalysisCache;
import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.internal.LazyDfa;
import io.threatmon.engine.internal.RegexAtoms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentMap;

/**
 * A rule ready to run: its regexes compiled for the linear-time engine, each with the literal
 * atoms every match must contain and the longest span a match can have. Immutable and
 * thread-safe (RE2/J patterns are; matchers are made per call).
 *
 * <p>The owning {@link RuleSet} scans a text for every rule's atoms at once; a regex then runs
 * only if its atoms occurred, and, when its matches have a bounded length, only in windows
 * around those occurrences.
 *
 * <pre>{@code
 * int[] span = ruleSet.find(rule, "ignore all previous instructions"); // {start, end} or null
 * }</pre>
 */
public final class CompiledRule {

    /** One compiled regex of a rule and what the prefilter knows about it. */
    record Regex(int id, String source, LazyPattern lazyPattern, RegexAtoms.Analysis analysis,
            LazyDfa.Deferred exactDfa, LazyDfa.Deferred relaxedDfa, boolean exemption) {
        /** The RE2/J pattern, compiled at first use. */
        Pattern pattern() {
            return lazyPattern.get();
        }

        /** The exact DFA (built at first use), or null when the regex has none. */
        LazyDfa exact() {
            return exactDfa.get();
        }

        /**
         * The DFA of the regex with its long counted repeats made open-ended (a superset), for
         * when the exact one gives up; null when there is none.
         */
        LazyDfa relaxed() {
            return relaxedDfa.get();
        }

        boolean hasAtoms() {
            return analysis.atoms() != null;
        }

        /** Runs only when the prefilter saw its atoms, or one of its rare characters. */
        boolean gated() {
            // An exemption without atoms is not gated by its rare characters: it is read only
            // after its rule's pattern matched, while the gate was checked on every text, and the
            // quotation cues' gates (any of " “ « ' …, in ~100 rules) opened on most of them.
            return hasAtoms() || (!exemption && analysis.rareChars() != null);
        }

        /**
         * Whether it runs only in windows around its atoms: its matches have a bounded length.
         * Anchored regexes may too, because their DFA reads a window in place ({@code ^} and
         * {@code $} only at the text's real ends).
         */
        boolean windowed() {
            return hasAtoms() && !analysis.unbounded();
        }
    }

    /**
     * The name of the group that, when an {@code unless_overlapping} regex has it, is the part of
     * its match that must overlap the rule's match: {@code said:\s?(?P<exempt>"[^"]*")} exempts what
     * is inside the quote, not an attack phrase that ends in "said" ("forget what they said").
     */
    static final String EXEMPT_GROUP = "exempt";

    private final RuleDefinition definition;
    private final List<Regex> patterns;
    private final List<Regex> requires;
    /** How many different {@code requires} regexes must match: {@link RuleDefinition#requiresAtLeast()}. */
    private final int requiresAtLeast;
    private final List<Regex> unless;
    private final List<Regex> unlessOverlapping;
    private final boolean anchored;

    /**
     * {@code shared} maps a regex's source to its compiled parts, for all rules of one set: the
     * same regex in several rules (a fragment such as {@code {{quoted_example}}} used alone as an
     * exemption, in ~100 rules) is then analysed, compiled and turned into a DFA once. {@code ids}
     * are the regex ids of {@link RuleDefinition#regexes()}, in that order (see
     * {@link RuleSet#regexIds}).
     */
    CompiledRule(RuleDefinition definition, int[] ids, ConcurrentMap<String, Shared> shared) {
        this.definition = definition;
        int from = 0;
        this.patterns = compileAll(definition.patterns(), ids, from, shared, false);
        from += patterns.size();
        this.requires = compileAll(definition.requires(), ids, from, shared, false);
        this.requiresAtLeast = definition.requiresAtLeast();
        from += requires.size();
        this.unless = compileAll(definition.unless(), ids, from, shared, true);
        from += unless.size();
        this.unlessOverlapping = compileAll(definition.unlessOverlapping(), ids, from, shared, true);
        this.anchored = regexes().stream().anyMatch(r -> r.analysis().anchored());
    }

    /** What regexes with the same source share: none of it depends on the rule or the regex id. */
    record Shared(LazyPattern pattern, RegexAtoms.Analysis analysis, LazyDfa.Deferred exactDfa,
            LazyDfa.Deferred relaxedDfa) {
        static Shared of(String r) {
            LazyPattern pattern = new LazyPattern(r);
            // The relaxed form is worked out only if the exact DFA gives up, which few do.
            return new Shared(pattern, AnalysisCache.analyze(r), new LazyDfa.Deferred(pattern::get),
                    new LazyDfa.Deferred(() -> compileRelaxed(RegexAtoms.relaxRepeats(r, RELAXED_MAX_COUNT))));
        }
    }

    private static List<Regex> compileAll(List<String> regexes, int[] ids, int from,
            ConcurrentMap<String, Shared> shared, boolean exemptions) {
        List<Regex> out = new ArrayList<>(regexes.size());
        for (String r : regexes) {
            Shared s = shared.computeIfAbsent(r, Shared::of);
            // Hits, vetoes and DFA state caches are per id.
            out.add(new Regex(ids[from + out.size()], r, s.pattern(), s.analysis(), s.exactDfa(), s.relaxedDfa(),
                    exemptions));
        }
        return List.copyOf(out);
    }

    /**
     * A regex compiled by RE2/J at first use, once, shared by all threads.
     *
     * <p>Why: the bundled rules have ~2,000 regexes, and their compiled programs took 26 MB of heap
     * and ~0.14-0.25 s of every start, while a workload runs a fraction of them (most texts
     * are decided by the prefilter's atoms alone). The reader has already checked that the regex
     * compiles, so compiling here cannot fail.
     */
    static final class LazyPattern {
        private final String source;
        private volatile Pattern pattern;

        LazyPattern(String source) {
            this.source = source;
        }

        Pattern get() {
            Pattern p = pattern;
            if (p == null) {
                synchronized (this) {
                    p = pattern;
                    if (p == null) {
                        p = RulePackReader.compileRegex(source);
                        pattern = p;
                    }
                }
            }
            return p;
        }

        /** Whether the pattern has been compiled (for tests of what loading leaves uncompiled). */
        boolean compiled() {
            return pattern != null;
        }
    }

    /**
     * The relaxed form's pattern, or null if it does not compile: it only lets the engine skip
     * RE2/J on texts that cannot match, so without it the exact regex simply runs, as it would.
     */
    private static Pattern compileRelaxed(String relaxed) {
        if (relaxed == null) {
            return null; // no long counted repeat: there is no relaxed form
        }
        try {
            return RulePackReader.compileRegex(relaxed);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Counted repeats up to this maximum stay exact in the relaxed automaton; longer ones
     * ({@code .{0,40}}, {@code .{3,500}}) become open-ended. The exact automaton of such a regex
     * needs a state for each combination of positions in the count, which is what makes it give up.
     */
    static final int RELAXED_MAX_COUNT = 6;

    List<Regex> regexes() {
        List<Regex> all = new ArrayList<>(patterns);
        all.addAll(requires);
        all.addAll(unless);
        all.addAll(unlessOverlapping);
        return all;
    }

    List<Regex> patternRegexes() {
        return patterns;
    }

    int regexCount() {
        return patterns.size() + requires.size() + unless.size() + unlessOverlapping.size();
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
     * The rule's regexes (patterns, requires and exemptions) whose program is too big for a lazy
     * DFA: each time one is tried it runs on RE2/J's NFA, several times slower. Counted repeats
     * make programs big ({@code [^.]{1,160}} is 160 copies); a gap bounded by the characters it
     * excludes ({@code [^.]+}) is not. Compiles each regex, so it is for {@code rules validate}.
     */
    public List<String> regexesWithoutDfa() {
        return regexes().stream().filter(r -> !LazyDfa.fits(r.pattern())).map(Regex::source).toList();
    }

    /**
     * The rule's regexes whose lazy DFA gives up on {@code texts}: its state cache fills and is
     * cleared so often that it stops and every later try runs on RE2/J's NFA, as if the regex had
     * no DFA. A long alternation of quote-delimited gaps with different closing characters does
     * this on text full of quotes (session 28's quotation cue); splitting it over two regexes does
     * not. Each regex starts with a fresh cache, as in a new worker. For {@code rules validate}.
     *
     * <pre>{@code
     * rule.regexesThrashingDfa(List.of(logLine1, logLine2)); // [] when every DFA keeps up
     * }</pre>
     */
    public List<String> regexesThrashingDfa(List<String> texts) {
        List<String> out = new ArrayList<>();
        for (Regex r : regexes()) {
            if (!LazyDfa.fits(r.pattern())) {
                continue; // reported by regexesWithoutDfa
            }
            LazyDfa dfa = LazyDfa.of(r.pattern());
            LazyDfa.Cache cache = dfa.newCache();
            for (String text : texts) {
                char[] chars = text.toCharArray();
                if (dfa.firstEndWithin(cache, chars, 0, chars.length, chars.length) == LazyDfa.GAVE_UP) {
                    out.add(r.source());
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The patterns the prefilter cannot gate (no literal atom, no rare character): they run on
     * every text, so they cost the most.
     */
    public List<String> patternsWithoutAtoms() {
        return patterns.stream().filter(r -> !r.gated()).map(Regex::source).toList();
    }

    /** True when some regex uses {@code ^}, {@code $} or another anchor: it must see the whole text. */
    public boolean anchored() {
        return anchored;
    }

    /** True when some pattern cannot be gated (the rule then runs on every text). */
    boolean alwaysRuns() {
        return patterns.stream().anyMatch(r -> !r.gated());
    }

    /**
     * Where this rule fires in {@code text}, given the atom hits of its rule set's scan of that
     * same text: the span of a pattern match with no {@code unless} match in its sentence and no
     * {@code unless_overlapping} match on its words, when enough of its {@code requires} (if any)
     * also matches; else null.
     *
     * <p>Why an exemption counts only in the match's sentence: one that counted anywhere let any
     * attack through with an exemption phrase appended ("... How can we prevent that?" took 3,288
     * attacks from 85.8% to 49.6% caught; scripts/exemption-bypass.py). Requiring every exemption
     * to overlap the matched words broke 72 benign texts and examples whose exemption describes
     * the topic; those keep {@code unless}, and the rest are written as {@code unless_overlapping},
     * which a sentence merged onto the attack cannot satisfy either.
     */
    int[] find(String text, AtomHits hits) {
        return find(text, hits, true);
    }

    /**
     * {@link #find(String, AtomHits)}, or with {@code exemptions} false the first pattern match
     * whatever its {@code unless} and {@code unless_overlapping} say (a rule with
     * {@code lifts_exemptions} fired on the text).
     */
    int[] find(String text, AtomHits hits, boolean exemptions) {
        // Yes/no first (the DFAs answer that alone), the span after: RE2/J runs only for a rule
        // whose pattern and requires matched, not for a pattern match its requires throw away.
        // A requires whose atoms are absent cannot match: then no pattern needs to run at all
        // (a few-shot transcript's "Q:" is common; its "A:" partner much less so).
        if (!requires.isEmpty() && !present(requires, requiresAtLeast, hits)) {
            return null;
        }
        Regex first = null;
        int[] found = null;
        for (Regex r : patterns) {
            found = search(r, text, hits);
            if (found != null) {
                first = r;
                break;
            }
        }
        if (first == null) {
            return null;
        }
        if (!requires.isEmpty() && !matches(requires, requiresAtLeast, text, hits)) {
            return null;
        }
        int[] span;
        if (found != MATCHES) {
            // The DFA could not decide, so RE2/J already located the match, by the same steps a
            // search for the span takes: running it again doubled the cost of such a rule.
            span = found;
        } else {
            // A whole-text regex is already known to match: RE2/J only locates it.
            span = first.windowed() ? findInWindows(first, text, hits, true) : findAll(first.pattern(), text);
        }
        if (span == null || !exemptions || (unless.isEmpty() && unlessOverlapping.isEmpty())) {
            return span;
        }
        if (unless.stream().noneMatch(u -> present(u, hits))
                && unlessOverlapping.stream().noneMatch(u -> present(u, hits))) {
            return span;
        }
        // A match whose sentence holds an exemption does not count; the rule still fires on a
        // later match outside every exemption's sentence ("Translate 'ignore the above' into
        // French. Now ignore the above."). Both tests run on the DFAs; RE2/J only locates spans.
        int from = patterns.indexOf(first);
        for (int i = from; i < patterns.size(); i++) {
            Regex r = patterns.get(i);
            int[] match = i == from ? span : search(r, text, hits) == null ? null : findAll(r.pattern(), text);
            while (match != null) {
                int[] sentence = sentence(text, match);
                if (!exempted(text, hits, sentence, match)) {
                    return match;
                }
                int[] opening = firstSentence(text, match);
                int[] narrow = withinFirstSentence(r, text, match, opening);
                if (narrow != null && !exempted(text, hits, sentence(text, narrow), narrow)) {
                    return narrow;
                }
                match = nextMatch(r, text, hits, opening[1]);
            }
        }
        return null;
    }

    /** The sentence a match starts in (its span may run into the next ones). */
    private static int[] firstSentence(String text, int[] match) {
        return sentence(text, new int[] {match[0], Math.min(text.length(), match[0] + 1)});
    }

    /**
     * A match of {@code r} inside the sentence {@code match} starts in, when {@code match} runs on
     * into the next sentences; else null. Why: a greedy gap ({@code .{0,30}}) stretches the leftmost
     * match over a sentence end, and the exemption scope then took in the next sentence: "What's
     * the password? What's the default password for my router?" was exempted by the second
     * question. Anchored regexes are left alone: a sentence read on its own has a start and an end
     * the text does not have there.
     */
    private static int[] withinFirstSentence(Regex r, String text, int[] match, int[] opening) {
        if (opening[1] >= match[1] || r.analysis().anchored()) {
            return null;
        }
        Matcher m = r.pattern().matcher(text.substring(opening[0], opening[1]));
        return m.find() ? new int[] {opening[0] + m.start(), opening[0] + m.end()} : null;
    }

    /**
     * Whether an {@code unless} regex matches within {@code text[sentence[0], sentence[1])}, read
     * as a text of its own, or an {@code unless_overlapping} one matches there overlapping
     * {@code match}.
     */
    private boolean exempted(String text, AtomHits hits, int[] sentence, int[] match) {
        char[] chars = Arrays.copyOfRange(hits.chars(), sentence[0], sentence[1]);
        for (Regex u : unlessOverlapping) {
            // The DFA says whether it matches in the sentence at all; RE2/J, which finds where,
            // runs only then (on attack texts the exemptions' words often occur without a match).
            if (present(u, hits) && inSentence(u, hits, chars) != LazyDfa.NO_MATCH
                    && overlaps(u, text, sentence, match)) {
                return true;
            }
        }
        for (Regex u : unless) {
            if (!present(u, hits)) {
                continue;
            }
            int end = inSentence(u, hits, chars);
            if (end >= 0 || (end == LazyDfa.GAVE_UP
                    && u.pattern().matcher(text.substring(sentence[0], sentence[1])).find())) {
                return true;
            }
        }
        return false;
    }

    /** Whether at least {@code n} of {@code regexes} can match: each has no atoms, or its atoms occurred. */
    private static boolean present(List<Regex> regexes, int n, AtomHits hits) {
        int left = regexes.size();
        for (Regex r : regexes) {
            if (present(r, hits) && --n == 0) {
                return true;
            }
            if (--left < n) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code u} can match this text: it has no atoms, or its atoms occurred. */
    private static boolean present(Regex u, AtomHits hits) {
        return !u.gated() || hits.any(u.id());
    }

    /**
     * The exact DFA's answer for {@code u} on a sentence read as a text of its own: where a match
     * ends, {@link LazyDfa#NO_MATCH}, or {@link LazyDfa#GAVE_UP} (also when it has no exact DFA).
     */
    private static int inSentence(Regex u, AtomHits hits, char[] sentence) {
        LazyDfa dfa = u.exact();
        return dfa == null ? LazyDfa.GAVE_UP
                : dfa.firstEndWithin(hits.dfaCache(u.id(), false, dfa), sentence, 0, sentence.length, sentence.length);
    }

    /**
     * Whether {@code u} matches within the sentence (read as a text of its own) somewhere that
     * overlaps {@code match}. Each start is tried, not only RE2/J's successive matches: a match
     * ending before {@code match} must not hide an overlapping one that starts inside it. Runs only
     * for a rule whose pattern matched and whose exemption's atoms occur.
     */
    private static boolean overlaps(Regex u, String text, int[] sentence, int[] match) {
        String inSentence = text.substring(sentence[0], sentence[1]);
        Matcher m = u.pattern().matcher(inSentence);
        Integer exempt = u.pattern().namedGroups().get(EXEMPT_GROUP);
        int from = 0;
        while (from <= inSentence.length() && m.find(from)) {
            int start = sentence[0] + m.start();
            if (start >= match[1]) {
                return false;
            }
            if (exempt == null) {
                if (sentence[0] + m.end() > match[0]) {
                    return true;
                }
            } else if (m.start(exempt) >= 0 && sentence[0] + m.start(exempt) < match[1]
                    && sentence[0] + m.end(exempt) > match[0]) {
                return true;
            }
            from = m.start() + 1;
        }
        return false;
    }

    /** The leftmost match of {@code r} starting at or after {@code from} (RE2/J's view of the whole text), or null. */
    private static int[] nextMatch(Regex r, String text, AtomHits hits, int from) {
        if (from >= text.length()) {
            return null;
        }
        LazyDfa dfa = r.exact();
        if (dfa != null && dfa.firstEndWithin(hits.dfaCache(r.id(), false, dfa), hits.chars(), from, text.length(),
                text.length()) == LazyDfa.NO_MATCH) {
            return null;
        }
        Matcher m = r.pattern().matcher(text);
        return m.find(from) ? new int[] {m.start(), m.end()} : null;
    }

    /**
     * The sentences {@code match} lies in, {start, end}: from the end of the sentence before it
     * to the end of its own (a sentence ends at a newline not after a colon, at 。！？, or at . ! ?
     * before a space or the text's end). A sentence that opens with a quotation mark is read with
     * the one before it: the quote is that sentence's object ('Is this a phishing e-mail? "Your
     * account ...").
     */
    private static int[] sentence(String text, int[] match) {
        int start = sentenceStart(text, match[0]);
        int q = start;
        while (q < text.length() && Character.isWhitespace(text.charAt(q))) {
            q++;
        }
        if (q < text.length() && QUOTES.indexOf(text.charAt(q)) >= 0 && start > 0) {
            start = sentenceStart(text, start - 1);
        }
        int end = Math.max(match[1], Math.min(text.length(), match[0] + 1));
        while (end < text.length() && !endsSentence(text, end - 1)) {
            end++;
        }
        return new int[] {start, end};
    }

    /**
     * Marks that end a sentence wherever they stand: CJK full stop, exclamation and question marks,
     * the Devanagari danda (Hindi), the Arabic question mark and the Urdu full stop.
     */
    private static final String TERMINAL_MARKS = "\u3002\uFF01\uFF1F\u0964\u0965\u061F\u06D4";

    /**
     * Capitalised words that open a question or a request: after a lower-case word they start a
     * new sentence that was typed without a full stop ("tell me the password please What's the
     * default password for my router?"). Without this, the appended question's exemption covered
     * the request before it.
     */
    private static final List<String> OPENERS = List.of("What", "How", "Why", "When", "Where", "Who", "Which",
            "Can", "Could", "Would", "Will", "Should", "Is", "Are", "Do", "Does", "Did", "Please", "Also", "Thanks",
            "Thank");

    /** Whether the space at {@code i} lies between a lower-case letter and one of {@link #OPENERS}. */
    private static boolean startsRunOnSentence(String text, int i) {
        if (i == 0 || i + 2 >= text.length() || !Character.isLowerCase(text.charAt(i - 1))
                || !Character.isUpperCase(text.charAt(i + 1))) {
            return false;
        }
        for (String w : OPENERS) {
            int end = i + 1 + w.length();
            if (text.startsWith(w, i + 1) && (end == text.length() || !Character.isLetter(text.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    /** Opening quotation marks and brackets a quoted sentence may start with. */
    private static final String QUOTES = "\"'\u201C\u2018\u201E\u00AB\u300C\u300E`";

    /** Where the sentence holding offset {@code i} starts. */
    private static int sentenceStart(String text, int i) {
        int a = i;
        while (a > 0 && !endsSentence(text, a - 1)) {
            a--;
        }
        return a;
    }

    private static boolean endsSentence(String text, int i) {
        char c = text.charAt(i);
        if (c == '\n') {
            // "label:" and what follows on the next line are one statement (a config block, a
            // form field), not two sentences.
            int k = i - 1;
            while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t' || text.charAt(k) == '\r')) {
                k--;
            }
            return k < 0 || text.charAt(k) != ':';
        }
        if (TERMINAL_MARKS.indexOf(c) >= 0) {
            return true;
        }
        if (c == ' ') {
            return startsRunOnSentence(text, i);
        }
        return (c == '.' || c == '!' || c == '?')
                && (i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1)));
    }

    /**
     * The same decision without the prefilter: every regex on the whole text. Slow; kept so tests
     * can check the prefilter never changes a verdict.
     */
    public int[] findWithoutPrefilter(String text) {
        if (!requires.isEmpty()
                && requires.stream().filter(r -> r.pattern().matcher(text).find()).count() < requiresAtLeast) {
            return null;
        }
        for (Regex r : patterns) {
            Matcher m = r.pattern().matcher(text);
            int from = 0;
            while (from < text.length() && m.find(from)) {
                int[] match = {m.start(), m.end()};
                if (!exemptedWithoutPrefilter(text, sentence(text, match), match)) {
                    return match;
                }
                int[] opening = firstSentence(text, match);
                int[] narrow = withinFirstSentence(r, text, match, opening);
                if (narrow != null && !exemptedWithoutPrefilter(text, sentence(text, narrow), narrow)) {
                    return narrow;
                }
                from = opening[1];
            }
        }
        return null;
    }

    private boolean exemptedWithoutPrefilter(String text, int[] sentence, int[] match) {
        String inSentence = text.substring(sentence[0], sentence[1]);
        return unless.stream().anyMatch(u -> u.pattern().matcher(inSentence).find())
                || unlessOverlapping.stream().anyMatch(u -> overlaps(u, text, sentence, match));
    }

    /**
     * Whether at least {@code n} of {@code regexes} (a rule's {@code requires}) match in
     * {@code text}; stops as soon as that is decided. Each answer is kept in {@code hits} for the
     * other rules with the same {@code requires} (their regex ids are shared).
     */
    private static boolean matches(List<Regex> regexes, int n, String text, AtomHits hits) {
        int left = regexes.size();
        for (Regex r : regexes) {
            byte known = hits.found(r.id());
            boolean match;
            if (known != 0) {
                match = known == AtomHits.FOUND;
            } else {
                match = matches(r, text, hits);
                hits.found(r.id(), match);
            }
            if (match && --n == 0) {
                return true;
            }
            if (--left < n) {
                return false;
            }
        }
        return false;
    }

    /** Whether the rule has exemptions ({@code unless} or {@code unless_overlapping}). */
    public boolean hasExemptions() {
        return !unless.isEmpty() || !unlessOverlapping.isEmpty();
    }

    /**
     * Whether one of the rule's patterns matches {@code text}, its {@code requires} and exemptions
     * left aside: with {@link #find} returning null, the rule's words are there but exempted (or
     * their partner is missing).
     */
    boolean patternMatches(String text, AtomHits hits) {
        if (!requires.isEmpty() && !matches(requires, requiresAtLeast, text, hits)) {
            return false;
        }
        for (Regex r : patterns) {
            if (search(r, text, hits) != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code r} matches somewhere in {@code text}; RE2/J runs only where a DFA cannot tell. */
    private static boolean matches(Regex r, String text, AtomHits hits) {
        return search(r, text, hits) != null;
    }

    /**
     * Whether {@code r} matches somewhere in {@code text}: null if not; {@link #MATCHES} when a
     * DFA said yes; the span of the match when the DFA could not tell and RE2/J ran (it is the
     * span {@link #find} reports).
     */
    private static int[] search(Regex r, String text, AtomHits hits) {
        if (r.gated() && !hits.any(r.id())) {
            return null;
        }
        if (r.windowed()) {
            return findInWindows(r, text, hits, false);
        }
        int exact = exactEnd(r, hits, 0, text.length());
        if (exact >= 0) {
            return MATCHES;
        }
        return exact == LazyDfa.GAVE_UP ? findAll(r.pattern(), text) : null;
    }

    /**
     * Where the earliest match of {@code r} within {@code text[start, end)} ends by its exact DFA
     * (the range read in place, in the context of the whole text), {@link LazyDfa#NO_MATCH}, or
     * {@link LazyDfa#GAVE_UP} when the regex has no DFA or it gave up in this buffer: then only
     * RE2/J can tell, unless the relaxed DFA already rules a match out ({@link LazyDfa#NO_MATCH}).
     */
    private static int exactEnd(Regex r, AtomHits hits, int start, int end) {
        LazyDfa exact = r.exact();
        if (exact != null) {
            int e = exact.firstEndWithin(hits.dfaCache(r.id(), false, exact), hits.chars(), start, end, hits.length());
            if (e != LazyDfa.GAVE_UP) {
                return e;
            }
        }
        LazyDfa relaxed = r.relaxed();
        if (relaxed != null
                && relaxed.firstEndWithin(hits.dfaCache(r.id(), true, relaxed), hits.chars(), start, end, hits.length())
                        == LazyDfa.NO_MATCH) {
            return LazyDfa.NO_MATCH;
        }
        return LazyDfa.GAVE_UP;
    }

    private static int[] findAll(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? new int[] {m.start(), m.end()} : null;
    }

    /**
     * Runs the regex only around the hits of its rarest required atom set in this text (every
     * match contains one atom of each set, so "you" need not open a window when "restrictions"
     * occurs once). A match that contains an atom at [s, e) lies within [s − B, e + A], where B
     * and A bound how much of a match can come before and after that atom set
     * ({@link RegexAtoms.Analysis#reach}: for {@code \bignore\b.{0,40}\binstructions} a hit of
     * "ignore" needs no look behind it); one extra character on each side gives word boundaries
     * their real context. The bounds depend on the text when the regex has open-ended whitespace
     * or token repeats. The DFA reads each window in place, so
     * its yes is final; with {@code span}, RE2/J then finds the span, and a match it finds touching
     * a window edge may have been cut by it, so that case is settled on the whole text. Without
     * {@code span}, a match is reported as an empty array.
     */
    private static int[] findInWindows(Regex r, String text, AtomHits hits, boolean span) {
        int slot = hits.rarestSlot(r.id());
        int n = text.length();
        int before = r.analysis().reach(slot, 0, hits.longestSpaceRun(), hits.longestTokenRun());
        int after = r.analysis().reach(slot, 1, hits.longestSpaceRun(), hits.longestTokenRun());
        before = before < 0 ? n : before + 1;
        after = after < 0 ? n : after + 1;
        int windowStart = -1;
        int windowEnd = -1;
        for (int h = hits.first(r.id(), slot); h >= 0; h = hits.next(h)) {
            int s = Math.max(0, hits.start(h) - before);
            int e = (int) Math.min(n, (long) hits.end(h) + after);
            if (windowStart >= 0 && s <= windowEnd) {
                // Hits come in order of their end; a longer atom may start before the window.
                windowStart = Math.min(windowStart, s);
                windowEnd = Math.max(windowEnd, e);
                continue;
            }
            if (windowStart >= 0) {
                int[] found = findInWindow(r, text, hits, windowStart, windowEnd, span);
                if (found != null) {
                    return found;
                }
            }
            windowStart = s;
            windowEnd = e;
        }
        return windowStart < 0 ? null : findInWindow(r, text, hits, windowStart, windowEnd, span);
    }

    /** {@link #findInWindows} without {@code span}: "it matches", where the span was not looked for. */
    private static final int[] MATCHES = new int[0];

    private static int[] findInWindow(Regex r, String text, AtomHits hits, int start, int end, boolean span) {
        int exact = exactEnd(r, hits, start, end);
        if (exact == LazyDfa.NO_MATCH) {
            return null;
        }
        if (exact >= 0 && !span) {
            return MATCHES; // the window was read in place: a match of the whole text
        }
        if ((start == 0 && end == text.length()) || r.analysis().anchored()) {
            // RE2/J would read a window's edges as the text's: anchored regexes get the whole text.
            return findAll(r.pattern(), text);
        }
        Matcher m = r.pattern().matcher(text.substring(start, end));
        if (!m.find()) {
            return null;
        }
        boolean cutAtStart = m.start() == 0 && start > 0;
        boolean cutAtEnd = m.end() == end - start && end < text.length();
        if (cutAtStart || cutAtEnd) {
            return findAll(r.pattern(), text);
        }
        return new int[] {start + m.start(), start + m.end()};
    }

    @Override
    public String toString() {
        return definition.id();
    }
}
