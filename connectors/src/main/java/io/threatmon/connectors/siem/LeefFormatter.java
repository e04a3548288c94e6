package io.threatmon.connectors.siem;

/**
 * IBM QRadar LEEF 2.0 with {@code ^} as the attribute delimiter:
 * {@code LEEF:2.0|ThreatMon|LLM Audit|<version>|<category>|^|devTime=…^devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSX
 * ^cat=…^sev=…^usrName=…^ruleId=…^riskScore=…^conversationId=…}.
 *
 * <p>LEEF defines no escape mechanism, so values cannot carry the delimiter: {@code ^}, tabs, carriage
 * returns and line feeds in values become spaces, and {@code |} in header fields becomes a space too.
 * {@code sev} is round(risk / 10) kept within LEEF's 1-10. Null or empty values drop the attribute.
 */
public final class LeefFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    /** The attribute delimiter (declared in the header). */
    public static final char DELIMITER = '^';
    /** Java pattern of {@code devTime}, declared in {@code devTimeFormat}. */
    public static final String DEV_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSX";

    private final String version;

    LeefFormatter(String version) {
        this.version = version == null ? DEFAULT_VERSION : version;
    }

    @Override
    public String id() {
        return "leef";
    }

    @Override
    public String format(Alert a) {
        StringBuilder sb = new StringBuilder(256).append("LEEF:2.0");
        for (String h : new String[] {VENDOR, PRODUCT, version, Formats.isEmpty(a.category()) ? "threat" : a.category()}) {
            sb.append('|').append(h.replaceAll("[|\\r\\n\\t]", " "));
        }
        sb.append('|').append(DELIMITER).append('|');
        int start = sb.length();
        attr(sb, start, "devTime", Formats.isoMillis(a));
        attr(sb, start, "devTimeFormat", DEV_TIME_FORMAT);
        attr(sb, start, "cat", a.category());
        attr(sb, start, "sev", String.valueOf(Math.max(1, Formats.tenScale(a))));
        attr(sb, start, "usrName", a.user());
        attr(sb, start, "ruleId", Formats.first(a.ruleIds()));
        attr(sb, start, "riskScore", String.valueOf(Formats.risk(a)));
        attr(sb, start, "conversationId", a.conversationId());
        return sb.toString();
    }

    /** Strips what LEEF cannot carry in a value: the delimiter, tabs and line breaks. */
    static String clean(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            sb.append(c == DELIMITER || c == '\t' || c == '\r' || c == '\n' ? ' ' : c);
        }
        return sb.toString();
    }

    private static void attr(StringBuilder sb, int start, String key, String value) {
        if (Formats.isEmpty(value)) {
            return;
        }
        if (sb.length() > start) {
            sb.append(DELIMITER);
        }
        sb.append(key).append('=').append(clean(value));
    }
}
