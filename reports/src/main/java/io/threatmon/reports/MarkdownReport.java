package io.threatmon.reports;

import io.threatmon.reports.AuditReport.ConversationRow;
import io.threatmon.reports.AuditReport.DeadLetter;
import io.threatmon.reports.AuditReport.Example;
import io.threatmon.reports.AuditReport.GroupRow;
import io.threatmon.reports.AuditReport.HistogramBucket;
import io.threatmon.reports.AuditReport.RuleCount;
import io.threatmon.reports.AuditReport.TimeBucket;
import io.threatmon.reports.internal.Fmt;
import io.threatmon.reports.internal.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code report.md}: the report's figures and tables as GitHub-flavoured Markdown, for tickets and
 * wikis. Text from messages is escaped, so it cannot inject links, images or HTML.
 */
public final class MarkdownReport implements ReportFormat {

    public static final String FILE = "report.md";

    MarkdownReport() {}

    @Override
    public List<Path> write(AuditReport report, Path dir) throws IOException {
        return List.of(Output.writeString(dir.resolve(FILE), render(report)));
    }

    /** The report as Markdown. */
    public static String render(AuditReport r) {
        RunMetadata run = r.run();
        StringBuilder m = new StringBuilder(16 * 1024);
        m.append("# ").append(esc(run.title())).append("\n\n");
        m.append("Messages from ").append(Fmt.minute(r.timeRange().first())).append(" to ")
                .append(Fmt.minute(r.timeRange().last())).append(". Threshold ").append(run.threshold()).append(".\n\n");
        if (run.includeText()) {
            m.append("> **Confidential:** this run used `--include-text`; examples include full message text verbatim.\n\n");
        }

        m.append("## Summary\n\n");
        m.append("| | |\n|---|---:|\n");
        m.append("| Messages scored | ").append(Fmt.count(r.totalMessages())).append(" |\n");
        m.append("| Threat messages | ").append(Fmt.count(r.threatMessages())).append(" |\n");
        m.append("| Threat rate | ").append(Fmt.percent(r.threatRate())).append(" |\n");
        m.append("| Conversations | ").append(Fmt.count(r.distinctConversations())).append(" |\n");
        m.append("| Users | ").append(Fmt.count(r.distinctUsers())).append(" |\n");
        m.append("| Apps | ").append(Fmt.count(r.distinctApps())).append(" |\n");
        m.append("| Messages without timestamp | ").append(Fmt.count(r.untimedMessages())).append(" |\n");
        m.append("| Unreadable records | ").append(Fmt.count(r.deadLetters())).append(" |\n\n");

        m.append("## Threats by category\n\n| Category | Threats | Share | OWASP / ATLAS |\n|---|---:|---:|---|\n");
        r.byCategory().forEach((c, n) -> m.append("| ").append(esc(c)).append(" | ").append(Fmt.count(n)).append(" | ")
                .append(Fmt.percent(AuditReport.rate(n, r.threatMessages()))).append(" | ")
                .append(esc(String.join(", ", run.tagsOf(c)))).append(" |\n"));
        if (r.byCategory().isEmpty()) {
            m.append("| no threats | | | |\n");
        }

        m.append("\n## Threats by risk level\n\n| Risk level | Threats |\n|---|---:|\n");
        r.bySeverity().forEach((level, n) -> m.append("| ").append(esc(level)).append(" | ").append(Fmt.count(n))
                .append(" |\n"));

        String unit = r.timeSeries().granularity();
        m.append("\n## Messages per ").append(unit).append(" (UTC)\n\n");
        if (r.timeSeries().buckets().isEmpty()) {
            m.append("No data.\n");
        } else {
            m.append("| ").append(unit.equals("day") ? "Day" : "Hour")
                    .append(" | Messages | Threats | Threat rate |\n|---|---:|---:|---:|\n");
            for (TimeBucket b : r.timeSeries().buckets()) {
                m.append("| ").append(Fmt.minute(b.start())).append(" | ").append(Fmt.count(b.messages())).append(" | ")
                        .append(Fmt.count(b.threats())).append(" | ").append(Fmt.percent(b.threatRate())).append(" |\n");
            }
        }

        groups(m, "Top users", "User", r.byUser());
        groups(m, "Top applications", "App", r.byApp());
        groups(m, "Messages by role", "Role", r.byRole());

        m.append("\n## Risk score distribution\n\n| Risk | Messages |\n|---|---:|\n");
        for (HistogramBucket b : r.riskHistogram()) {
            m.append("| ").append(b.range()).append(" | ").append(Fmt.count(b.messages())).append(" |\n");
        }

        m.append("\n## Top rules\n\n| Rule | Messages |\n|---|---:|\n");
        for (RuleCount rc : r.topRules()) {
            m.append("| ").append(esc(rc.rule())).append(" | ").append(Fmt.count(rc.messages())).append(" |\n");
        }
        if (r.topRules().isEmpty()) {
            m.append("| no rule fired | |\n");
        }

        m.append("\n## Conversations with most threats\n\n| Conversation | User | App | Messages | Threats | Max risk "
                + "| Top category |\n|---|---|---|---:|---:|---:|---|\n");
        for (ConversationRow c : r.topConversations()) {
            m.append("| ").append(esc(c.conversationId())).append(" | ").append(esc(Fmt.orDash(c.user()))).append(" | ")
                    .append(esc(Fmt.orDash(c.app()))).append(" | ").append(Fmt.count(c.messages())).append(" | ")
                    .append(Fmt.count(c.threats())).append(" | ").append(c.maxRisk()).append(" | ")
                    .append(esc(Fmt.orDash(c.topCategory()))).append(" |\n");
        }
        if (r.topConversations().isEmpty()) {
            m.append("| no conversation had a threat | | | | | | |\n");
        }

        m.append("\n## Examples\n");
        if (r.examples().isEmpty()) {
            m.append("\nNo threats, so no examples.\n");
        }
        r.examples().forEach((category, list) -> {
            m.append("\n### ").append(esc(category)).append("\n\n");
            for (Example e : list) {
                m.append("- **").append(e.riskScore()).append("** ").append(esc(Fmt.orDash(e.source()))).append(':')
                        .append(e.line()).append(", user ").append(esc(Fmt.orDash(e.user()))).append(", rules ")
                        .append(esc(String.join(", ", e.matchedRules()))).append("  \n  ")
                        .append(esc(Fmt.orDash(e.excerpt()))).append('\n');
                if (e.text() != null) {
                    m.append("  \n  Full text: ").append(esc(e.text())).append('\n');
                }
            }
        });

        if (r.deadLetters() > 0) {
            m.append("\n## Unreadable records\n\n| Reason | Records |\n|---|---:|\n");
            r.deadLetterReasons().forEach((k, n) -> m.append("| ").append(esc(k)).append(" | ").append(Fmt.count(n))
                    .append(" |\n"));
            m.append("\nFirst records:\n\n");
            for (DeadLetter d : r.deadLetterExamples()) {
                m.append("- ").append(esc(Fmt.orDash(d.source()))).append(':').append(d.line()).append(": ")
                        .append(esc(d.reason())).append('\n');
            }
        }

        m.append("\n## Method\n\nMessages were scored offline by the ThreatMon engine")
                .append(run.engineVersion() == null ? "" : " " + esc(run.engineVersion()))
                .append(" with explainable rules over raw, normalised, leetspeak-folded and decoded views of the text. "
                        + "A message is a threat when its risk score (0-100) is at or above ")
                .append(run.threshold()).append(". Excerpts are redacted (secrets, e-mail addresses, card numbers)")
                .append(run.includeText() ? "; full text was included verbatim (`--include-text`).\n" : ".\n");

        m.append("\n## Run\n\n| | |\n|---|---|\n");
        m.append("| Inputs | ").append(esc(run.inputs().isEmpty() ? "—" : String.join(", ", run.inputs()))).append(" |\n");
        m.append("| Started | ").append(Fmt.time(run.startedAt())).append(" |\n");
        m.append("| Duration | ").append(Fmt.duration(run.durationMs())).append(" |\n");
        m.append("| Engine | ").append(esc(Fmt.orDash(run.engineVersion()))).append(" |\n");
        StringBuilder packs = new StringBuilder();
        run.rulePacks().forEach(p -> packs.append(packs.length() == 0 ? "" : ", ").append(p.name())
                .append(p.version() == null ? "" : " " + p.version()));
        m.append("| Rule packs | ").append(esc(packs.length() == 0 ? "—" : packs.toString())).append(" |\n");
        m.append("| Threshold | ").append(run.threshold()).append(" |\n");
        m.append("| Parallelism | ").append(run.parallelism()).append(" |\n");
        m.append("| Full text included | ").append(run.includeText() ? "yes" : "no").append(" |\n");
        return m.toString();
    }

