package io.threatmon.engine.internal;

/**
 * The lexical pieces of RE2 syntax that the regex readers ({@link RegexAtoms} for literal atoms,
 * {@link #relaxRepeats} for the relaxed automata) need, read the same way in one place.
 */
final class RegexSyntax {

    /** Unbounded repeat count. */
    static final int UNBOUNDED = -1;

    private RegexSyntax() {}

    /** A repeat operator: {@code min}, {@code max} ({@link #UNBOUNDED} for none) and the index just past it. */
    record Quantifier(int min, int max, int end) {}

    /** The repeat operator at {@code pos} ({@code * + ? {n} {n,} {n,m}}, lazy or not), or null. */
    static Quantifier quantifier(String re, int pos) {
        if (pos >= re.length()) {
            return null;
        }
        char c = re.charAt(pos);
        Quantifier q;
        if (c == '*') {
            q = new Quantifier(0, UNBOUNDED, pos + 1);
        } else if (c == '+') {
            q = new Quantifier(1, UNBOUNDED, pos + 1);
        } else if (c == '?') {
            q = new Quantifier(0, 1, pos + 1);
        } else if (c == '{' && isCountedRepeat(re, pos)) {
            int close = re.indexOf('}', pos);
            String[] parts = re.substring(pos + 1, close).split(",", -1);
            int min = Integer.parseInt(parts[0]);
            int max = parts.length == 1 ? min : parts[1].isEmpty() ? UNBOUNDED : Integer.parseInt(parts[1]);
            q = new Quantifier(min, max, close + 1);
        } else {
            return null;
        }
        if (q.end() < re.length() && re.charAt(q.end()) == '?') {
            q = new Quantifier(q.min(), q.max(), q.end() + 1); // lazy: same language
        }
        return q;
    }

    private static boolean isCountedRepeat(String re, int pos) {
        int close = re.indexOf('}', pos);
        return close > pos + 1 && re.substring(pos + 1, close).matches("\\d+(,\\d*)?");
    }

    /**
     * {@code re} with every counted repeat whose maximum exceeds {@code maxKept} made open-ended
     * ({@code .{3,500}} → {@code .{3,}}): a regex matching a superset of what {@code re} matches,
     * whose automaton does not need a state per position of the count. Null when nothing changes.
     * Repeats inside character classes, escapes and {@code \Q…\E} are left alone.
     */
    static String relaxRepeats(String re, int maxKept) {
        StringBuilder out = new StringBuilder(re.length());
        boolean changed = false;
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                int end = escapeEnd(re, i);
                out.append(re, i, end);
                i = end;
            } else if (c == '[') {
                int end = classEnd(re, i);
                out.append(re, i, end);
                i = end;
            } else if (c == '{' && isCountedRepeat(re, i)) {
                Quantifier q = quantifier(re, i);
                int close = re.indexOf('}', i);
                if (q.max() != UNBOUNDED && q.max() > maxKept && q.max() > q.min()) {
                    out.append('{').append(q.min()).append(",}");
                    changed = true;
                } else {
                    out.append(re, i, close + 1);
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return changed ? out.toString() : null;
    }

    /** The index just past the escape starting at {@code pos} (a backslash). */
    private static int escapeEnd(String re, int pos) {
        char e = re.charAt(pos + 1);
        if (e == 'Q') {
            int close = re.indexOf("\\E", pos + 2);
            return close < 0 ? re.length() : close + 2;
        }
        if ((e == 'x' || e == 'p' || e == 'P') && pos + 2 < re.length() && re.charAt(pos + 2) == '{') {
            int close = re.indexOf('}', pos + 2);
            return close < 0 ? re.length() : close + 1;
        }
        return pos + 2;
    }

    /** The index just past the character class opening at {@code pos}. */
    private static int classEnd(String re, int pos) {
        int i = pos + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++; // a leading ] is a literal
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\' && i + 1 < re.length()) {
                i = escapeEnd(re, i);
            } else if (c == '[' && i + 1 < re.length() && re.charAt(i + 1) == ':') {
                int close = re.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return re.length();
    }

    /** A code point read from an escape, and the index just past it. */
    record Escaped(int codePoint, int end) {}

    /** The hex escape whose digits start at {@code pos} (just after {@code \x}): {@code \x41} or {@code \x{1F600}}. */
    static Escaped hex(String re, int pos) {
        if (re.charAt(pos) == '{') {
            int close = re.indexOf('}', pos);
            return new Escaped(Integer.parseInt(re.substring(pos + 1, close), 16), close + 1);
        }
        return new Escaped(Integer.parseInt(re.substring(pos, pos + 2), 16), pos + 2);
    }

    /** The character of a control escape ({@code \n \t \r \f \v \a}), or -1 for other letters. */
    static int control(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case 'a' -> 0x07;
            default -> -1;
        };
    }
}
