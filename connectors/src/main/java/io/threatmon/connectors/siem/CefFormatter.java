package io.threatmon.connectors.siem;

import java.util.List;

/**
 * ArcSight CEF 0:
 * {@code CEF:0|ThreatMon|LLM Audit|<version>|<rule id>|<title>|<0-10>|rt=… cat=… act=… suser=…
 * cn1Label=riskScore cn1=… cs1Label=conversationId cs1=… cs2Label=owasp cs2=… cs3Label=atlas cs3=…
 * cs4Label=app cs4=… cnt=… msg=…}.
 *
 * <ul>
 *   <li>Severity = round(risk / 10); Device Event Class ID = the strongest rule (else the category).</li>
 *   <li>Header: {@code \} → {@code \\}, {@code |} → {@code \|}; line breaks become spaces (the spec
 *       defines no escape for them there); vendor/product ≤ 63, version ≤ 31, class id ≤ 1023,
 *       name ≤ 512 characters (cut before escaping, never inside a surrogate pair).</li>
 *   <li>Extension: {@code \} → {@code \\}, {@code =} → {@code \=}, line feed → {@code \n}, carriage
 *       return → {@code \r}; pipes are not escaped. Null or empty values drop the key (and its label);
 *       {@code cnt} only appears when the alert folds several.</li>
 *   <li>Several OWASP or ATLAS ids are joined with commas.</li>
 * </ul>
 */
public final class CefFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    private final String version;

    CefFormatter(String version) {
        this.version = version == null ? DEFAULT_VERSION : version;
    }

    @Override
    public String id() {
        return "cef";
    }

    @Override
    public String format(Alert a) {
        String classId = Formats.first(a.ruleIds());
        if (Formats.isEmpty(classId)) {
            classId = Formats.isEmpty(a.category()) ? "threat" : a.category();
        }
        StringBuilder sb = new StringBuilder(256).append("CEF:0");
        header(sb, VENDOR, 63);
        header(sb, PRODUCT, 63);
        header(sb, version, 31);
        header(sb, classId, 1023);
        header(sb, Formats.title(a), 512);
        sb.append('|').append(Formats.tenScale(a)).append('|');

        int start = sb.length();
        ext(sb, start, "rt", String.valueOf(Formats.epochMillis(a)));
        ext(sb, start, "cat", a.category());
        ext(sb, start, "act", a.action());
        ext(sb, start, "suser", a.user());
        ext(sb, start, "cn1Label", "riskScore");
        ext(sb, start, "cn1", String.valueOf(Formats.risk(a)));
        labelled(sb, start, 1, "conversationId", a.conversationId());
        labelled(sb, start, 2, "owasp", join(a.owaspTags()));
        labelled(sb, start, 3, "atlas", join(a.atlasTags()));
        labelled(sb, start, 4, "app", a.app());
        if (a.count() > 1) {
            ext(sb, start, "cnt", String.valueOf(a.count()));
        }
        ext(sb, start, "msg", a.excerpt());
        return sb.toString();
    }

    private static String join(List<String> ids) {
        return ids.isEmpty() ? null : String.join(",", ids);
    }

    private static void header(StringBuilder sb, String value, int max) {
        sb.append('|');
        String v = Formats.truncate(value.replaceAll("\\r\\n|[\\r\\n]", " "), max);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == '|') {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    private static void labelled(StringBuilder sb, int start, int n, String label, String value) {
        if (!Formats.isEmpty(value)) {
            ext(sb, start, "cs" + n + "Label", label);
            ext(sb, start, "cs" + n, value);
        }
    }

    private static void ext(StringBuilder sb, int start, String key, String value) {
        if (Formats.isEmpty(value)) {
            return;
        }
        if (sb.length() > start) {
            sb.append(' ');
        }
        sb.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '=' -> sb.append("\\=");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }
}
