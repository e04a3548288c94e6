package io.threatmon.reports.internal;

/** Escaping for XHTML/SVG text and attributes. */
public final class Xml {

    private Xml() {}

    /**
     * Escapes {@code & < > " '} and drops characters XML 1.0 forbids (most control characters, lone
     * surrogates, U+FFFE/U+FFFF), so untrusted message text can never break the document. Null → "".
     */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        // lone low surrogate: not XML
                    } else if (c >= 0x20 && c != 0xFFFE && c != 0xFFFF || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
