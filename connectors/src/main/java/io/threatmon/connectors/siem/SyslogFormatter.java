package io.threatmon.connectors.siem;

import java.util.Locale;
import java.util.Objects;

/**
 * RFC 5424 syslog: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG}, carrying another
 * formatter's output (CEF, LEEF, text …) as MSG.
 *
 * <ul>
 *   <li>PRI = facility × 8 + severity. Facility defaults to 4 (security/authorization, {@code auth});
 *       see {@link #withFacility(int)}. Severity from the risk: ≥ 90 critical (2), ≥ 70 error (3),
 *       ≥ 40 warning (4), else notice (5).</li>
 *   <li>TIMESTAMP in UTC with milliseconds ({@code 2026-03-04T12:34:56.789Z}).</li>
 *   <li>HOSTNAME ≤ 255, APP-NAME ≤ 48, PROCID ≤ 128, MSGID (the category upper-cased) ≤ 32 characters;
 *       characters outside printable US-ASCII become {@code _}; a null or empty value is {@code -}.</li>
 *   <li>Structured data {@code [threatmon@32473 rule="…" risk="…" category="…" conversation="…"
 *       user="…"]}, null parameters left out; {@code "}, {@code \} and {@code ]} escaped with {@code \},
 *       line breaks become spaces. 32473 is the example Private Enterprise Number of RFC 5612.</li>
 *   <li>MSG = the body without a UTF-8 BOM; line breaks become spaces so LF framing (RFC 6587) stays
 *       safe. Framing (octet counting, newline) is the transport's job.</li>
 * </ul>
 */
public final class SyslogFormatter implements AlertFormatter {

    private static final long serialVersionUID = 1L;

    /** security/authorization messages ({@code auth}). */
    public static final int DEFAULT_FACILITY = 4;
    /** Structured-data id (name@PEN). */
    public static final String SD_ID = "threatmon@32473";

    private final AlertFormatter body;
    private final String hostname;
    private final String appName;
    private final int facility;
    private final String procId;

    SyslogFormatter(AlertFormatter body, String hostname, String appName, int facility, String procId) {
        this.body = Objects.requireNonNull(body, "body formatter is required, e.g. AlertFormatter.cef()");
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility must be 0-23, got " + facility);
        }
        this.hostname = hostname;
        this.appName = appName;
        this.facility = facility;
        this.procId = procId;
    }

    /** The same formatter with another facility (0-23; e.g. 10 authpriv, 13 log audit, 16-23 local0-7). */
    public SyslogFormatter withFacility(int facility) {
        return new SyslogFormatter(body, hostname, appName, facility, procId);
    }

    /** The same formatter with another PROCID (null gives {@code -}). */
    public SyslogFormatter withProcId(String procId) {
        return new SyslogFormatter(body, hostname, appName, facility, procId);
    }

    /** The syslog severity (0-7) for a risk 0-100. */
    public static int severity(int risk) {
        return risk >= 90 ? 2 : risk >= 70 ? 3 : risk >= 40 ? 4 : 5;
    }

    @Override
    public String id() {
        return "syslog";
    }

    @Override
    public String format(Alert a) {
        int risk = Formats.risk(a);
        StringBuilder sb = new StringBuilder(512);
        sb.append('<').append(facility * 8 + severity(risk)).append(">1 ");
        sb.append(Formats.isoMillis(a)).append(' ');
        sb.append(header(hostname, 255)).append(' ');
        sb.append(header(appName, 48)).append(' ');
        sb.append(header(procId, 128)).append(' ');
        sb.append(header(a.category() == null ? null : a.category().toUpperCase(Locale.ROOT), 32)).append(' ');

        int sdStart = sb.length();
        sb.append('[').append(SD_ID);
        int noParams = sb.length();
        param(sb, "rule", Formats.first(a.ruleIds()));
        param(sb, "risk", String.valueOf(risk));
        param(sb, "category", a.category());
        param(sb, "conversation", a.conversationId());
        param(sb, "user", a.user());
        if (sb.length() == noParams) {
            sb.setLength(sdStart);
            sb.append('-');
        } else {
            sb.append(']');
        }

        String msg = body.format(a);
        if (!Formats.isEmpty(msg)) {
            sb.append(' ').append(msg.replaceAll("\\r\\n|[\\r\\n]", " "));
        }
        return sb.toString();
    }

    /** A header field: printable US-ASCII only, at most {@code max} characters, {@code -} when nil. */
    static String header(String value, int max) {
        if (Formats.isEmpty(value)) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            }
            sb.append(c >= 33 && c <= 126 ? c : '_');
        }
        return sb.toString();
    }

    private static void param(StringBuilder sb, String name, String value) {
        if (Formats.isEmpty(value)) {
            return;
        }
        sb.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"', '\\', ']' -> sb.append('\\').append(c);
                case '\r', '\n' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}
