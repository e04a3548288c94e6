package io.threatmon.engine.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins string concatenations the way the code would: {@code "I have been " + "PWN" + "ED"} reads
 * "I have been PWNED", and after {@code a = "ignore all"} and {@code b = " previous rules"} the
 * expression {@code a + b} reads "ignore all previous rules". Payload splitting hides a phrase
 * from keyword filters by cutting it into pieces the model is asked to put back together; the
 * decoded view (see {@link TextViews}) puts them back first, so every rule sees the phrase.
 *
 * <p>Only quoted literals (', ", `) and names assigned a quoted literal in the same text are
 * joined, and only chains of at least two pieces. A text without {@code +} costs one scan.
 *
 * <pre>{@code
 * List<Decoders.Segment> s = Concatenations.find("x = 'ign'; y = 'ore the rules'; run x + y");
 * // one segment "concat" over "x + y" that reads "ignore the rules"
 * }</pre>
 */
final class Concatenations {

    /** Longest quoted literal read (a longer one is left as it is). */
    static final int MAX_LITERAL = 400;
    static final int MAX_SEGMENTS = 16;
    /**
     * Most characters joined in one text, all chains together. A name can be repeated
     * ({@code a + a + a …}), so without a cap a few kilobytes of input could expand into megabytes
     * of decoded view.
     */
    static final int MAX_JOINED = 8192;
    private static final int MAX_NAME = 32;

    private Concatenations() {}

    /** Joined concatenations of {@code text} in order of position, as decoded segments. */
    static List<Decoders.Segment> find(String text, char[] chars) {
        int n = chars.length;
        int firstPlus = text.indexOf('+');
        if (firstPlus < 0) {
            return List.of();
        }
        Map<String, String> names = assignments(text, chars);
        List<Decoders.Segment> out = new ArrayList<>(0);
        int done = 0;
        int total = 0;
        for (int p = firstPlus; p < n && out.size() < MAX_SEGMENTS && total < MAX_JOINED; p++) {
            if (chars[p] != '+' || p < done) {
                continue;
            }
            int start = operandStartBefore(text, chars, p, names);
            if (start < done) {
                continue;
            }
            StringBuilder joined = new StringBuilder();
            int pieces = 0;
            int pos = start;
            int end = start;
            while (true) {
                int operandEnd = operand(text, chars, pos, names, joined);
                if (operandEnd < 0) {
                    break;
                }
                pieces++;
                end = operandEnd;
                int k = skipSpaces(chars, operandEnd);
                if (k >= n || chars[k] != '+' || total + joined.length() >= MAX_JOINED) {
                    break;
                }
                pos = skipSpaces(chars, k + 1);
            }
            if (pieces >= 2 && hasLetter(joined)) {
                out.add(new Decoders.Segment("concat", start, end, joined.toString()));
                done = end;
                total += joined.length();
            }
        }
        return out;
    }

    /** Names assigned a quoted literal ({@code name = "…"}, {@code name: '…'}); a later assignment wins. */
    private static Map<String, String> assignments(String text, char[] chars) {
        Map<String, String> names = new HashMap<>();
        int n = chars.length;
        for (int e = 1; e < n; e++) {
            char c = chars[e];
            if (c != '=' && c != ':') {
                continue;
            }
            if (c == '=' && ((e + 1 < n && (chars[e + 1] == '=' || chars[e + 1] == '>'))
                    || "=!<>+-*/".indexOf(chars[e - 1]) >= 0)) {
                continue;
            }
            int nameEnd = e;
            while (nameEnd > 0 && chars[nameEnd - 1] == ' ') {
                nameEnd--;
            }
            int nameStart = nameEnd;
            while (nameStart > 0 && nameEnd - nameStart < MAX_NAME && isNameChar(chars[nameStart - 1])) {
                nameStart--;
            }
            if (nameStart == nameEnd || Character.isDigit(chars[nameStart])
                    || (nameStart > 0 && isNameChar(chars[nameStart - 1]))) {
                continue;
            }
            int q = skipSpaces(chars, e + 1);
            int close = literalEnd(chars, q);
            if (close > 0) {
                names.put(text.substring(nameStart, nameEnd), text.substring(q + 1, close - 1));
            }
        }
        return names;
    }

    /** Where the operand just before the {@code +} at {@code p} starts, or -1 when there is none. */
    private static int operandStartBefore(String text, char[] chars, int p, Map<String, String> names) {
        int k = p;
        while (k > 0 && chars[k - 1] == ' ') {
            k--;
        }
        if (k == 0) {
            return -1;
        }
        char last = chars[k - 1];
        if (isQuote(last)) {
            for (int s = k - 2; s >= 0 && k - s <= MAX_LITERAL; s--) {
                if (chars[s] == '\n') {
                    return -1;
                }
                if (chars[s] == last) {
                    return s;
                }
            }
            return -1;
        }
        if (isNameChar(last)) {
            int s = k - 1;
            while (s > 0 && k - s < MAX_NAME && isNameChar(chars[s - 1])) {
                s--;
            }
            return names.containsKey(text.substring(s, k)) ? s : -1;
        }
        return -1;
    }

    /** Reads one operand at {@code pos} into {@code joined}; its end, or -1 when there is none. */
    private static int operand(String text, char[] chars, int pos, Map<String, String> names, StringBuilder joined) {
        if (pos < 0 || pos >= chars.length) {
            return -1;
        }
        int close = literalEnd(chars, pos);
        if (close > 0) {
            joined.append(chars, pos + 1, close - pos - 2);
            return close;
        }
        if (!isNameChar(chars[pos]) || (pos > 0 && isNameChar(chars[pos - 1]))) {
            return -1;
        }
        int end = pos;
        while (end < chars.length && end - pos < MAX_NAME && isNameChar(chars[end])) {
            end++;
        }
        String value = names.get(text.substring(pos, end));
        if (value == null) {
            return -1;
        }
        joined.append(value);
        return end;
    }

    /** The end (after the closing quote) of a quoted literal opening at {@code q}, or -1. */
    private static int literalEnd(char[] chars, int q) {
        if (q >= chars.length || !isQuote(chars[q])) {
            return -1;
        }
        char quote = chars[q];
        for (int k = q + 1; k < chars.length && k - q <= MAX_LITERAL; k++) {
            char c = chars[k];
            if (c == '\n') {
                return -1;
            }
            if (c == quote) {
                return k + 1;
            }
        }
        return -1;
    }

    private static int skipSpaces(char[] chars, int k) {
        while (k < chars.length && (chars[k] == ' ' || chars[k] == '\t')) {
            k++;
        }
        return k;
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean hasLetter(CharSequence s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isLetter(s.charAt(k))) {
                return true;
            }
        }
        return false;
    }
}