    private static void groups(StringBuilder m, String title, String what, List<GroupRow> rows) {
        m.append("\n## ").append(title).append("\n\n| ").append(what)
                .append(" | Messages | Threats | Threat rate | Top category |\n|---|---:|---:|---:|---|\n");
        for (GroupRow g : rows) {
            m.append("| ").append(esc(g.name())).append(" | ").append(Fmt.count(g.messages())).append(" | ")
                    .append(Fmt.count(g.threats())).append(" | ").append(Fmt.percent(g.threatRate())).append(" | ")
                    .append(esc(Fmt.orDash(g.topCategory()))).append(" |\n");
        }
        if (rows.isEmpty()) {
            m.append("| no data | | | | |\n");
        }
    }

    /**
     * Escapes Markdown and HTML syntax in untrusted text and keeps it on one line, so a message can
     * neither break a table nor add links, images or markup.
     */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '!', '|', '~' -> out.append('\\').append(c);
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\n', '\r', '\t' -> out.append(' ');
                default -> {
                    if (!Character.isISOControl(c)) {
                        out.append(c);
                    }
                }
            }
        }
        // GitHub's Markdown turns bare URLs, "www." names and e-mail addresses into links, and a
        // leading "1." or "-" into a list: escaped punctuation keeps all of them text.
        String t = out.toString().replace("://", "\\://").replace("www.", "www\\.").replace("WWW.", "WWW\\.")
                .replace("@", "\\@");
        java.util.regex.Matcher lead = LIST_MARKER.matcher(t);
        return lead.lookingAt() ? t.substring(0, lead.end() - 1) + "\\" + t.substring(lead.end() - 1) : t;
    }

    /** A leading ordered-list number ("12." or "12)") or bullet ("-", "+"). */
    private static final java.util.regex.Pattern LIST_MARKER = java.util.regex.Pattern.compile("\\s*(\\d{1,9}[.)]|[-+])");
}
