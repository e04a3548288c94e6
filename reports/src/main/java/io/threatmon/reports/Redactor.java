package io.threatmon.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets and personal data in text that goes into reports and alerts, and cuts short
 * excerpts around evidence. Thread-safe, stateless.
 *
 * <p>Masked, each replaced by {@code [REDACTED:kind]}:
 * <ul>
 *   <li>{@code private_key}: PEM/PGP private key blocks ({@code -----BEGIN … PRIVATE KEY-----} up to the
 *       END line, or to the end of the text when it is cut);</li>
 *   <li>{@code jwt}: JSON web tokens ({@code eyJ….eyJ….sig});</li>
 *   <li>{@code aws_key}: AWS access key ids ({@code AKIA}, {@code ASIA}, … + 16 characters);</li>
 *   <li>{@code github_token}, {@code gitlab_token}, {@code slack_token}: {@code ghp_…}/{@code github_pat_…},
 *       {@code glpat-…}, {@code xoxb-…} and Slack webhook URLs;</li>
 *   <li>{@code api_key}: {@code sk-…} keys (OpenAI, Anthropic), Stripe {@code sk_live_…}, Google {@code AIza…};</li>
 *   <li>{@code token}: the credential after {@code Bearer} or {@code Basic} (the scheme stays visible);</li>
 *   <li>{@code password}: the value of {@code password=…}, {@code DB_PASSWORD: …}, {@code api_key="…"} and
 *       similar assignments (the name stays visible; prose such as "the password is x" is not masked);</li>
 *   <li>{@code email}: e-mail addresses;</li>
 *   <li>{@code card}: payment card numbers: 13-19 digits, optionally grouped by spaces or dashes,
 *       starting with 2-6 (the card networks' first digits) and Luhn-valid. Other numbers (order ids,
 *       phone numbers, epoch-millisecond timestamps) stay as they are.</li>
 * </ul>
 *
 * <pre>{@code
 * Redactor.redact("key AKIAIOSFODNN7EXAMPLE, mail bob@example.com");
 * // "key [REDACTED:aws_key], mail [REDACTED:email]"
 * String ex = Redactor.excerpt(text, match.start(), match.end(), 200);
 * }</pre>
 */
public final class Redactor {

    /** Excerpt length the audit job uses unless told otherwise. */
    public static final int DEFAULT_EXCERPT_CHARS = 200;

    /** Characters searched for secrets on each side of an excerpt window (a PEM RSA-4096 key is ~3.3k). */
    private static final int CONTEXT = 8192;
    private static final String ELLIPSIS = "…";
    private static final int WORD_SNAP = 15;

    /**
     * A kind of secret: its pattern, whether the value groups (not the whole match) are masked,
     * and the clues at least one of which every match contains (lower-case; see {@link Clues}).
     */
    private record Rule(String kind, Pattern pattern, boolean valueGroups, List<String> clues) {}

    private record Span(int start, int end, String kind) {}

