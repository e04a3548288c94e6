package io.threatmon.engine.internal;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A deterministic automaton for a <em>superset</em> of what an RE2-syntax regex matches, read on
 * lower-cased text: if {@link #mayMatch} says no, the regex cannot match, so RE2/J need not run.
 * RE2/J simulates an NFA (≈100 ns a character); this DFA reads a character with one or two array
 * reads, so a regex whose atoms are common words or punctuation costs little on text it does not
 * match, and the regex engine runs only to find the span of a real match.
 *
 * <p>The superset comes from dropping what a DFA over single characters cannot express cheaply:
 * {@code ^ $ \b} become the empty string, negated and Unicode classes any character, large
 * counted repeats open-ended ({@code .{3,500}} → {@code .{3,}}). Anything the translation does not
 * understand gives no automaton (the regex then runs as before), never a wrong one.
 *
 * <p>The automaton is built with dk.brics.automaton (regex operators: union, concatenation,
 * repetition, with its epsilon removal) and determinised here under a state budget; the run loop
 * is here too because the library's reads a character class by binary search, and ASCII, the bulk
 * of LLM traffic, deserves a table.
 */
public final class RegexDfa {

    /** Counted repeats beyond this become open-ended, to keep automata small. */
    static final int MAX_COUNT = 6;
    /** Automata bigger than this are not kept (the regex then runs as before). */
    static final int MAX_STATES = 3_000;
    /** Regexes whose automaton starts bigger than this are not worth the build time at load. */
    static final int MAX_NFA_STATES = 1_500;

    private static final int ASCII = 128;

    /**
     * Alternatives (top-level branches of the regex), each a chain of segments that must match
     * one after another; the regex's open-ended gaps ({@code .*}, {@code .{0,40}}) separate the
     * segments. Searching {@code .*A.*B} as "the earliest end of A, then B after it" is exact for
     * such gaps, and it keeps each automaton the size of one segment: one automaton for the whole
     * would hold every pairing of partial A and partial B matches, which is what blows up.
     */
    private final Segment[][] chains;

    private RegexDfa(Segment[][] chains) {
        this.chains = chains;
    }

    /**
     * The automaton for a superset of {@code regex} (searched anywhere in a text), or null when
     * the regex uses syntax the translation does not handle or every part would be too big.
     */
    public static RegexDfa of(String regex) {
        try {
            Parser p = new Parser(regex);
            List<List<Automaton>> branches = p.topLevel();
            if (p.pos != regex.length()) {
                return null;
            }
            List<Segment[]> chains = new ArrayList<>();
            for (List<Automaton> branch : branches) {
                List<Segment> chain = new ArrayList<>();
                for (Automaton part : branch) {
                    // A part too big to determinise is dropped: the chain then accepts more, which
                    // keeps it a superset.
                    Segment seg = determinize(Automaton.makeAnyString().concatenate(part));
                    if (seg != null) {
                        chain.add(seg);
                    }
                }
                if (chain.isEmpty()) {
                    return null; // this branch could match anything
                }
                chains.add(chain.toArray(new Segment[0]));
            }
            return new RegexDfa(chains.toArray(new Segment[0][]));
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /** Total states over all segments (for tests and diagnostics). */
    public int states() {
        int n = 0;
        for (Segment[] chain : chains) {
            for (Segment seg : chain) {
                n += seg.transitions.length / seg.classes;
            }
        }
        return n;
    }

    /**
     * False only if the regex has no match within {@code text[start, end)}: a match found by the
     * regex engine on that range implies true.
     */
    public boolean mayMatch(CharSequence text, int start, int end) {
        return mayMatch(text.toString().toCharArray(), start, end);
    }

    /** {@link #mayMatch(CharSequence, int, int)} on characters already copied out of a String (the hot path: no per-character String access). */
    public boolean mayMatch(char[] text, int start, int end) {
        for (Segment[] chain : chains) {
            int at = start;
            for (int k = 0; k < chain.length && at >= 0; k++) {
                at = chain[k].firstEnd(text, at, end);
            }
            if (at >= 0) {
                return true;
            }
        }
        return false;
    }

    /** One determinised segment, searched anywhere ({@code .*S}). */
    private static final class Segment {
        /** Entry of {@link #transitions} for the dead state. */
        private static final int DEAD = Integer.MIN_VALUE;

        private final boolean acceptsEmpty;
        /**
         * Transition table, row per state and column per character class, holding the target's
         * row offset (state × classes: a step is one add and one read), bit-inverted when the
         * target accepts, or {@link #DEAD}.
         */
        private final int[] transitions;
        private final int classes;
        /** Per ASCII character, its class; upper case already mapped to lower case. */
        private final int[] asciiClass;
        /** Start of each character class, ascending; class i is [points[i], points[i + 1]). */
        private final char[] points;

        Segment(boolean[] accept, int[] table, char[] points) {
            this.acceptsEmpty = accept[0];
            this.points = points;
            this.classes = points.length;
            this.transitions = new int[table.length];
            for (int k = 0; k < table.length; k++) {
                int t = table[k];
                transitions[k] = t < 0 ? DEAD : accept[t] ? ~(t * classes) : t * classes;
            }
            this.asciiClass = new int[ASCII];
            for (int c = 0; c < ASCII; c++) {
                asciiClass[c] = classOf(c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) c);
            }
        }

        /** The offset just past the earliest-ending match in {@code text[from, end)}, or -1. */
        int firstEnd(char[] text, int from, int end) {
            if (acceptsEmpty) {
                return from;
            }
            final int[] transitions = this.transitions;
            final int[] asciiClass = this.asciiClass;
            int row = 0;
            for (int i = from; i < end; i++) {
                char c = text[i];
                int v = transitions[row + (c < ASCII ? asciiClass[c] : classOf(fold(c)))];
                if (v >= 0) {
                    row = v;
                } else {
                    return v == DEAD ? -1 : i + 1;
                }
            }
            return -1;
        }

        private int classOf(char c) {
            int lo = 0;
            int hi = points.length;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (points[mid] > c) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return lo;
        }
    }

    /**
     * Subset construction with a hard cap on states. Written here rather than calling the
     * library's {@code determinize()} because that one has no budget: a few rule shapes
     * ({@code .*a.{0,6}b} and friends) need exponentially many states, and loading rules must
     * never hang. Over the cap, the regex simply keeps running as before.
     */
    private static Segment determinize(Automaton nfa) {
        List<State> nfaStates = new ArrayList<>(nfa.getStates());
        if (nfaStates.size() > MAX_NFA_STATES) {
            return null;
        }
        Map<State, Integer> index = new HashMap<>();
        for (int i = 0; i < nfaStates.size(); i++) {
            index.put(nfaStates.get(i), i);
        }
        TreeSet<Character> bounds = new TreeSet<>();
        bounds.add('\0');
        for (State st : nfaStates) {
            for (Transition t : st.getTransitions()) {
                bounds.add(t.getMin());
                if (t.getMax() < Character.MAX_VALUE) {
                    bounds.add((char) (t.getMax() + 1));
                }
            }
        }
        char[] points = new char[bounds.size()];
        int k = 0;
        for (char c : bounds) {
            points[k++] = c;
        }
        int classes = points.length;
        // Per NFA state and character class, the states it moves to.
        int[][][] moves = new int[nfaStates.size()][classes][];
        int[] none = new int[0];
        for (int i = 0; i < nfaStates.size(); i++) {
            int[][] row = moves[i];
            java.util.Arrays.fill(row, none);
            for (Transition t : nfaStates.get(i).getTransitions()) {
                int dest = index.get(t.getDest());
                for (int c = java.util.Arrays.binarySearch(points, t.getMin()); c < classes && points[c] <= t.getMax(); c++) {
                    int[] old = row[c];
                    int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
                    grown[old.length] = dest;
                    row[c] = grown;
                }
            }
        }
        Map<BitSet, Integer> ids = new HashMap<>();
        List<BitSet> sets = new ArrayList<>();
        BitSet start = new BitSet();
        start.set(index.get(nfa.getInitialState()));
        ids.put(start, 0);
        sets.add(start);
        int[] table = new int[Math.min(MAX_STATES, 64) * classes];
        for (int s = 0; s < sets.size(); s++) {
            BitSet current = sets.get(s);
            for (int c = 0; c < classes; c++) {
                BitSet next = new BitSet();
                for (int q = current.nextSetBit(0); q >= 0; q = current.nextSetBit(q + 1)) {
                    for (int dest : moves[q][c]) {
                        next.set(dest);
                    }
                }
                int target;
                if (next.isEmpty()) {
                    target = -1;
                } else {
                    Integer id = ids.get(next);
                    if (id == null) {
                        if (sets.size() == MAX_STATES) {
                            return null;
                        }
                        id = sets.size();
                        ids.put(next, id);
                        sets.add(next);
                    }
                    target = id;
                }
                int slot = s * classes + c;
                if (slot >= table.length) {
                    table = java.util.Arrays.copyOf(table, Math.max(table.length * 2, slot + classes));
                }
                table[slot] = target;
            }
        }
        boolean[] accept = new boolean[sets.size()];
        for (int s = 0; s < sets.size(); s++) {
            BitSet set = sets.get(s);
            for (int q = set.nextSetBit(0); q >= 0 && !accept[s]; q = set.nextSetBit(q + 1)) {
                accept[s] = nfaStates.get(q).isAccept();
            }
        }
        return new Segment(accept, java.util.Arrays.copyOf(table, sets.size() * classes), points);
    }

    /**
     * Builds the automaton for {@code regex} once it has been asked for {@code hotAfter} times,
     * once, shared by all threads: most regexes run rarely on a given workload, and building all
     * of them would slow loading for nothing. Regexes the workload keeps running get one.
     */
    public static final class Lazy {
        private final String regex;
        private final int hotAfter;
        /** Uses so far; racy increments are fine, it only decides when to build. */
        private int uses;
        private volatile boolean built;
        private RegexDfa dfa;

        public Lazy(String regex, int hotAfter) {
            this.regex = regex;
            this.hotAfter = hotAfter;
        }

        /** The automaton, or null when the regex has none (or is not hot yet). */
        public RegexDfa get() {
            if (!built) {
                if (uses < hotAfter) {
                    uses++;
                    return null;
                }
                synchronized (this) {
                    if (!built) {
                        dfa = of(regex);
                        built = true;
                    }
                }
            }
            return dfa;
        }
    }

    /**
     * Case folding shared by the pattern and the text: through upper case, so characters whose
     * case forms meet only there (long s and s, final and medial sigma) read the same.
     */
    static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** Recursive descent over RE2 syntax, building the superset automaton bottom-up. */
    private static final class Parser {
        private final String re;
        int pos;
        /** Whether the last primary was a wide class (any character, {@code \\S}, {@code \\w} …). */
        boolean wide;
        /** Whether the last repeat was an open-ended run of a wide class (a gap between segments). */
        boolean gap;
        /** Whether the last repeat was a group whose alternatives end in a gap (left off the automaton). */
        boolean endsWithGap;
        /** Set by {@link #concat()} and {@link #alternation()}: a trailing gap was left off. */
        boolean trailingGap;

        Parser(String re) {
            this.re = re;
        }

        /**
         * The regex's top-level branches, each split at its open-ended wide gaps into the parts
         * that must occur in order.
         */
        List<List<Automaton>> topLevel() {
            List<List<Automaton>> branches = new ArrayList<>();
            branches.add(segments());
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                branches.add(segments());
            }
            return branches;
        }

        private List<Automaton> segments() {
            List<Automaton> out = new ArrayList<>();
            List<Automaton> current = new ArrayList<>();
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                Automaton part = repeat();
                if (gap) {
                    if (!current.isEmpty()) {
                        out.add(Automaton.concatenate(current));
                        current = new ArrayList<>();
                    }
                } else if (endsWithGap) {
                    // (ignore\S*|forget\S*) then more: its trailing gap closes the segment too.
                    current.add(part);
                    out.add(Automaton.concatenate(current));
                    current = new ArrayList<>();
                } else {
                    current.add(part);
                }
            }
            if (!current.isEmpty()) {
                out.add(Automaton.concatenate(current));
            }
            if (out.isEmpty()) {
                out.add(Automaton.makeEmptyString());
            }
            return out;
        }

        /**
         * Alternatives; sets {@link #trailingGap} when some alternative ends in a gap, which is
         * then left off every alternative: {@code (a\\S*|b)} becomes {@code (a|b)} followed by
         * a gap, a superset that lets the caller split segments there.
         */
        Automaton alternation() {
            List<Automaton> branches = new ArrayList<>();
            branches.add(concat());
            boolean anyGap = trailingGap;
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                branches.add(concat());
                anyGap |= trailingGap;
            }
            trailingGap = anyGap;
            return branches.size() == 1 ? branches.get(0) : Automaton.union(branches);
        }

        /** A concatenation; a trailing gap is left off and reported in {@link #trailingGap}. */
        Automaton concat() {
            List<Automaton> parts = new ArrayList<>();
            boolean lastGap = false;
            while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
                Automaton part = repeat();
                if (lastGap) {
                    parts.add(Automaton.makeAnyString()); // a gap in the middle stays in
                }
                lastGap = gap || endsWithGap;
                if (!gap) {
                    parts.add(part);
                }
            }
            trailingGap = lastGap;
            return parts.isEmpty() ? Automaton.makeEmptyString() : Automaton.concatenate(parts);
        }

        Automaton repeat() {
            wide = false;
            trailingGap = false;
            Automaton base = primary();
            boolean baseWide = wide;
            boolean groupGap = trailingGap; // only a group sets it
            gap = false;
            endsWithGap = false;
            for (RegexSyntax.Quantifier q; (q = RegexSyntax.quantifier(re, pos)) != null; ) {
                pos = q.end();
                int min = q.min();
                int max = q.max();
                if (groupGap) {
                    base = base.concatenate(Automaton.makeAnyString()); // repeated: put the gap back
                    groupGap = false;
                }
                // Fewer required copies and no upper bound: a superset with a small automaton.
                if (min > MAX_COUNT) {
                    min = MAX_COUNT;
                    max = -1;
                }
                if (baseWide && min > 1) {
                    min = 1;
                    max = -1;
                }
                // Counting wide classes ({@code .{0,6}}) is what makes automata explode: a DFA
                // must remember every recent position; open-ended, it needs one state.
                if (max > MAX_COUNT || (baseWide && max > 1)) {
                    max = -1;
                }
                base = max < 0 ? base.repeat(min) : base.repeat(min, max);
                gap = baseWide && max < 0;
            }
            endsWithGap = groupGap;
            return base;
        }

        Automaton primary() {
            char c = re.charAt(pos);
            switch (c) {
                case '(':
                    return group();
                case '[':
                    return charClass();
                case '.':
                    pos++;
                    wide = true;
                    return Automaton.makeAnyChar();
                case '^':
                case '$':
                    pos++;
                    return Automaton.makeEmptyString();
                case '\\':
                    return escape();
                default:
                    int cp = re.codePointAt(pos);
                    pos += Character.charCount(cp);
                    return literal(cp);
            }
        }

        Automaton group() {
            pos++; // (
            if (re.startsWith("?", pos)) {
                pos++;
                if (re.startsWith("P<", pos) || re.startsWith("<", pos)) {
                    pos = re.indexOf('>', pos) + 1;
                } else {
                    int end = pos;
                    while (end < re.length() && re.charAt(end) != ')' && re.charAt(end) != ':') {
                        end++;
                    }
                    if (end >= re.length()) {
                        throw new IllegalArgumentException("unterminated group");
                    }
                    if (!re.substring(pos, end).matches("[A-Za-z-]*")) {
                        throw new IllegalArgumentException("unsupported group"); // look-around and the like
                    }
                    boolean standalone = re.charAt(end) == ')';
                    pos = end + 1;
                    if (standalone) {
                        return Automaton.makeEmptyString(); // flags such as (?i): the DFA already ignores case
                    }
                }
            }
            Automaton inner = alternation();
            if (pos >= re.length() || re.charAt(pos) != ')') {
                throw new IllegalArgumentException("unbalanced group");
            }
            pos++;
            return inner;
        }

        Automaton escape() {
            pos++; // backslash
            char c = re.charAt(pos++);
            switch (c) {
                case 'b': case 'B': case 'A': case 'z':
                    return Automaton.makeEmptyString();
                case 'd':
                    return Automaton.makeCharRange('0', '9');
                case 's':
                    return Automaton.makeCharSet("\t\n\f\r ");
                case 'w':
                    wide = true;
                    return word();
                case 'D': case 'W': case 'S': case 'C':
                    wide = true;
                    return Automaton.makeAnyChar();
                case 'p': case 'P':
                    wide = true;
                    if (pos < re.length() && re.charAt(pos) == '{') {
                        pos = re.indexOf('}', pos) + 1;
                    } else {
                        pos++;
                    }
                    return Automaton.makeAnyChar();
                case 'x':
                    return literal(hexEscape());
                case 'Q': {
                    int end = re.indexOf("\\E", pos);
                    String lit = end < 0 ? re.substring(pos) : re.substring(pos, end);
                    pos = end < 0 ? re.length() : end + 2;
                    List<Automaton> chars = new ArrayList<>();
                    lit.codePoints().forEach(cp -> chars.add(literal(cp)));
                    return chars.isEmpty() ? Automaton.makeEmptyString() : Automaton.concatenate(chars);
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

        private static Automaton word() {
            return Automaton.makeCharRange('a', 'z').union(Automaton.makeCharRange('0', '9')).union(Automaton.makeChar('_'));
        }

        private int hexEscape() {
            RegexSyntax.Escaped e = RegexSyntax.hex(re, pos);
            pos = e.end();
            return e.codePoint();
        }

        /** A class: its lower-cased members; negated classes and Unicode properties give any character. */
        Automaton charClass() {
            pos++; // [
            boolean negated = false;
            if (re.charAt(pos) == '^') {
                negated = true;
                pos++;
            }
            boolean any = negated;
            List<Automaton> members = new ArrayList<>();
            boolean first = true;
            while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
                first = false;
                if (re.startsWith("[:", pos)) {
                    pos = re.indexOf(":]", pos) + 2;
                    any = true;
                    continue;
                }
                int lo;
                if (re.charAt(pos) == '\\') {
                    pos++;
                    char e = re.charAt(pos++);
                    if (e == 'd') {
                        members.add(Automaton.makeCharRange('0', '9'));
                        continue;
                    }
                    if (e == 's') {
                        members.add(Automaton.makeCharSet("\t\n\f\r "));
                        continue;
                    }
                    if (e == 'w') {
                        members.add(word());
                        continue;
                    }
                    if ("DWSpP".indexOf(e) >= 0) {
                        if ((e == 'p' || e == 'P') && pos < re.length()) {
                            pos = re.charAt(pos) == '{' ? re.indexOf('}', pos) + 1 : pos + 1;
                        }
                        any = true;
                        continue;
                    }
                    lo = switch (e) {
                        case 'x' -> hexEscape();
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'f' -> '\f';
                        case 'v' -> 0x0B;
                        default -> {
                            if (Character.isLetterOrDigit(e)) {
                                throw new IllegalArgumentException("unknown escape \\" + e);
                            }
                            yield e;
                        }
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
                if (hi > 0xFFFF || hi - lo > 64) {
                    any = true; // supplementary or wide ranges: not worth enumerating
                } else {
                    for (int cp = lo; cp <= hi; cp++) {
                        members.add(literal(cp));
                    }
                }
            }
            if (pos >= re.length()) {
                throw new IllegalArgumentException("unterminated class");
            }
            pos++; // ]
            if (any || members.isEmpty()) {
                wide = true;
                return Automaton.makeAnyChar();
            }
            wide = members.size() > 16;
            return Automaton.union(members);
        }

        /**
         * One character as the scanner sees it (folded per char). Characters outside the BMP are
         * two UTF-16 units, matched as they are (rare in rules and text alike).
         */
        private static Automaton literal(int cp) {
            if (cp > 0xFFFF) {
                return Automaton.makeString(new String(Character.toChars(cp)));
            }
            return Automaton.makeChar(fold((char) cp));
        }
    }
}
