package io.threatmon.engine.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Finds segments of a text that are base64, hex, binary octets, URL-encoded, <code>&#92;u</code>
 * escapes or HTML numeric entities, and decodes those that turn out to be readable text; string
 * concatenations ({@code "PWN" + "ED"}) are joined too ({@link Concatenations}). Encoded
 * payloads are a classic way to slip instructions past keyword filters ("decode this and follow it:
 * aWdub3Jl…").
 *
 * <p>Candidates that decode to binary or invalid UTF-8 (hashes, ids, ordinary long words) are
 * dropped by a readability check, so this costs little on normal text.
 */
public final class Decoders {

    /** A decoded segment: which encoding, where it was in the input, and the decoded text. */
    public record Segment(String encoding, int start, int end, String text) {}

    static final int MIN_BASE64 = 16;
    static final int MIN_HEX_DIGITS = 16;
    static final int MAX_SEGMENTS = 16;
    static final int MAX_ATTEMPTS = 64;

    private Decoders() {}

    /** The readable decoded segments of {@code text}, in order of position, at most {@value #MAX_SEGMENTS}. */
    public static List<Segment> find(String text) {
        // An array read per character: String.charAt checks its index on every call under C1.
        return find(text, text.toCharArray());
    }

    /** {@link #find(String)} given the text's characters too (read, not changed). */
    static List<Segment> find(String text, char[] chars) {
        List<Segment> out = new ArrayList<>(0);
        int attempts = 0;
        int n = text.length();
        int i = 0;
        while (i < n && out.size() < MAX_SEGMENTS && attempts < MAX_ATTEMPTS) {
            char c = chars[i];
            if (c == '%' && i + 2 < n && isHex(chars[i + 1]) && isHex(chars[i + 2])) {
                int end = tokenEnd(text, i);
                int start = tokenStart(text, i);
                attempts++;
                addReadable(out, "url", start, end, urlDecode(text.substring(start, end)));
                i = end;
                continue;
            }
            if (c == '&' && text.startsWith("&#", i)) {
                int end = entityRunEnd(text, i);
                if (end > i) {
                    attempts++;
                    addReadable(out, "html", i, end, entityDecode(text.substring(i, end)));
                    i = end;
                    continue;
                }
            }
            if (c == '\\' && i + 3 < n && (chars[i + 1] == 'x' || chars[i + 1] == 'X')) {
                int end = escapedHexRunEnd(text, i);
                if (end > i) {
                    attempts++;
                    addReadable(out, "hex", i, end, hexDecode(text.substring(i, end).replaceAll("\\\\[xX]", "")));
                    i = end;
                    continue;
                }
            }
            if (c == '\\' && i + 5 < n && chars[i + 1] == 'u') {
                int end = unicodeEscapeRunEnd(chars, n, i);
                if (end > i) {
                    attempts++;
                    addReadable(out, "unicode-escape", i, end, unicodeEscapeDecode(chars, i, end));
                    i = end;
                    continue;
                }
            }
            if (isBase64Char(c) && (i == 0 || !isBase64Char(chars[i - 1]))) {
                int end = i;
                while (end < n && isBase64Char(chars[end])) {
                    end++;
                }
                int padEnd = end;
                while (padEnd < n && padEnd - end < 2 && chars[padEnd] == '=') {
                    padEnd++;
                }
                // Spaced hex ("69 67 6e …") starts with a two-digit token; longer tokens are not.
                int spaced = end - i == 2 ? spacedHexEnd(text, i) : -1;
                if (spaced > 0) {
                    attempts++;
                    String decoded = hexDecode(text.substring(i, spaced).replaceAll("[ :]", ""));
                    if (addReadable(out, "hex", i, spaced, decoded)) {
                        i = spaced;
                        continue;
                    }
                }
                // Binary octets ("01001001 01100111 …"): eight-digit tokens, too short for base64.
                int bits = end - i == 8 ? binaryRunEnd(chars, n, i) : -1;
                if (bits > 0) {
                    attempts++;
                    if (addReadable(out, "binary", i, bits, binaryDecode(chars, i, bits))) {
                        i = bits;
                        continue;
                    }
                }
                if (end - i >= MIN_BASE64) {
                    attempts++;
                    String token = text.substring(i, end);
                    String decoded = allHex(token) && token.length() >= MIN_HEX_DIGITS
                            ? hexDecode(token.startsWith("0x") ? token.substring(2) : token)
                            : base64Decode(token);
                    addReadable(out, allHex(token) ? "hex" : "base64", i, padEnd, decoded);
                }
                i = padEnd;
                continue;
            }
            i++;
        }
        List<Segment> joined = Concatenations.find(text, chars);
        return joined.isEmpty() ? out : merge(out, joined);
    }

    /** Adds the segment when its decoding was readable ({@code decoded} not null); whether it did. */
    private static boolean addReadable(List<Segment> out, String encoding, int start, int end, String decoded) {
        if (decoded != null) {
            out.add(new Segment(encoding, start, end, decoded));
        }
        return decoded != null;
    }

    /** Both lists in order of position; a segment overlapping an earlier one is dropped. */
    private static List<Segment> merge(List<Segment> a, List<Segment> b) {
        List<Segment> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(java.util.Comparator.comparingInt(Segment::start)
                .thenComparing(java.util.Comparator.comparingInt(Segment::end).reversed()));
        List<Segment> out = new ArrayList<>(all.size());
        int end = 0;
        for (Segment s : all) {
            if (s.start() >= end && out.size() < MAX_SEGMENTS) {
                out.add(s);
                end = s.end();
            }
        }
        return out;
    }

    private static String base64Decode(String token) {
        String t = token;
        if (t.length() % 4 == 1) {
            t = t.substring(0, t.length() - 1);
        }
        boolean urlSafe = t.indexOf('-') >= 0 || t.indexOf('_') >= 0;
        if (urlSafe && (t.indexOf('+') >= 0 || t.indexOf('/') >= 0)) {
            return null;
        }
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(pad(t));
            return readable(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String pad(String t) {
        int rem = t.length() % 4;
        return rem == 0 ? t : t + "==".substring(0, 4 - rem);
    }

    private static String hexDecode(String hex) {
        if (hex.length() % 2 != 0 || hex.length() < MIN_HEX_DIGITS) {
            return null;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int k = 0; k < bytes.length; k++) {
            int hi = Character.digit(hex.charAt(2 * k), 16);
            int lo = Character.digit(hex.charAt(2 * k + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            bytes[k] = (byte) (hi * 16 + lo);
        }
        return readable(bytes);
    }

    private static String urlDecode(String token) {
        int escapes = 0;
        for (int k = 0; k + 2 < token.length(); k++) {
            if (token.charAt(k) == '%' && isHex(token.charAt(k + 1)) && isHex(token.charAt(k + 2))) {
                escapes++;
            }
        }
        if (escapes < 3) {
            return null;
        }
        try {
            String decoded = java.net.URLDecoder.decode(token, StandardCharsets.UTF_8);
            return readable(decoded.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String entityDecode(String run) {
        StringBuilder b = new StringBuilder();
        int k = 0;
        while (k < run.length()) {
            int semi = run.indexOf(';', k);
            if (!run.startsWith("&#", k) || semi < 0) {
                return null;
            }
            String num = run.substring(k + 2, semi);
            try {
                int cp = num.startsWith("x") || num.startsWith("X")
                        ? Integer.parseInt(num.substring(1), 16) : Integer.parseInt(num);
                if (!Character.isValidCodePoint(cp)) {
                    return null;
                }
                b.appendCodePoint(cp);
            } catch (NumberFormatException e) {
                return null;
            }
            k = semi + 1;
        }
        return readable(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Readable text from bytes, or null: strict UTF-8, ≥ 6 characters, mostly printable, some letters. */
    static String readable(byte[] bytes) {
        if (bytes.length < 6) {
            return null;
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        int printable = 0;
        int letters = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            int type = Character.getType(c);
            if (Character.isLetter(c) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK) {
                letters++; // a Devanagari vowel sign is as much a part of the word as a letter
                printable++;
            } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || (c >= 0x21 && c < 0x7F)
                    || (c >= 0xA0 && type != Character.UNASSIGNED && type != Character.PRIVATE_USE
                        && type != Character.CONTROL && type != Character.FORMAT)) {
                printable++; // CJK and other scripts' punctuation ("。", "、") included
            }
        }
        // A record full of numbers ("order 4471, total 93.20") is text too: 40% letters, not half.
        return printable >= 0.95 * s.length() && letters >= 0.4 * s.length() ? s : null;
    }

    private static int tokenStart(String text, int i) {
        int s = i;
        while (s > 0 && !Character.isWhitespace(text.charAt(s - 1)) && text.charAt(s - 1) != '"' && text.charAt(s - 1) != '\'') {
            s--;
        }
        return s;
    }

    private static int tokenEnd(String text, int i) {
        int e = i;
        while (e < text.length() && !Character.isWhitespace(text.charAt(e)) && text.charAt(e) != '"' && text.charAt(e) != '\'') {
            e++;
        }
        return e;
    }

    private static int entityRunEnd(String text, int i) {
        int k = i;
        int count = 0;
        while (text.startsWith("&#", k)) {
            int semi = text.indexOf(';', k);
            if (semi < 0 || semi - k > 10) {
                break;
            }
            k = semi + 1;
            count++;
        }
        return count >= 4 ? k : -1;
    }

    private static int escapedHexRunEnd(String text, int i) {
        int k = i;
        int count = 0;
        while (k + 3 < text.length() + 0 && text.charAt(k) == '\\' && (text.charAt(k + 1) == 'x' || text.charAt(k + 1) == 'X')
                && isHex(text.charAt(k + 2)) && isHex(text.charAt(k + 3))) {
            k += 4;
            count++;
        }
        return count >= 6 ? k : -1;
    }

    /** "69 67 6e 6f …" or "69:67:6e…": byte pairs separated by one space or colon, at least 8. */
    private static int spacedHexEnd(String text, int i) {
        int k = i;
        int count = 0;
        while (k + 1 < text.length() && isHex(text.charAt(k)) && isHex(text.charAt(k + 1))
                && (k + 2 == text.length() || !isBase64Char(text.charAt(k + 2)))) {
            count++;
            k += 2;
            if (k + 2 < text.length() && (text.charAt(k) == ' ' || text.charAt(k) == ':')
                    && isHex(text.charAt(k + 1))) {
                k++;
            } else {
                break;
            }
        }
        return count >= 8 ? k : -1;
    }

    /**
     * Escaped code units (<code>&#92;u0069&#92;u0067…</code>, as JSON, Java and JavaScript write
     * them) or code points (<code>&#92;u{69}</code>), at least two in a row: the end of the run, else -1.
     */
    private static int unicodeEscapeRunEnd(char[] chars, int n, int i) {
        int k = i;
        int count = 0;
        while (k + 1 < n && chars[k] == '\\' && chars[k + 1] == 'u') {
            int next = escapeEnd(chars, n, k);
            if (next < 0) {
                break;
            }
            k = next;
            count++;
        }
        return count >= 2 ? k : -1;
    }

    /** The end of one <code>&#92;uXXXX</code> or <code>&#92;u{X…}</code> escape starting at {@code k}, else -1. */
    private static int escapeEnd(char[] chars, int n, int k) {
        if (k + 2 < n && chars[k + 2] == '{') {
            int d = k + 3;
            while (d < n && d - (k + 3) < 6 && isHex(chars[d])) {
                d++;
            }
            return d > k + 3 && d < n && chars[d] == '}' ? d + 1 : -1;
        }
        if (k + 6 > n) {
            return -1;
        }
        for (int d = k + 2; d < k + 6; d++) {
            if (!isHex(chars[d])) {
                return -1;
            }
        }
        return k + 6;
    }

    private static String unicodeEscapeDecode(char[] chars, int from, int to) {
        StringBuilder b = new StringBuilder();
        int k = from;
        while (k < to) {
            int end = escapeEnd(chars, to, k);
            boolean braced = chars[k + 2] == '{';
            int value = Integer.parseInt(new String(chars, k + (braced ? 3 : 2), end - k - (braced ? 4 : 2)), 16);
            if (braced) {
                if (!Character.isValidCodePoint(value)) {
                    return null;
                }
                b.appendCodePoint(value);
            } else {
                b.append((char) value); // UTF-16 code units: a surrogate pair is two escapes
            }
            k = end;
        }
        String s = b.toString();
        // A lone surrogate would turn into '?' on the UTF-8 round trip of the readability check.
        boolean loneSurrogate = s.codePoints().anyMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
        return !loneSurrogate && readable(s.getBytes(StandardCharsets.UTF_8)) != null ? s : null;
    }

    /** "01001001 01100111 …": bytes written as eight binary digits, separated by single spaces, at least 6. */
    private static int binaryRunEnd(char[] chars, int n, int i) {
        int k = i;
        int end = i;
        int count = 0;
        // An octet counts only as a whole token: not the start of a longer run of digits or letters.
        while (isBinaryOctet(chars, n, k) && (k + 8 == n || !isBase64Char(chars[k + 8]))) {
            count++;
            end = k + 8;
            if (end + 1 < n && chars[end] == ' ') {
                k = end + 1;
            } else {
                break;
            }
        }
        return count >= 6 ? end : -1;
    }

    private static boolean isBinaryOctet(char[] chars, int n, int k) {
        if (k + 8 > n) {
            return false;
        }
        for (int d = k; d < k + 8; d++) {
            if (chars[d] != '0' && chars[d] != '1') {
                return false;
            }
        }
        return true;
    }

    private static String binaryDecode(char[] chars, int from, int to) {
        byte[] bytes = new byte[(to - from + 1) / 9];
        for (int b = 0; b < bytes.length; b++) {
            int v = 0;
            for (int d = 0; d < 8; d++) {
                v = v * 2 + (chars[from + 9 * b + d] - '0');
            }
            bytes[b] = (byte) v;
        }
        return readable(bytes);
    }

    private static boolean allHex(String s) {
        String t = s.startsWith("0x") ? s.substring(2) : s;
        for (int k = 0; k < t.length(); k++) {
            if (!isHex(t.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isBase64Char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '-' || c == '_';
    }
}