    private static final List<Rule> RULES = List.of(
            new Rule("private_key", Pattern.compile(
                    "-----BEGIN(?: [A-Z0-9]+)* PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END(?: [A-Z0-9]+)* PRIVATE KEY(?: BLOCK)?-----|\\z)",
                    Pattern.DOTALL), false, List.of("-----begin")),
            new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"), false,
                    List.of("eyj")),
            new Rule("aws_key", Pattern.compile(
                    "\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b"), false,
                    List.of("akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "anpa", "anva", "aipa")),
            new Rule("github_token", Pattern.compile(
                    "\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), false,
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            new Rule("gitlab_token", Pattern.compile("\\bgl(?:pat|dt|rt|ptt|cbt|soat|ft|imt)-[A-Za-z0-9_-]{20,}"), false,
                    List.of("glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glsoat-", "glft-", "glimt-")),
            new Rule("slack_token", Pattern.compile(
                    "\\bxox[abposre]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+"),
                    false, List.of("xox", "hooks.slack.com/")),
            new Rule("api_key", Pattern.compile(
                    "\\bsk-[A-Za-z0-9_-]{20,}|\\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|\\bAIza[0-9A-Za-z_-]{35}"), false,
                    List.of("sk-", "k_live_", "k_test_", "aiza")),
            new Rule("token", Pattern.compile(
                    "\\b(?i:bearer|basic)[ \\t]+(?=[A-Za-z0-9._~+/-]*\\d)([A-Za-z0-9._~+/-]{16,}=*)"), true,
                    List.of("bearer", "basic")),
            new Rule("password", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[_-]){0,6}"
                            + "(?:password|passwd|pwd|passphrase|secret[_-]?key|client[_-]?secret|api[_-]?key"
                            + "|access[_-]?token|auth[_-]?token|refresh[_-]?token|secret[_-]?access[_-]?key|private[_-]?key)"
                            + "(?![A-Za-z0-9])[\"']?[ \\t]*[:=][ \\t]*"
                            + "(?:\"([^\"\\r\\n]{1,200})\"|'([^'\\r\\n]{1,200})'|([^\\s\"',;]{1,200}))"), true,
                    List.of("passw", "pwd", "passphrase", "secret", "api", "token", "private")),
            new Rule("email", Pattern.compile(
                    "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}"
                            + "\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"), false, List.of("@")),
            new Rule("card", Pattern.compile("(?<![\\w])(?<!\\d[ -])[2-6](?:[ -]?\\d){12,18}(?![ -]?\\d)(?![A-Za-z_])"),
                    false, List.of()));

    private static final Comparator<Span> BY_POSITION =
            Comparator.comparingInt(Span::start).thenComparing(Comparator.comparingInt(Span::end).reversed());

    private Redactor() {}

    /**
     * The text with every secret, e-mail address and card number replaced by {@code [REDACTED:kind]};
     * null for null.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<Span> spans = find(text, 0, text.length());
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        for (Span s : spans) {
            out.append(text, pos, s.start()).append(mask(s.kind()));
            pos = s.end();
        }
        return out.append(text, pos, text.length()).toString();
    }

    /**
     * A redacted, single-line excerpt of at most about {@code maxChars} characters around the span
     * {@code [start, end)} of {@code text} (the span is centred; when it is longer than {@code maxChars}
     * its beginning is kept). Cuts are marked with {@code …}, snapped to a nearby space, and never
     * split a surrogate pair (the window grows by one char instead); runs of whitespace become one space and control characters are dropped.
     * A secret that straddles the window's edge is masked too. Offsets out of range are clamped;
     * null text gives null.
     *
     * @param maxChars characters of original text to keep, at least 1 (masks and {@code …} may add a few)
     */
    public static String excerpt(String text, int start, int end, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, was " + maxChars);
        }
        if (text == null) {
            return null;
        }
        int len = text.length();
        int s = clamp(Math.min(start, end), len);
        int e = clamp(Math.max(start, end), len);
        int ws;
        int we;
        if (e - s >= maxChars) {
            ws = s;
            we = s + maxChars;
        } else {
            int pad = maxChars - (e - s);
            ws = s - pad / 2;
            we = e + (pad - pad / 2);
            if (ws < 0) {
                we = Math.min(len, we - ws);
                ws = 0;
            }
            if (we > len) {
                ws = Math.max(0, ws - (we - len));
                we = len;
            }
        }
        if (ws > 0) {
            ws = snapStart(text, ws, Math.min(s, we));
        }
        if (we < len) {
            we = snapEnd(text, we, Math.max(e, ws));
        }
        if (ws > 0 && ws < len && Character.isLowSurrogate(text.charAt(ws))
                && Character.isHighSurrogate(text.charAt(ws - 1))) {
            ws--;
        }
        if (we > 0 && we < len && Character.isHighSurrogate(text.charAt(we - 1))
                && Character.isLowSurrogate(text.charAt(we))) {
            we++;
        }

        int from = Math.max(0, ws - CONTEXT);
        List<Span> spans = find(text, from, Math.min(len, we + CONTEXT));
        StringBuilder out = new StringBuilder(we - ws + 16);
        int pos = ws;
        for (Span sp : spans) {
            if (sp.end() <= ws || sp.start() >= we) {
                continue;
            }
            appendClean(out, text, pos, Math.max(pos, sp.start()));
            out.append(mask(sp.kind()));
            pos = Math.min(we, sp.end());
        }
        appendClean(out, text, pos, we);
        String body = out.toString().strip();
        return (ws > 0 ? ELLIPSIS : "") + body + (we < len ? ELLIPSIS : "");
    }

    /** {@link #excerpt(String, int, int, int)} of the beginning of the text. */
    public static String excerpt(String text, int maxChars) {
        return excerpt(text, 0, 0, maxChars);
    }

    private static String mask(String kind) {
        return "[REDACTED:" + kind + "]";
    }

    private static int clamp(int i, int len) {
        return Math.max(0, Math.min(len, i));
    }

