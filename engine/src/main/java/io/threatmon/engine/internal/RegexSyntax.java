package io.threatmon.engine.internal;

/**
 * The lexical pieces of RE2 syntax that both regex readers ({@link RegexAtoms} for literal atoms,
 * {@link RegexDfa} for superset automata) need, read the same way in one place.
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
