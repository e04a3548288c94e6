package com.google.re2j;

/**
 * The instruction program RE2/J compiles a {@link Pattern} to, read-only, for ThreatMon's lazy DFA
 * ({@code io.threatmon.engine.internal.LazyDfa}).
 *
 * <p>Why this class sits in RE2/J's package: RE2/J runs its program only as an NFA simulation and
 * keeps the program ({@code Prog}, {@code Inst}) package-private. Reading the program it compiled
 * (instead of parsing the rule syntax a second time) lets the DFA match exactly what RE2/J matches
 * — the same case folding, Unicode classes and empty-width assertions — and matching runes goes
 * through RE2/J's own {@code Inst.matchRune}. Nothing here changes the program.
 *
 * <pre>{@code
 * ProgramExport p = ProgramExport.of(Pattern.compile("(?i)\\bignore\\b"));
 * for (int pc = 0; pc < p.size(); pc++) System.out.println(p.op(pc) + " -> " + p.out(pc));
 * }</pre>
 */
public final class ProgramExport {

    public static final int ALT = Inst.ALT;
    public static final int ALT_MATCH = Inst.ALT_MATCH;
    public static final int CAPTURE = Inst.CAPTURE;
    public static final int EMPTY_WIDTH = Inst.EMPTY_WIDTH;
    public static final int FAIL = Inst.FAIL;
    public static final int MATCH = Inst.MATCH;
    public static final int NOP = Inst.NOP;
    public static final int RUNE = Inst.RUNE;
    public static final int RUNE1 = Inst.RUNE1;
    public static final int RUNE_ANY = Inst.RUNE_ANY;
    public static final int RUNE_ANY_NOT_NL = Inst.RUNE_ANY_NOT_NL;

    public static final int EMPTY_BEGIN_LINE = Utils.EMPTY_BEGIN_LINE;
    public static final int EMPTY_END_LINE = Utils.EMPTY_END_LINE;
    public static final int EMPTY_BEGIN_TEXT = Utils.EMPTY_BEGIN_TEXT;
    public static final int EMPTY_END_TEXT = Utils.EMPTY_END_TEXT;
    public static final int EMPTY_WORD_BOUNDARY = Utils.EMPTY_WORD_BOUNDARY;
    public static final int EMPTY_NO_WORD_BOUNDARY = Utils.EMPTY_NO_WORD_BOUNDARY;

    /**
     * Whether {@code p} matches the empty text as a whole ({@code p.matches("")}), on a matcher of
     * its own: RE2/J would keep the one it used in the pattern's pool for good, and a rule set
     * checks every one of its ~1,400 regexes this way while loading, most of which never run on
     * RE2/J again (the lazy DFAs answer), so those matchers were ~5 MB of a loaded client's heap.
     */
    public static boolean matchesEmpty(Pattern p) {
        Machine m = new Machine(p.re2());
        m.init(0);
        return m.match(MachineInput.fromUTF16(""), 0, RE2.ANCHOR_BOTH);
    }

    private final Inst[] inst;
    private final int start;

    private ProgramExport(Prog prog) {
        this.inst = new Inst[prog.numInst()];
        for (int pc = 0; pc < inst.length; pc++) {
            inst[pc] = prog.getInst(pc);
        }
        this.start = prog.start;
    }

    /** The program of {@code pattern}. */
    public static ProgramExport of(Pattern pattern) {
        return new ProgramExport(pattern.re2().prog);
    }

    /** Number of instructions. */
    public int size() {
        return inst.length;
    }

    /** The instruction where a match attempt starts. */
    public int start() {
        return start;
    }

    /** The instruction's operation: one of the constants above. */
    public int op(int pc) {
        return inst[pc].op;
    }

    /** The next instruction (for alternations, the first branch). */
    public int out(int pc) {
        return inst[pc].out;
    }

    /**
     * The operand: the second branch of an alternation, the required {@code EMPTY_*} flags of an
     * empty-width assertion, the fold-case flag of a rune instruction.
     */
    public int arg(int pc) {
        return inst[pc].arg;
    }

    /** The rune (code point) ranges of a rune instruction, in pairs, or its single rune. */
    public int[] runes(int pc) {
        int[] r = inst[pc].runes;
        return r == null ? new int[0] : r.clone();
    }

    /** Whether a single-rune instruction matches case-insensitively. */
    public boolean foldCase(int pc) {
        return (inst[pc].arg & RE2.FOLD_CASE) != 0;
    }

    /** Whether the rune instruction at {@code pc} accepts {@code rune}, exactly as RE2/J decides. */
    public boolean matchRune(int pc, int rune) {
        Inst i = inst[pc];
        switch (i.op) {
            case Inst.RUNE_ANY:
                return true;
            case Inst.RUNE_ANY_NOT_NL:
                return rune != '\n';
            case Inst.RUNE:
            case Inst.RUNE1:
                return i.matchRune(rune);
            default:
                return false;
        }
    }

    /** The runes equal to {@code rune} under RE2/J's simple case folding, {@code rune} first. */
    public static int[] foldOrbit(int rune) {
        int[] out = new int[] {rune};
        if (rune < Unicode.MIN_FOLD || rune > Unicode.MAX_FOLD) {
            return out;
        }
        for (int r = Unicode.simpleFold(rune); r != rune; r = Unicode.simpleFold(r)) {
            out = java.util.Arrays.copyOf(out, out.length + 1);
            out[out.length - 1] = r;
        }
        return out;
    }

    /** RE2/J's word characters for {@code \b}: ASCII letters, digits and underscore. */
    public static boolean isWordRune(int rune) {
        return Utils.isWordRune(rune);
    }
}
