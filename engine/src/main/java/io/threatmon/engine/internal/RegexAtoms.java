package io.threatmon.engine.internal;

import static io.threatmon.engine.internal.AtomSets.addMandatory;
import static io.threatmon.engine.internal.AtomSets.alsoRequired;
import static io.threatmon.engine.internal.AtomSets.better;
import static io.threatmon.engine.internal.AtomSets.cross;
import static io.threatmon.engine.internal.AtomSets.isLetterFree;
import static io.threatmon.engine.internal.AtomSets.lower;
import static io.threatmon.engine.internal.AtomSets.rare;
import static io.threatmon.engine.internal.AtomSets.sameRanges;
import static io.threatmon.engine.internal.AtomSets.scriptRanges;
import static io.threatmon.engine.internal.AtomSets.shortest;
import static io.threatmon.engine.internal.AtomSets.size;
import static io.threatmon.engine.internal.AtomSets.smallest;
import static io.threatmon.engine.internal.AtomSets.withCaseVariants;

import io.threatmon.engine.internal.AtomSets.Required;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Works out, for an RE2-syntax regex, a set of lower-case literal "atoms" such that every match
 * contains at least one of them, and the longest text a match can span. This is the idea behind
 * RE2's prefilter and YARA's atoms: a multi-pattern literal scan finds where a rule could match,
 * and the regex only runs there.
 *
 * <p>Like RE2's prefilter tree, it also keeps the further atom sets a match must contain (an AND
 * of ORs): {@code (ignore|disregard) (all )?(previous|prior) instructions} needs one of
 * {ignore, disregard}, one of {previous, prior} and "instructions". A text that has "previous"
 * but no "instructions" then never runs the regex, which is what keeps common words cheap.
 *
 * <p>It also records, per atom set, how far a match can reach before and after a hit
 * ({@link Reach}), so the regex runs in a window on the side of the hit where the rest of the
 * match can be, and whether a match always has a non-letter beside the atom ({@link #GUARD_LEFT},
 * {@link #GUARD_RIGHT}: {@code \brm\s} around "rm"), so hits inside words are dropped.
 *
 * <p>Written here rather than taken from a library because RE2/J keeps its parse tree private and
 * no Java library extracts atoms. The analysis is conservative: any construct it does not
 * understand yields "no atoms" (the regex then runs on every text), never a wrong atom.
 */
public final class RegexAtoms {

    /**
     * Result of the analysis. {@code atoms} is null when no usable atom exists; {@code slots} has
     * one entry per atom set (the main atoms, then each of {@code alsoRequired}).
     * {@code rareCharSets} are sets of code point ranges (outside ASCII letters, digits and
     * whitespace), each of which every match has a character from, the main one first, at most
     * {@value #MAX_RARE_SETS}: a text must hold one of each for the regex to match, so
     * {@code a = b + c} needs both "=" and "+", where one alone is in plenty of text.
     */
    public record Analysis(List<String> atoms, int maxLength, boolean anchored, List<List<String>> alsoRequired,
            int spaceRuns, int tokenRuns, List<Slot> slots, List<List<int[]>> rareCharSets) {
        /** What is known of a regex the analysis does not understand: nothing (it runs on every text). */
        static Analysis unknown() {
            return new Analysis(null, UNBOUNDED, true, List.of(), 0, 0, List.of(), List.of());
        }

        /**
         * Code point ranges, one of which every match contains, all outside ASCII letters, digits
         * and whitespace (so absent from most text): the first of {@link #rareCharSets()}, or null.
         */
        public List<int[]> rareChars() {
            return rareCharSets.isEmpty() ? null : rareCharSets.get(0);
        }

        /** True when a match can span any length (then the regex runs on the whole text). */
        public boolean unbounded() {
            return maxLength < 0;
        }

        /**
         * The longest match in a text whose longest run of whitespace ({@code [\t\n\f\r ]}, RE2's
         * {@code \s}) is {@code longestSpaceRun} characters and whose longest run of other
         * characters is {@code longestTokenRun}: {@link #maxLength()} plus one such run for each
         * open-ended repeat of a whitespace class ({@code \s+}) or of a class without whitespace
         * ({@code [a-z0-9_]*}, {@code \w+}), since such a repeat cannot match more than the run.
         * Meaningless when {@link #unbounded()}.
         */
        public int maxLength(int longestSpaceRun, int longestTokenRun) {
            long n = maxLength + (long) spaceRuns * longestSpaceRun + (long) tokenRuns * longestTokenRun;
            return (int) Math.min(Integer.MAX_VALUE, n);
        }

        /**
         * How far a match can reach before the start ({@code side} 0) or past the end (1) of a hit
         * of atom set {@code slot} (0: {@link #atoms()}, g + 1: {@link #alsoRequired()} g), in a
         * text with the given longest runs; -1 when it is not bounded. A window of that reach
         * around the hit holds every match containing it, and is often far narrower than
         * {@link #maxLength(int, int)} on both sides: the atom of {@code \bignore\b.{0,40}} is
         * at its start.
         */
        public int reach(int slot, int side, int longestSpaceRun, int longestTokenRun) {
            if (slot >= slots.size()) {
                return unbounded() ? -1 : maxLength(longestSpaceRun, longestTokenRun);
            }
            Slot s = slots.get(slot);
            return (side == 0 ? s.before() : s.after()).in(longestSpaceRun, longestTokenRun);
        }

        /** The {@link #GUARD_LEFT} / {@link #GUARD_RIGHT} bits of atom set {@code slot}. */
        public int guards(int slot) {
            return slot >= slots.size() ? 0 : slots.get(slot).guards();
        }
    }

    /** What a single-character primary can match, as far as whitespace goes (see {@link Analysis#maxLength(int, int)}). */
    enum Space {
        /** Only {@code [\t\n\f\r ]}. */
        ONLY,
        /** None of them. */
        NONE,
        /** Both kinds, or not known. */
        MIXED
    }

    /**
     * What is known about one atom set of a regex (slot 0: its main atoms, g + 1: further set g):
     * how far a match reaches before and after a hit, and its guard bits.
     */
    public record Slot(Reach before, Reach after, int guards) {}

    /**
     * A bound on the length of some part of a match: {@code len} characters plus one of the
     * text's longest whitespace runs per {@code spaces} and one of its longest other runs per
     * {@code tokens} (see {@link Analysis#maxLength(int, int)}); {@code len < 0} for no bound.
     */
    public record Reach(int len, int spaces, int tokens) {
        static final Reach ZERO = new Reach(0, 0, 0);
        static final Reach NONE = new Reach(UNBOUNDED, 0, 0);

        static Reach of(Info i) {
            return i.maxLen == UNBOUNDED ? NONE : new Reach(i.maxLen, i.spaceRuns, i.tokenRuns);
        }

        boolean bounded() {
            return len >= 0;
        }

        Reach plus(Reach o) {
            return !bounded() || !o.bounded() ? NONE : new Reach(len + o.len, spaces + o.spaces, tokens + o.tokens);
        }

        Reach max(Reach o) {
            return !bounded() || !o.bounded() ? NONE
                    : new Reach(Math.max(len, o.len), Math.max(spaces, o.spaces), Math.max(tokens, o.tokens));
        }

        /** The bound in a text with these longest runs, or -1. */
        public int in(int longestSpaceRun, int longestTokenRun) {
            if (!bounded()) {
                return -1;
            }
            long n = len + (long) spaces * longestSpaceRun + (long) tokens * longestTokenRun;
            return (int) Math.min(Integer.MAX_VALUE, n);
        }
    }


    /**
     * Guard bits of an atom set ({@link Analysis#guards(int)}): every match has a character that
     * is not an ASCII letter (or the text's edge) just before ({@code GUARD_LEFT}) or just after
     * ({@code GUARD_RIGHT}) the atom, as {@code \brm\s} has around "rm". The scanner then drops
     * hits inside words ("rm" in "form"), and a guarded two-letter atom is selective enough to gate
     * a regex.
     */
    public static final int GUARD_LEFT = 1;
    public static final int GUARD_RIGHT = 2;

    /** True for A-Z and a-z: what a guard says the neighbouring character is not. */
    public static boolean isAsciiLetter(char c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    /** RE2's {@code \s}: tab, newline, form feed, carriage return, space. */
    static final String SPACES = "\t\n\f\r ";
    private static final int ALL_SPACES = (1 << SPACES.length()) - 1;

    private static final long SPACE_BITS = 1L << '\t' | 1L << '\n' | 1L << '\f' | 1L << '\r' | 1L << ' ';

    /** Whether {@code c} is one of {@link #SPACES} (a bit test: this runs per character of every text). */
    public static boolean isSpace(int c) {
        return c <= ' ' && (SPACE_BITS >>> c & 1) != 0;
    }

    /** At most this many further atom sets are kept per regex (the most selective ones). */
    static final int MAX_REQUIRED = 8;
    /**
     * Larger further sets cost more automaton than they save regex runs: kept out. 24 until
     * session 16 (then 96: the rules' long alternations of objects and verbs had grown); 256, as
     * many as an alternation keeps, since session 18, when alternations too long to spell out were
     * first gated by their pieces: a medium text's candidate rules fell from 16.8 to 14.5 for
     * ~0.3 MB more heap (docs/performance.md).
     */
    static final int MAX_REQUIRED_SET = 256;

    /** At most this many rare-character sets are kept per regex. */
    static final int MAX_RARE_SETS = 4;

    /** Atoms shorter than this match too often to be worth a lookup. */
    static final int MIN_ATOM = 3;
    /** The same for the main atoms of a regex when they are guarded at a word's edge. */
    static final int MIN_GUARDED_ATOM = 2;
    static final int MAX_EXACT = 64;
    static final int MAX_ALTERNATIVES = 256;
    static final int UNBOUNDED = -1;

    private final String re;
    private int pos;
    private boolean anchored;

    private RegexAtoms(String re) {
        this.re = re;
    }

    /**
     * {@code regex} with its counted repeats longer than {@code maxKept} made open-ended: a regex
     * for a superset of its matches ({@code .{3,500}} → {@code .{3,}}), or null when it has none.
     */
    public static String relaxRepeats(String regex, int maxKept) {
        return RegexSyntax.relaxRepeats(regex, maxKept);
    }

    /** Analyses a regex (already known to compile). Never throws: unknown syntax gives no atoms. */
    public static Analysis analyze(String regex) {
        RegexAtoms p = new RegexAtoms(regex);
        try {
            Info info = p.alternation();
            if (p.pos != regex.length()) {
                return Analysis.unknown();
            }
            Set<String> atoms = info.atomsOrExact();
            boolean exact = info.exact != null;
            int mainGuards = (info.atomsLeft ? GUARD_LEFT : 0) | (info.atomsRight ? GUARD_RIGHT : 0);
            // A two-character atom inside words ("rm" in "form") is everywhere; at a word's edge it is rare.
            int minAtom = mainGuards != 0 ? MIN_GUARDED_ATOM : MIN_ATOM;
            List<String> usable = atoms == null || shortest(atoms) < minAtom ? null : List.copyOf(atoms);
            List<Required> more = usable == null ? List.of() : alsoRequired(info.required, atoms);
            List<Slot> slots = new ArrayList<>();
            if (usable != null) {
                slots.add(new Slot(exact ? Reach.ZERO : info.atomsBefore, exact ? Reach.ZERO : info.atomsAfter, mainGuards));
                for (Required r : more) {
                    slots.add(new Slot(r.before(), r.after(), (r.left() ? GUARD_LEFT : 0) | (r.right() ? GUARD_RIGHT : 0)));
                }
            }
            List<List<int[]>> rareSets = new ArrayList<>();
            if (info.chars != null) {
                rareSets.add(List.copyOf(info.chars));
                for (List<int[]> extra : info.moreChars) {
                    if (rareSets.size() < MAX_RARE_SETS && rareSets.stream().noneMatch(r -> sameRanges(r, extra))) {
                        rareSets.add(List.copyOf(extra));
                    }
                }
            }
            return new Analysis(usable, info.maxLen, p.anchored, more.stream().map(r -> List.copyOf(r.atoms())).toList(),
                    info.spaceRuns, info.tokenRuns, List.copyOf(slots), List.copyOf(rareSets));
        } catch (RuntimeException e) {
            return Analysis.unknown();
        }
    }

    /** What is known about a sub-expression. */
    private static final class Info {
        /** Every string it can match (lower-case), or null when too many or unknown. */
        Set<String> exact;
        /** Strings one of which every match contains, or null when none is known. */
        Set<String> atoms;
        /** Longest match in UTF-16 units, or UNBOUNDED; plus the runs below. */
        int maxLen;
        /** Open-ended repeats of whitespace-only / whitespace-free classes (see {@link Analysis#maxLength(int, int)}). */
        int spaceRuns;
        int tokenRuns;
        /** For a single-character primary, what it matches; null for anything longer. */
        Space space;
        /**
         * Code point ranges, one of which every match contains, all outside ASCII letters, digits
         * and whitespace (so absent from most text); null when none is known.
         */
        List<int[]> chars;
        /** How far a match reaches before and after a hit of {@code atoms} (an exact set reaches nowhere). */
        Reach atomsBefore = Reach.ZERO;
        Reach atomsAfter = Reach.ZERO;
        /** Further atom sets, each of which every match contains (besides {@code atoms}); may be empty. */
        List<Required> required = List.of();
        /**
         * For a concatenation: small sets of its literal pieces, each of which every match contains
         * ("dump " and " table" of {@code dump (the )?(users?|accounts?) table}). Read only by an
         * alternation whose branches' atoms together are too many ({@link #shrink}).
         */
        List<Required> factors = List.of();
        /** Further rare-character sets every match has a character from, besides {@code chars} (may include it). */
        List<List<int[]>> moreChars = List.of();
        /** Guards of {@code atoms} found inside this sub-expression (see {@link #GUARD_LEFT}). */
        boolean atomsLeft;
        boolean atomsRight;
        /** This is {@code \b}. */
        boolean wordBoundary;
        /** Every match ends with a character that is not an ASCII letter, or at a line's start ({@code ^}). */
        boolean guardsAfter;
        /** Every match starts with a character that is not an ASCII letter, or at a line's end ({@code $}). */
        boolean guardsBefore;

        static Info exact(Set<String> s, int maxLen) {
            Info i = new Info();
            i.exact = s;
            i.maxLen = maxLen;
            return i;
        }

        static Info unknown(int maxLen) {
            Info i = new Info();
            i.maxLen = maxLen;
            return i;
        }

        /** A primary matching one character of the given kind. */
        static Info oneChar(Space space) {
            Info i = unknown(2);
            i.space = space;
            return i;
        }

        /** Takes {@code r} as this sub-expression's main atoms: its strings, reach and guards. */
        void takeAtoms(Required r) {
            atoms = r.atoms();
            atomsBefore = r.before();
            atomsAfter = r.after();
            atomsLeft = r.left();
            atomsRight = r.right();
        }

        Set<String> atomsOrExact() {
            if (exact != null) {
                return exact.contains("") ? null : exact;
            }
            return atoms;
        }
    }

    private Info alternation() {
        List<Info> branches = new ArrayList<>();
        branches.add(concat());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            branches.add(concat());
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        Info out = new Info();
        out.maxLen = 0;
        Set<String> exact = new LinkedHashSet<>();
        Set<String> atoms = new LinkedHashSet<>();
        boolean allExact = true;
        boolean allAtoms = true;
        Reach before = Reach.ZERO;
        Reach after = Reach.ZERO;
        for (Info b : branches) {
            out.maxLen = out.maxLen == UNBOUNDED || b.maxLen == UNBOUNDED ? UNBOUNDED : Math.max(out.maxLen, b.maxLen);
            // Component-wise maxima bound every branch's bound (the runs are never negative).
            out.spaceRuns = Math.max(out.spaceRuns, b.spaceRuns);
            out.tokenRuns = Math.max(out.tokenRuns, b.tokenRuns);
            if (b.exact == null) {
                allExact = false;
            } else {
                exact.addAll(b.exact);
            }
            Set<String> a = b.atomsOrExact();
            if (a == null) {
                allAtoms = false;
            } else {
                atoms.addAll(a);
                if (b.exact == null) {
                    before = before.max(b.atomsBefore);
                    after = after.max(b.atomsAfter);
                }
            }
        }
        out.atomsBefore = before;
        out.atomsAfter = after;
        boolean left = true;
        boolean right = true;
        boolean boundary = true;
        boolean gAfter = true;
        boolean gBefore = true;
        for (Info b : branches) {
            left &= b.atomsLeft;
            right &= b.atomsRight;
            boundary &= b.wordBoundary;
            gAfter &= b.guardsAfter;
            gBefore &= b.guardsBefore;
        }
        out.atomsLeft = left;
        out.atomsRight = right;
        out.wordBoundary = boundary;
        out.guardsAfter = gAfter;
        out.guardsBefore = gBefore;
        out.exact = allExact && exact.size() <= MAX_ALTERNATIVES ? exact : null;
        out.atoms = allAtoms && atoms.size() <= MAX_ALTERNATIVES ? atoms : null;
        Required shrunk = allAtoms && out.exact == null && out.atoms == null ? shrink(branches) : null;
        if (shrunk != null) {
            out.takeAtoms(shrunk);
        }
        List<int[]> chars = new ArrayList<>();
        for (Info b : branches) {
            if (b.chars == null) {
                chars = null;
                break;
            }
            chars.addAll(b.chars);
        }
        out.chars = chars;
        return out;
    }

    private Info concat() {
        List<Info> parts = new ArrayList<>();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            parts.add(repeat());
        }
        // pre[k]: how long parts 0..k-1 can be; suf[k]: parts k..end (what lies before and after an atom).
        Reach[] pre = new Reach[parts.size() + 1];
        Reach[] suf = new Reach[parts.size() + 1];
        pre[0] = Reach.ZERO;
        suf[parts.size()] = Reach.ZERO;
        for (int k = 0; k < parts.size(); k++) {
            pre[k + 1] = pre[k].plus(Reach.of(parts.get(k)));
        }
        for (int k = parts.size() - 1; k >= 0; k--) {
            suf[k] = Reach.of(parts.get(k)).plus(suf[k + 1]);
        }
        Run run = new Run(Set.of(""));
        int runStart = 0;
        // The run's first and last parts that match any text (zero-width ones such as \b are
        // crossed into a run too, but the guards are read around the parts that consume text).
        int runFirst = -1;
        int runLast = -1;
        Required best = null;
        List<Required> mandatory = new ArrayList<>();
        boolean stillExact = true;
        int maxLen = 0;
        int spaceRuns = 0;
        int tokenRuns = 0;
        List<int[]> chars = null;
        List<List<int[]>> allChars = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            Info p = parts.get(k);
            if (p.chars != null && (chars == null || size(p.chars) < size(chars))) {
                chars = p.chars;
            }
            if (p.chars != null) {
                allChars.add(p.chars);
            }
            allChars.addAll(p.moreChars);
            maxLen = maxLen == UNBOUNDED || p.maxLen == UNBOUNDED ? UNBOUNDED : maxLen + p.maxLen;
            spaceRuns += p.spaceRuns;
            tokenRuns += p.tokenRuns;
            for (Required r : p.required) {
                mandatory.add(guard(r, parts, k).shifted(pre[k], suf[k + 1]));
            }
            // A run still too short to be an atom may grow further: "q" or "a" alone is useless,
            // "q:" at a word's edge is not, whatever the number of alternatives.
            int limit = run.shortest() < MIN_ATOM ? MAX_ALTERNATIVES : MAX_EXACT;
            if (p.exact != null && run.size() * p.exact.size() <= limit) {
                run.add(p.exact);
                if (!zeroWidth(p)) {
                    runFirst = runFirst < 0 ? k : runFirst;
                    runLast = k;
                }
                continue;
            }
            stillExact = false;
            // The run of exact parts runStart..k-1 is the atom's whole text: nothing of the match
            // lies between it and the parts around it.
            Set<String> runText = run.strings();
            Required ended = runText.contains("") ? null
                    : new Required(runText, pre[runStart], suf[k], runLeftGuard(parts, runFirst, runText),
                            runRightGuard(parts, runLast, runText));
            best = better(best, ended);
            addMandatory(mandatory, ended);
            if (p.exact != null) {
                run = new Run(p.exact);
                runStart = k;
                runFirst = k;
                runLast = k;
            } else {
                Required inner = p.atoms == null ? null
                        : guard(new Required(p.atoms, p.atomsBefore, p.atomsAfter, p.atomsLeft, p.atomsRight), parts, k)
                                .shifted(pre[k], suf[k + 1]);
                best = better(best, inner);
                addMandatory(mandatory, inner);
                run = new Run(Set.of(""));
                runStart = k + 1;
                runFirst = -1;
                runLast = -1;
            }
        }
        boolean single = parts.size() == 1;
        boolean guardsBefore = !parts.isEmpty() && parts.get(0).guardsBefore;
        boolean guardsAfter = !parts.isEmpty() && parts.get(parts.size() - 1).guardsAfter;
        Set<String> runText = run.strings();
        if (stillExact) {
            Info out = Info.exact(runText, maxLen);
            out.guardsBefore = guardsBefore;
            out.guardsAfter = guardsAfter;
            out.wordBoundary = single && parts.get(0).wordBoundary;
            // The exact strings are the whole match: guards inside (\bfoo\b) hold for them.
            out.atomsLeft = !runText.contains("") && runLeftGuard(parts, runFirst, runText);
            out.atomsRight = !runText.contains("") && runRightGuard(parts, runLast, runText);
            out.chars = chars;
            out.moreChars = smallest(allChars);
            out.required = List.copyOf(mandatory);
            out.factors = factors(parts, pre, suf);
            out.spaceRuns = spaceRuns;
            out.tokenRuns = tokenRuns;
            if (parts.size() == 1) {
                out.space = parts.get(0).space;
            }
            return out;
        }
        Required last = runText.contains("") ? null
                : new Required(runText, pre[runStart], Reach.ZERO, runLeftGuard(parts, runFirst, runText),
                        runRightGuard(parts, runLast, runText));
        best = better(best, last);
        addMandatory(mandatory, last);
        Info out = Info.unknown(maxLen);
        if (best != null) {
            out.takeAtoms(best);
        }
        out.guardsBefore = guardsBefore;
        out.guardsAfter = guardsAfter;
        out.chars = chars;
        out.moreChars = smallest(allChars);
        out.required = List.copyOf(mandatory);
        out.factors = factors(parts, pre, suf);
        out.spaceRuns = spaceRuns;
        out.tokenRuns = tokenRuns;
        if (parts.size() == 1) {
            out.space = parts.get(0).space;
        }
        return out;
    }



    /** Most strings a factor ({@link Info#factors}) may have: a factor is meant to be small. */
    private static final int MAX_FACTOR = 16;

    /**
     * The factors of a concatenation: runs of consecutive exact parts without an optional one,
     * crossed while they stay small. Every match of the whole holds one string of each.
     */
    private static List<Required> factors(List<Info> parts, Reach[] pre, Reach[] suf) {
        List<Required> out = new ArrayList<>();
        Run run = null;
        int runStart = 0;
        for (int k = 0; k <= parts.size(); k++) {
            Set<String> exact = k < parts.size() ? parts.get(k).exact : null;
            boolean usable = exact != null && (exact.size() == 1 || !exact.contains(""));
            if (run != null && (!usable || run.size() * exact.size() > MAX_FACTOR)) {
                Set<String> strings = run.strings();
                if (!strings.contains("")) {
                    out.add(new Required(strings, pre[runStart], suf[k]));
                }
                run = null;
            }
            if (usable) {
                if (run == null) {
                    run = new Run(Set.of(""));
                    runStart = k;
                }
                run.add(exact);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The atoms of an alternation whose branches' atoms together are more than
     * {@link #MAX_ALTERNATIVES}: each branch gives its smallest set instead (its main atoms, a
     * further set or a factor), so the alternation still gates its regex; the reach and guards
     * hold for every branch's set. Null when even these are too many. Why: a long list of harmful
     * objects, each spelled out with its articles and verbs, had ~380 strings and so no atoms at
     * all; by its branches' pieces it has 102.
     */
    private static Required shrink(List<Info> branches) {
        Set<String> union = new LinkedHashSet<>();
        Reach before = Reach.ZERO;
        Reach after = Reach.ZERO;
        boolean left = true;
        boolean right = true;
        for (Info b : branches) {
            Required best = b.exact != null
                    ? new Required(b.atomsOrExact(), Reach.ZERO, Reach.ZERO, b.atomsLeft, b.atomsRight)
                    : new Required(b.atoms, b.atomsBefore, b.atomsAfter, b.atomsLeft, b.atomsRight);
            List<Required> options = new ArrayList<>(b.required);
            options.addAll(b.factors);
            for (Required r : options) {
                if (selective(r) && smaller(r, best)) {
                    best = r;
                }
            }
            union.addAll(best.atoms());
            before = before.max(best.before());
            after = after.max(best.after());
            left &= best.left();
            right &= best.right();
        }
        return union.size() <= MAX_ALTERNATIVES ? new Required(union, before, after, left, right) : null;
    }

    /**
     * Whether {@code r} could stand for its branch: a set that could gate a regex on its own
     * ({@link AtomSets#usable}) whose atoms are long enough not to turn up inside common words, as
     * "form" (in "information") or "cook" (in "cookie") would.
     */
    private static boolean selective(Required r) {
        return AtomSets.usable(r) && shortest(r.atoms()) >= MIN_FACTOR_ATOM;
    }

    /** Shortest atom a branch's smaller set may have (see {@link #selective}). */
    private static final int MIN_FACTOR_ATOM = 5;

    /** Fewer atoms, or as many and a longer shortest one. */
    private static boolean smaller(Required a, Required b) {
        if (a.atoms().size() != b.atoms().size()) {
            return a.atoms().size() < b.atoms().size();
        }
        return Math.min(shortest(a.atoms()), 8) > Math.min(shortest(b.atoms()), 8);
    }

    /**
     * The exact strings of consecutive parts of a concatenation: the strings crossed so far, and
     * the single strings appended since, joined only when read. Crossing part by part copied the
     * run's text once per part and re-measured its shortest string: quadratic in a long literal
     * (a 70,000-character one took 2.3 s to analyse).
     */
    private static final class Run {
        private Set<String> head;
        private final StringBuilder tail = new StringBuilder();
        private int shortest;

        Run(Set<String> first) {
            head = first;
            shortest = AtomSets.shortest(first);
        }

        void add(Set<String> exact) {
            if (exact.size() == 1 && !head.isEmpty()) {
                // One string appended keeps distinct strings distinct, and lengths add up.
                tail.append(exact.iterator().next());
                shortest += AtomSets.shortest(exact);
            } else {
                // Alternatives can make equal strings ("ab" + "" and "a" + "b"): cross now, so the
                // size the caller limits counts distinct strings, as before.
                head = AtomSets.cross(strings(), exact);
                tail.setLength(0);
                shortest = AtomSets.shortest(head);
            }
        }

        /** Number of distinct strings. */
        long size() {
            return head.size();
        }

        int shortest() {
            return shortest;
        }

        /** The run's strings, in the order crossing the parts one by one gives them. */
        Set<String> strings() {
            if (tail.length() == 0) {
                return head;
            }
            Set<String> out = new LinkedHashSet<>();
            for (String s : head) {
                out.add(s + tail);
            }
            return out;
        }
    }

    /**
     * {@code r} (an atom set of part {@code k}, reaches relative to that part) with the guards the
     * neighbouring parts give it, where it is flush with the part's edge.
     */
    private static Required guard(Required r, List<Info> parts, int k) {
        boolean left = r.left() || (r.before().equals(Reach.ZERO) && leftGuard(parts, k, r.atoms()));
        boolean right = r.right() || (r.after().equals(Reach.ZERO) && rightGuard(parts, k, r.atoms()));
        return r.guarded(left, right);
    }

    /**
     * Whether the parts before part {@code first} (where the atoms start) guarantee a non-letter,
     * or the text's edge, just before the atoms: the nearest part that consumes text ends with a
     * non-letter, or a {@code \b} or {@code ^} comes first. Zero-width parts are looked through.
     */
    private static boolean leftGuard(List<Info> parts, int first, Set<String> atoms) {
        for (int j = first - 1; j >= 0 && first >= 0; j--) {
            Info q = parts.get(j);
            if (q.guardsAfter || (q.wordBoundary && atoms.stream().allMatch(a -> !a.isEmpty() && isWordChar(a.charAt(0))))) {
                return true;
            }
            if (!zeroWidth(q)) {
                return false;
            }
        }
        return false;
    }

    /** Like {@link #leftGuard}, after part {@code last} (where the atoms end). */
    private static boolean rightGuard(List<Info> parts, int last, Set<String> atoms) {
        for (int j = last + 1; j < parts.size() && last >= 0; j++) {
            Info q = parts.get(j);
            if (q.guardsBefore
                    || (q.wordBoundary && atoms.stream().allMatch(a -> !a.isEmpty() && isWordChar(a.charAt(a.length() - 1))))) {
                return true;
            }
            if (!zeroWidth(q)) {
                return false;
            }
        }
        return false;
    }

    /**
     * The left guard of a run of exact parts whose first text-consuming part is {@code first}: from
     * the parts before it, or from inside that part when every string of the run starts with it.
     */
    private static boolean runLeftGuard(List<Info> parts, int first, Set<String> run) {
        return leftGuard(parts, first, run)
                || (first >= 0 && !parts.get(first).exact.contains("") && parts.get(first).atomsLeft);
    }

    /** Like {@link #runLeftGuard}, at the run's end. */
    private static boolean runRightGuard(List<Info> parts, int last, Set<String> run) {
        return rightGuard(parts, last, run)
                || (last >= 0 && !parts.get(last).exact.contains("") && parts.get(last).atomsRight);
    }

    /** An assertion such as {@code \b}, {@code ^} or a flag group: matches only the empty string. */
    private static boolean zeroWidth(Info q) {
        return q.exact != null && q.exact.size() == 1 && q.exact.contains("");
    }

    /** RE2's ASCII word character: at a {@code \b} next to one, the other side is not one (nor a letter). */
    private static boolean isWordChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private Info repeat() {
        Info base = primary();
        for (RegexSyntax.Quantifier q; (q = RegexSyntax.quantifier(re, pos)) != null; ) {
            pos = q.end();
            base = applyRepeat(base, q.min(), q.max());
        }
        return base;
    }

    private static Info applyRepeat(Info base, int min, int max) {
        int maxLen;
        int spaceRuns = 0;
        int tokenRuns = 0;
        if (base.maxLen == UNBOUNDED) {
            maxLen = UNBOUNDED;
        } else if (max != UNBOUNDED) {
            maxLen = base.maxLen * max;
            spaceRuns = base.spaceRuns * max;
            tokenRuns = base.tokenRuns * max;
        } else if (base.space == Space.ONLY) {
            // A run of whitespace characters is no longer than the text's longest one.
            maxLen = 0;
            spaceRuns = 1;
        } else if (base.space == Space.NONE) {
            maxLen = 0;
            tokenRuns = 1;
        } else {
            maxLen = UNBOUNDED;
        }
        Info out = repeatInfo(base, min, max, maxLen);
        out.spaceRuns = spaceRuns;
        out.tokenRuns = tokenRuns;
        out.chars = min == 0 ? null : base.chars;
        out.moreChars = min == 0 ? List.of() : base.moreChars;
        // An atom lies in one of the repetitions, so the others may come before or after it:
        // the whole repeat's length is a (loose) bound on each side.
        Reach whole = Reach.of(out);
        if (out.exact == null && out.atoms != null) {
            out.atomsBefore = (base.exact != null ? Reach.ZERO : base.atomsBefore).plus(whole);
            out.atomsAfter = (base.exact != null ? Reach.ZERO : base.atomsAfter).plus(whole);
        }
        out.required = min == 0 ? List.of() : base.required.stream().map(r -> r.shifted(whole, whole)).toList();
        if (min > 0) {
            // Its first and last characters come from the repeated expression.
            out.guardsBefore = base.guardsBefore;
            out.guardsAfter = base.guardsAfter;
            out.atomsLeft = base.atomsLeft;
            out.atomsRight = base.atomsRight;
        }
        return out;
    }

    private static Info repeatInfo(Info base, int min, int max, int maxLen) {
        if (min == 0) {
            if (max == 1 && base.exact != null && base.exact.size() < MAX_EXACT) {
                Set<String> s = new LinkedHashSet<>(base.exact);
                s.add("");
                return Info.exact(s, maxLen);
            }
            return Info.unknown(maxLen);
        }
        if (min == max && base.exact != null) {
            Set<String> s = Set.of("");
            boolean fits = true;
            for (int k = 0; k < min && fits; k++) {
                if ((long) s.size() * base.exact.size() > MAX_EXACT) {
                    fits = false;
                } else {
                    s = cross(s, base.exact);
                }
            }
            if (fits) {
                return Info.exact(s, maxLen);
            }
        }
        Info out = Info.unknown(maxLen);
        out.atoms = base.atomsOrExact();
        return out;
    }

    private Info primary() {
        char c = re.charAt(pos);
        switch (c) {
            case '(':
                return group();
            case '[':
                return charClass();
            case '.':
                pos++;
                return Info.oneChar(Space.MIXED);
            case '^':
            case '$': {
                pos++;
                anchored = true;
                Info i = Info.exact(Set.of(""), 0);
                i.guardsAfter = c == '^';
                i.guardsBefore = c == '$';
                return i;
            }
            case '\\':
                return escape();
            default:
                int cp = re.codePointAt(pos);
                pos += Character.charCount(cp);
                return literal(cp);
        }
    }

    private Info group() {
        pos++; // (
        if (re.startsWith("?", pos)) {
            pos++;
            if (re.startsWith("P<", pos) || re.startsWith("<", pos)) {
                pos = re.indexOf('>', pos) + 1;
            } else {
                // flags: (?i) (?s:...) (?-i:...) (?:...)
                int end = pos;
                while (end < re.length() && re.charAt(end) != ')' && re.charAt(end) != ':') {
                    end++;
                }
                if (end >= re.length()) {
                    throw new IllegalArgumentException("unterminated group");
                }
                boolean standalone = re.charAt(end) == ')';
                pos = end + 1;
                if (standalone) {
                    return Info.exact(Set.of(""), 0);
                }
            }
        }
        Info inner = alternation();
        if (pos >= re.length() || re.charAt(pos) != ')') {
            throw new IllegalArgumentException("unbalanced group");
        }
        pos++;
        return inner;
    }

    private Info escape() {
        pos++; // backslash
        char c = re.charAt(pos++);
        switch (c) {
            case 'b': {
                Info i = Info.exact(Set.of(""), 0);
                i.wordBoundary = true;
                return i;
            }
            case 'B':
                return Info.exact(Set.of(""), 0);
            case 'A':
            case 'z': {
                anchored = true;
                Info i = Info.exact(Set.of(""), 0);
                i.guardsAfter = c == 'A';
                i.guardsBefore = c == 'z';
                return i;
            }
            case 's':
                return noLetter(Info.oneChar(Space.ONLY));
            case 'd':
                return noLetter(Info.oneChar(Space.NONE));
            case 'S': case 'w':
                return Info.oneChar(Space.NONE);
            case 'W':
                return noLetter(Info.oneChar(Space.MIXED));
            case 'D': case 'C':
                return Info.oneChar(Space.MIXED);
            case 'p':
            case 'P':
                if (pos < re.length() && re.charAt(pos) == '{') {
                    pos = re.indexOf('}', pos) + 1;
                } else {
                    pos++;
                }
                return Info.oneChar(Space.MIXED);
            case 'x':
                return literal(hexEscape());
            case 'Q': {
                int end = re.indexOf("\\E", pos);
                String lit = end < 0 ? re.substring(pos) : re.substring(pos, end);
                pos = end < 0 ? re.length() : end + 2;
                return Info.exact(Set.of(lower(lit)), lit.length());
            }
            default:
                if (RegexSyntax.control(c) >= 0) {
                    return literal(RegexSyntax.control(c));
                }
                if (Character.isLetterOrDigit(c)) {
                    throw new IllegalArgumentException("unknown escape \\" + c);
                }
                return literal(c);
        }
    }

    private int hexEscape() {
        RegexSyntax.Escaped e = RegexSyntax.hex(re, pos);
        pos = e.end();
        return e.codePoint();
    }

    /** A small class like {@code [aá]} or {@code [-_ ]} becomes exact alternatives; bigger ones give no atom. */
    private Info charClass() {
        pos++; // [
        boolean negated = false;
        if (re.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        Set<String> chars = new LinkedHashSet<>();
        List<int[]> ranges = negated ? null : new ArrayList<>();
        boolean enumerable = !negated;
        boolean first = true;
        // What the listed elements hold of whitespace: for the class's Space kind.
        boolean anySpace = false;
        boolean anyOther = false;
        boolean unknownKind = false;
        int spacesListed = 0; // bits of the five whitespace characters listed (for negated classes)
        // Whether the listed elements hold no ASCII letter, and whether they hold all of them (\p{L},
        // or a-z and A-Z): then the class, or its complement, never matches one.
        boolean letterFree = true;
        boolean lower = false;
        boolean upper = false;
        boolean allLetters = false;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            int lo;
            if (re.startsWith("[:", pos)) {
                letterFree = false;
                pos = re.indexOf(":]", pos) + 2;
                enumerable = false;
                ranges = null;
                unknownKind = true;
                continue;
            }
            if (re.charAt(pos) == '\\') {
                pos++;
                char e = re.charAt(pos++);
                if ("dDwWsSpP".indexOf(e) >= 0) {
                    switch (e) {
                        case 's' -> {
                            anySpace = true;
                            spacesListed = ALL_SPACES;
                        }
                        case 'S', 'd', 'w' -> anyOther = true;
                        case 'D', 'W' -> {
                            anySpace = true;
                            anyOther = true;
                            spacesListed = ALL_SPACES;
                        }
                        default -> unknownKind = true;
                    }
                    letterFree &= e == 's' || e == 'd' || e == 'W';
                    allLetters |= e == 'w' || (e == 'p' && re.startsWith("{L}", pos));
                    List<int[]> script = null;
                    if (e == 'p' && re.charAt(pos) == '{') {
                        int close = re.indexOf('}', pos);
                        script = scriptRanges(re.substring(pos + 1, close));
                        pos = close + 1;
                    } else if (e == 'p' || e == 'P') {
                        pos = e == 'P' && re.charAt(pos) == '{' ? re.indexOf('}', pos) + 1 : pos + 1;
                    }
                    if (script != null && ranges != null) {
                        ranges.addAll(script);
                    } else {
                        ranges = null;
                    }
                    enumerable = false;
                    continue;
                }
                lo = switch (e) {
                    case 'x' -> hexEscape();
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'f' -> '\f';
                    case 'v' -> 0x0B;
                    default -> e;
                };
            } else {
                lo = re.codePointAt(pos);
                pos += Character.charCount(lo);
            }
            int hi = lo;
            if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                if (re.charAt(pos) == '\\') {
                    pos++;
                    char e = re.charAt(pos++);
                    hi = e == 'x' ? hexEscape() : e;
                } else {
                    hi = re.codePointAt(pos);
                    pos += Character.charCount(hi);
                }
            }
            letterFree &= isLetterFree(lo, hi);
            lower |= lo <= 'a' && hi >= 'z';
            upper |= lo <= 'A' && hi >= 'Z';
            int spacesInRange = 0;
            for (int k = 0; k < SPACES.length(); k++) {
                if (SPACES.charAt(k) >= lo && SPACES.charAt(k) <= hi) {
                    spacesListed |= 1 << k;
                    spacesInRange++;
                }
            }
            anySpace |= spacesInRange > 0;
            anyOther |= hi - lo + 1 > spacesInRange;
            if (ranges != null) {
                ranges.add(new int[] {lo, hi});
            }
            if (hi - lo > 8) {
                enumerable = false;
            } else {
                for (int cp = lo; cp <= hi && enumerable; cp++) {
                    chars.add(lower(new String(Character.toChars(cp))));
                }
            }
        }
        if (pos >= re.length()) {
            throw new IllegalArgumentException("unterminated class");
        }
        pos++; // ]
        List<int[]> rareRanges = ranges == null || ranges.isEmpty() ? null : rare(withCaseVariants(ranges));
        Info out = enumerable && !chars.isEmpty() && chars.size() <= 6 ? Info.exact(chars, 2) : Info.unknown(2);
        out.chars = rareRanges;
        if (negated) {
            // The complement holds no whitespace only if every whitespace character is listed.
            out.space = spacesListed == ALL_SPACES ? Space.NONE : Space.MIXED;
        } else {
            out.space = unknownKind || anySpace == anyOther ? Space.MIXED : anySpace ? Space.ONLY : Space.NONE;
        }
        return (negated ? allLetters || (lower && upper) : letterFree) ? noLetter(out) : out;
    }

    private static Info literal(int cp) {
        String s = new String(Character.toChars(cp));
        Info out = Info.exact(Set.of(lower(s)), s.length());
        out.chars = rare(withCaseVariants(List.of(new int[] {cp, cp})));
        out.space = isSpace(cp) ? Space.ONLY : Space.NONE;
        return isLetterFree(cp, cp) ? noLetter(out) : out;
    }

    /** Marks a one-character expression that never matches an ASCII letter. */
    private static Info noLetter(Info i) {
        i.guardsBefore = true;
        i.guardsAfter = true;
        return i;
    }














}