    /** Moves a cut forward to just after a space within a few characters, but not past {@code limit}. */
    private static int snapStart(String text, int ws, int limit) {
        for (int i = ws; i < Math.min(limit, ws + WORD_SNAP); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i + 1;
            }
        }
        return ws;
    }

    private static int snapEnd(String text, int we, int limit) {
        for (int i = we; i > Math.max(limit, we - WORD_SNAP); i--) {
            if (Character.isWhitespace(text.charAt(i - 1))) {
                return i - 1;
            }
        }
        return we;
    }

    private static void appendClean(StringBuilder out, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
            } else if (!Character.isISOControl(c)) {
                out.append(c);
            }
        }
    }

    /** Non-overlapping spans to mask in {@code text[from, to)}, in text order. */
    private static List<Span> find(String text, int from, int to) {
        List<Span> found = new ArrayList<>();
        Clues clues = new Clues(text, from, to);
        for (int r = 0; r < RULES.size(); r++) {
            if (!clues.mayMatch(r)) {
                continue;
            }
            Rule rule = RULES.get(r);
            Matcher m = rule.pattern().matcher(text);
            m.region(from, to);
            m.useTransparentBounds(true);
            while (m.find()) {
                if (rule.kind().equals("card") && !isLuhnValid(m.group())) {
                    continue;
                }
                if (rule.valueGroups()) {
                    for (int g = 1; g <= m.groupCount(); g++) {
                        if (m.start(g) >= 0) {
                            found.add(new Span(m.start(g), m.end(g), rule.kind()));
                            break;
                        }
                    }
                } else {
                    found.add(new Span(m.start(), m.end(), rule.kind()));
                }
            }
        }
        if (found.size() < 2) {
            return found;
        }
        found.sort(BY_POSITION);
        List<Span> merged = new ArrayList<>(found.size());
        Span cur = found.get(0);
        for (int i = 1; i < found.size(); i++) {
            Span next = found.get(i);
            if (next.start() < cur.end()) {
                cur = new Span(cur.start(), Math.max(cur.end(), next.end()), cur.kind());
            } else {
                merged.add(cur);
                cur = next;
            }
        }
        merged.add(cur);
        return merged;
    }

    /**
     * Which patterns can match in a region of text, found in one cheap pass so that a pattern
     * runs only where one of its clues occurs. Every alert and scored record is redacted, and
     * without this the ten backtracking patterns cost more than scoring the message (~40% of an
     * audit's CPU). One pass with the clues indexed by their first two characters, rather than an
     * indexOf per clue: ~40 passes over the text cost ~10% of an audit under the C1 compiler,
     * which has no intrinsic for indexOf.
     */
    private static final class Clues {
        /** Clue ids by their first two (lower-case ASCII) characters, {@code c0 * 128 + c1}. */
        private static final int[][] BY_PAIR = new int[128 * 128][];
        /** Rules (a bit each) with a one-character clue, by that (ASCII) character. */
        private static final long[] BY_CHAR = new long[128];
        private static final String[] CLUE_TEXT;
        private static final int[] CLUE_RULE;

        static {
            List<String> texts = new ArrayList<>();
            List<Integer> rules = new ArrayList<>();
            for (int r = 0; r < RULES.size(); r++) {
                for (String clue : RULES.get(r).clues()) {
                    if (clue.length() == 1) {
                        BY_CHAR[clue.charAt(0)] |= 1L << r;
                        continue;
                    }
                    int key = clue.charAt(0) * 128 + clue.charAt(1);
                    int[] ids = BY_PAIR[key] == null ? new int[0] : BY_PAIR[key];
                    ids = java.util.Arrays.copyOf(ids, ids.length + 1);
                    ids[ids.length - 1] = texts.size();
                    BY_PAIR[key] = ids;
                    texts.add(clue);
                    rules.add(r);
                }
            }
            CLUE_TEXT = texts.toArray(new String[0]);
            CLUE_RULE = rules.stream().mapToInt(Integer::intValue).toArray();
        }

        private long rules; // bit per index in RULES
        private boolean assignment;
        private boolean cardDigits;

        Clues(String text, int from, int to) {
            int digits = 0;
            int previous = 0;
            for (int i = from; i < to; i++) {
                char c = lower(text.charAt(i));
                if (c >= '0' && c <= '9') {
                    if (++digits >= 13) {
                        cardDigits = true; // 13-19 digits, separated by single spaces or dashes at most
                    }
                } else if (c != ' ' && c != '-') {
                    digits = 0;
                }
                if (c == ':' || c == '=') {
                    assignment = true;
                }
                if (c < 128) {
                    rules |= BY_CHAR[c];
                }
                if (previous < 128 && c < 128) {
                    int[] ids = BY_PAIR[previous * 128 + c];
                    if (ids != null) {
                        for (int id : ids) {
                            if (startsWith(text, i - 1, to, CLUE_TEXT[id])) {
                                rules |= 1L << CLUE_RULE[id];
                            }
                        }
                    }
                }
                previous = c;
            }
        }

        /** Whether {@code RULES.get(r)} may match. */
        boolean mayMatch(int r) {
            return switch (RULES.get(r).kind()) {
                case "card" -> cardDigits;
                case "password" -> assignment && (rules & (1L << r)) != 0;
                default -> (rules & (1L << r)) != 0;
            };
        }

        private static char lower(char c) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }

        private static boolean startsWith(String text, int at, int to, String clue) {
            if (at + clue.length() > to) {
                return false;
            }
            for (int k = 2; k < clue.length(); k++) { // the first two are known to match
                if (lower(text.charAt(at + k)) != clue.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Luhn checksum over the digits of {@code s} (separators ignored). */
    static boolean isLuhnValid(CharSequence s) {
        int sum = 0;
        int digits = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (digits % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
