package io.threatmon.connectors.siem;

/**
 * One human-readable line, the plain-text syslog body of the reference:
 * {@code Prompt injection detected (risk 92) user=alice}, then {@code app=…} when known. Line breaks
 * and tabs in values and in the title (from the category) become spaces.
 */
public final class TextFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    TextFormatter() {
    }

    @Override
    public String id() {
        return "text";
    }

    @Override
    public String format(Alert a) {
        StringBuilder sb = new StringBuilder(oneLine(Formats.title(a))).append(" (risk ").append(Formats.risk(a)).append(')');
        append(sb, "user", a.user());
        append(sb, "app", a.app());
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (!Formats.isEmpty(value)) {
            sb.append(' ').append(key).append('=').append(oneLine(value));
        }
    }

    /** A custom rule pack's category may hold a line break too; the line must stay one line. */
    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]", " ");
    }
}
