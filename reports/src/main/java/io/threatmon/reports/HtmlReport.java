package io.threatmon.reports;

import static io.threatmon.reports.internal.Xml.esc;

import io.threatmon.reports.AuditReport.ConversationRow;
import io.threatmon.reports.AuditReport.DeadLetter;
import io.threatmon.reports.AuditReport.Example;
import io.threatmon.reports.AuditReport.GroupRow;
import io.threatmon.reports.AuditReport.HistogramBucket;
import io.threatmon.reports.AuditReport.RuleCount;
import io.threatmon.reports.AuditReport.TimeBucket;
import io.threatmon.reports.internal.Charts;
import io.threatmon.reports.internal.Charts.Bar;
import io.threatmon.reports.internal.Charts.Point;
import io.threatmon.reports.internal.Fmt;
import io.threatmon.reports.internal.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: one self-contained, printable page for a compliance reader: headline figures,
 * inline SVG charts (threat rate over time, categories, top users, top apps, risk histogram), tables,
 * each category's OWASP/ATLAS tags, examples, dead letters, the scoring method and the run metadata.
 * No scripts, fonts or network access; well-formed XHTML (parseable as XML); print CSS for A4.
 */
public final class HtmlReport implements ReportFormat {

    public static final String FILE = "report.html";

    private static final String RED = "#c0392b";
    private static final String BLUE = "#2f6f9f";
    private static final String TEAL = "#2a8a7a";
    /** Risk histogram colours, green (0-9) to red (90-100); mid tones that print on any printer. */
    private static final List<String> RISK_COLORS = List.of("#5b9b5b", "#74a557", "#8fae52", "#aab34e", "#c4b24a",
            "#d59a45", "#dc8140", "#d9673b", "#cf4c37", "#c0392b");

    private static final String CSS = """
            body { font-family: Helvetica, Arial, sans-serif; color: #222; background: #fff; margin: 24px auto;
                   max-width: 60rem; padding: 0 16px; line-height: 1.4; font-size: 14px; }
            h1 { font-size: 24px; margin: 0 0 4px 0; }
            h2 { font-size: 18px; border-bottom: 2px solid #c0392b; padding-bottom: 3px; margin-top: 28px; }
            h3 { font-size: 15px; margin: 18px 0 6px 0; }
            .meta { color: #555; margin: 2px 0; }
            .notice { border: 2px solid #c0392b; padding: 8px 12px; margin: 12px 0; }
            .figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
            .figure { border: 1px solid #bbb; border-radius: 4px; padding: 8px 12px; min-width: 8.5rem; }
            .figure .value { font-size: 22px; font-weight: bold; }
            .figure .label { color: #555; font-size: 12px; }
            .figure.threat .value { color: #c0392b; }
            table { border-collapse: collapse; width: 100%; margin: 8px 0 12px 0; font-size: 12.5px; }
            th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
            th { background: #f2f2f2; }
            td.num, th.num { text-align: right; white-space: nowrap; }
            .tag { display: inline-block; border: 1px solid #999; border-radius: 3px; padding: 0 4px; margin: 1px 2px;
                   font-size: 11px; white-space: nowrap; }
            .excerpt { font-family: Menlo, Consolas, monospace; font-size: 12px; white-space: pre-wrap;
                       word-break: break-word; }
            .note { color: #555; font-size: 12px; }
            svg.chart { max-width: 680px; display: block; margin: 8px 0; }
            code { font-family: Menlo, Consolas, monospace; font-size: 12px; }
            @page { size: A4; margin: 15mm; }
            @media print {
              body { margin: 0; max-width: none; padding: 0; font-size: 11pt; }
              h2 { break-after: avoid; page-break-after: avoid; }
              section { break-inside: avoid-page; }
              section.long { break-inside: auto; }
              .page-break { break-before: page; page-break-before: always; }
              thead { display: table-header-group; }
              tr, .figure, svg { break-inside: avoid; page-break-inside: avoid; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    HtmlReport() {}

    @Override
    public List<Path> write(AuditReport report, Path dir) throws IOException {
        return List.of(Output.writeString(dir.resolve(FILE), render(report)));
    }

    /** The report as one XHTML document. */
    public static String render(AuditReport r) {
        RunMetadata run = r.run();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<meta name=\"generator\" content=\"ThreatMon reports\"/>\n")
                .append("<title>").append(esc(run.title())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        header(h, r);
        summary(h, r);
        timeSeries(h, r);
        categories(h, r);
        severity(h, r);
        groups(h, "users", "Top users", "user", r.byUser(), r.distinctUsers(), true);
        groups(h, "apps", "Top applications", "app", r.byApp(), r.distinctApps(), true);
        groups(h, "roles", "Messages by role", "role", r.byRole(), r.byRole().size(), false);
        histogram(h, r);
        rules(h, r);
        conversations(h, r);
        examples(h, r);
        deadLetters(h, r);
        method(h, r);
        runTable(h, r);
        h.append("<footer><p class=\"note\">Generated by ThreatMon · report format ").append(r.reportVersion())
                .append("</p></footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, AuditReport r) {
        RunMetadata run = r.run();
        h.append("<header>\n<h1>").append(esc(run.title())).append("</h1>\n");
        h.append("<p class=\"meta\">Messages from <strong>").append(esc(Fmt.minute(r.timeRange().first())))
                .append("</strong> to <strong>").append(esc(Fmt.minute(r.timeRange().last()))).append("</strong>");
        if (run.startedAt() != null) {
            h.append(" · run started ").append(esc(Fmt.minute(run.startedAt())));
        }
        h.append("</p>\n");
        if (!run.inputs().isEmpty()) {
            h.append("<p class=\"meta\">Input: ").append(esc(String.join(", ", run.inputs()))).append("</p>\n");
        }
        h.append("</header>\n");
        h.append("<div class=\"notice\" role=\"note\">");
        if (run.includeText()) {
            h.append("<strong>Confidential: this report contains full message text.</strong> The run used "
                    + "<code>--include-text</code>, so examples show each message verbatim, without redaction. "
                    + "Excerpts are still redacted.");
        } else {
            h.append("Privacy: this report shows short excerpts only; secrets, e-mail addresses and card numbers "
                    + "in them are replaced by <code>[REDACTED:kind]</code>.");
        }
        h.append("</div>\n");
    }

    private static void summary(StringBuilder h, AuditReport r) {
        h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"figures\">\n");
        figure(h, "messages", Fmt.count(r.totalMessages()), "messages scored", false);
        figure(h, "threats", Fmt.count(r.threatMessages()), "threat messages", true);
        figure(h, "threat-rate", Fmt.percent(r.threatRate()), "threat rate", true);
        figure(h, "conversations", Fmt.count(r.distinctConversations()), "conversations", false);
        figure(h, "users", Fmt.count(r.distinctUsers()), "users", false);
        figure(h, "dead-letters", Fmt.count(r.deadLetters()), "unreadable records", false);
        h.append("</div>\n<p>");
        if (r.totalMessages() == 0) {
            h.append("No messages were scored.");
        } else {
            h.append(Fmt.count(r.threatMessages())).append(" of ").append(Fmt.count(r.totalMessages()))
                    .append(" messages (").append(Fmt.percent(r.threatRate())).append(") scored at or above the threat "
                            + "threshold of ").append(r.run().threshold()).append('.');
            if (!r.byCategory().isEmpty()) {
                Map.Entry<String, Long> top = r.byCategory().entrySet().iterator().next();
                h.append(" The most frequent category was <strong>").append(esc(top.getKey())).append("</strong> (")
                        .append(Fmt.count(top.getValue())).append(").");
            }
            long critical = r.bySeverity().getOrDefault("critical", 0L);
            if (critical > 0) {
                h.append(' ').append(Fmt.count(critical)).append(" threat").append(critical == 1 ? " was" : "s were")
                        .append(" critical.");
            }
        }
        h.append("</p>\n</section>\n");
    }

    private static void figure(StringBuilder h, String id, String value, String label, boolean threat) {
        h.append("<div class=\"figure").append(threat ? " threat" : "").append("\" id=\"figure-").append(id)
                .append("\"><div class=\"value\">").append(esc(value)).append("</div><div class=\"label\">")
                .append(esc(label)).append("</div></div>\n");
    }

    private static void timeSeries(StringBuilder h, AuditReport r) {
        String unit = r.timeSeries().granularity();
        List<Point> points = new ArrayList<>();
        for (TimeBucket b : r.timeSeries().buckets()) {
            points.add(new Point(Fmt.bucket(b.start(), unit), b.threatRate()));
        }
        long peakThreats = r.timeSeries().buckets().stream().mapToLong(TimeBucket::threats).max().orElse(0);
        h.append("<section id=\"time\">\n<h2>Threat rate over time</h2>\n");
        long span = r.timeSeries().span();
        // Over AuditAccumulator's fill limit only the buckets with messages are kept, so the points are
        // not evenly spaced in time and the caption must say so.
        String over = span > points.size()
                ? " in the " + Fmt.count(points.size()) + " " + unit + "s with messages between "
                        + points.get(0).label() + " and " + points.get(points.size() - 1).label() + " (the "
                        + Fmt.count(span - points.size()) + " empty " + unit + "s between them are left out, so the"
                        + " time axis is not to scale)"
                : ", over " + points.size() + " " + unit + "s";
        h.append(Charts.timeLine("chart-time", "Threat rate per " + unit,
                "Share of messages that were threats, per " + unit + " (UTC)" + over
                        + "; at most " + Fmt.count(peakThreats) + " threats in one " + unit + ".",
                points, Charts::percentTick, "Time (UTC), per " + unit, "Threat rate", RED));
        h.append("<p class=\"note\">Per-").append(unit).append(" counts are in <code>time_series.csv</code>.");
        if (r.untimedMessages() > 0) {
            h.append(' ').append(Fmt.count(r.untimedMessages())).append(" messages had no timestamp and are not shown.");
        }
        h.append("</p>\n</section>\n");
    }

    private static void categories(StringBuilder h, AuditReport r) {
        List<Bar> bars = new ArrayList<>();
        r.byCategory().forEach((c, n) -> bars.add(new Bar(c, n, Fmt.count(n))));
        h.append("<section id=\"categories\">\n<h2>Threats by category</h2>\n");
        h.append(Charts.horizontalBars("chart-categories", "Threat messages by category",
                "Number of threat messages in each category, largest first.", bars, RED, "Threat messages"));
        h.append("<table>\n<thead><tr><th>Category</th><th class=\"num\">Threats</th><th class=\"num\">Share</th>"
                + "<th>OWASP LLM Top 10 / MITRE ATLAS</th></tr></thead>\n<tbody>\n");
        r.byCategory().forEach((c, n) -> {
            h.append("<tr><td>").append(esc(c)).append("</td>");
            num(h, Fmt.count(n));
            num(h, Fmt.percent(AuditReport.rate(n, r.threatMessages())));
            h.append("<td>").append(tags(r.run().tagsOf(c))).append("</td></tr>\n");
        });
        if (r.byCategory().isEmpty()) {
            emptyRow(h, 4, "No threats.");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void severity(StringBuilder h, AuditReport r) {
        h.append("<section id=\"severity\">\n<h2>Threats by risk level</h2>\n<table>\n<thead><tr><th>Risk level</th>"
                + "<th class=\"num\">Threats</th><th class=\"num\">Share</th></tr></thead>\n<tbody>\n");
        r.bySeverity().forEach((level, n) -> {
            h.append("<tr><td>").append(esc(level.replace('_', ' '))).append("</td>");
            num(h, Fmt.count(n));
            num(h, Fmt.percent(AuditReport.rate(n, r.threatMessages())));
            h.append("</tr>\n");
        });
        h.append("</tbody>\n</table>\n<p class=\"note\">Risk levels: very low 0-20, low 21-40, medium 41-60, "
                + "high 61-80, critical 81-100.</p>\n</section>\n");
    }

    private static void groups(StringBuilder h, String id, String title, String what, List<GroupRow> rows,
            long distinct, boolean chart) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n");
        if (chart) {
            List<Bar> bars = new ArrayList<>();
            rows.forEach(g -> bars.add(new Bar(g.name(), g.threats(),
                    Fmt.count(g.threats()) + " (" + Fmt.percent(g.threatRate()) + ")")));
            h.append(Charts.horizontalBars("chart-" + id, title + " by threat messages",
                    "Threat messages per " + what + ", with the " + what + "'s threat rate in brackets; the "
                            + rows.size() + " " + what + "s with most threats of " + distinct + ".",
                    bars, id.equals("users") ? BLUE : TEAL, "Threat messages (threat rate)"));
        }
        h.append("<table>\n<thead><tr><th>").append(esc(Character.toUpperCase(what.charAt(0)) + what.substring(1)))
                .append("</th><th class=\"num\">Messages</th><th class=\"num\">Threats</th>"
                        + "<th class=\"num\">Threat rate</th><th>Top category</th></tr></thead>\n<tbody>\n");
        for (GroupRow g : rows) {
            h.append("<tr><td>").append(esc(g.name())).append("</td>");
            num(h, Fmt.count(g.messages()));
            num(h, Fmt.count(g.threats()));
            num(h, Fmt.percent(g.threatRate()));
            h.append("<td>").append(esc(Fmt.orDash(g.topCategory()))).append("</td></tr>\n");
        }
        if (rows.isEmpty()) {
            emptyRow(h, 5, "No data.");
        }
        h.append("</tbody>\n</table>\n");
        if (chart && distinct > rows.size()) {
            h.append("<p class=\"note\">").append(rows.size()).append(" of ").append(Fmt.count(distinct)).append(' ')
                    .append(what).append("s shown, by threat messages.</p>\n");
        }
        h.append("</section>\n");
    }

    private static void histogram(StringBuilder h, AuditReport r) {
        List<Bar> bins = new ArrayList<>();
        for (HistogramBucket b : r.riskHistogram()) {
            bins.add(new Bar(b.range(), b.messages(), Fmt.count(b.messages())));
        }
        h.append("<section id=\"risk\">\n<h2>Risk score distribution</h2>\n");
        h.append(Charts.columns("chart-risk", "Messages by risk score",
                "Number of messages, threats or not, in each band of ten risk points from 0-9 to 90-100.", bins,
                RISK_COLORS, "Risk score", "Messages"));
        h.append("<p class=\"note\">All messages; the threat threshold is ").append(r.run().threshold())
                .append(".</p>\n</section>\n");
    }

    private static void rules(StringBuilder h, AuditReport r) {
        h.append("<section id=\"rules\">\n<h2>Top rules</h2>\n<table>\n<thead><tr><th>Rule</th>"
                + "<th class=\"num\">Messages</th><th class=\"num\">Share of messages</th></tr></thead>\n<tbody>\n");
        for (RuleCount rc : r.topRules()) {
            h.append("<tr><td><code>").append(esc(rc.rule())).append("</code></td>");
            num(h, Fmt.count(rc.messages()));
            num(h, Fmt.percent(AuditReport.rate(rc.messages(), r.totalMessages())));
            h.append("</tr>\n");
        }
        if (r.topRules().isEmpty()) {
            emptyRow(h, 3, "No rule fired.");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">Messages a rule fired on, whether or not they reached the "
                + "threshold.</p>\n</section>\n");
    }

    private static void conversations(StringBuilder h, AuditReport r) {
        h.append("<section id=\"conversations\" class=\"long\">\n<h2>Conversations with most threats</h2>\n<table>\n"
                + "<thead><tr><th>Conversation</th><th>User</th><th>App</th><th class=\"num\">Messages</th>"
                + "<th class=\"num\">Threats</th><th class=\"num\">Max risk</th><th>Top category</th><th>From</th>"
                + "</tr></thead>\n<tbody>\n");
        for (ConversationRow c : r.topConversations()) {
            h.append("<tr><td><code>").append(esc(c.conversationId())).append("</code></td><td>")
                    .append(esc(Fmt.orDash(c.user()))).append("</td><td>").append(esc(Fmt.orDash(c.app())))
                    .append("</td>");
            num(h, Fmt.count(c.messages()));
            num(h, Fmt.count(c.threats()));
            num(h, Integer.toString(c.maxRisk()));
            h.append("<td>").append(esc(Fmt.orDash(c.topCategory()))).append("</td><td>")
                    .append(esc(Fmt.minute(c.firstSeen()))).append("</td></tr>\n");
        }
        if (r.topConversations().isEmpty()) {
            emptyRow(h, 8, "No conversation had a threat.");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void examples(StringBuilder h, AuditReport r) {
        h.append("<section id=\"examples\" class=\"long page-break\">\n<h2>Examples by category</h2>\n");
        h.append("<p class=\"note\">The highest-risk threat messages of each category, redacted excerpts")
                .append(r.run().includeText() ? " and full text (verbatim, --include-text)" : "").append(".</p>\n");
        if (r.examples().isEmpty()) {
            h.append("<p>No threats, so no examples.</p>\n");
        }
        r.examples().forEach((category, list) -> {
            h.append("<h3>").append(esc(category)).append(" <span class=\"note\">")
                    .append(Fmt.count(r.byCategory().getOrDefault(category, 0L))).append(" threats</span></h3>\n");
            List<String> tags = r.run().tagsOf(category);
            if (!tags.isEmpty()) {
                h.append("<p>").append(tags(tags)).append("</p>\n");
            }
            h.append("<table>\n<thead><tr><th class=\"num\">Risk</th><th>Where</th><th>Who</th><th>Rules</th>"
                    + "<th>Excerpt</th></tr></thead>\n<tbody>\n");
            for (Example e : list) {
                h.append("<tr>");
                num(h, e.riskScore() + (e.riskLevel() == null ? "" : " " + e.riskLevel().replace('_', ' ')));
                h.append("<td>").append(esc(Fmt.orDash(e.source()))).append(':').append(e.line());
                if (e.conversationId() != null) {
                    h.append("<br/>conv. <code>").append(esc(e.conversationId())).append("</code>");
                }
                if (e.timestamp() != null) {
                    h.append("<br/>").append(esc(Fmt.minute(e.timestamp())));
                }
                h.append("</td><td>").append(esc(Fmt.orDash(e.user()))).append(" / ").append(esc(Fmt.orDash(e.app())))
                        .append(e.role() == null ? "" : " (" + esc(e.role()) + ")").append("</td><td>");
                for (String rule : e.matchedRules()) {
                    h.append("<code>").append(esc(rule)).append("</code> ");
                }
                h.append("</td><td><div class=\"excerpt\">").append(esc(Fmt.orDash(e.excerpt()))).append("</div>");
                if (e.text() != null) {
                    h.append("<div class=\"note\">Full text:</div><div class=\"excerpt\">").append(esc(e.text()))
                            .append("</div>");
                }
                h.append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n");
        });
        h.append("</section>\n");
    }

    private static void deadLetters(StringBuilder h, AuditReport r) {
        h.append("<section id=\"dead-letters\">\n<h2>Unreadable records</h2>\n");
        if (r.deadLetters() == 0) {
            h.append("<p>Every record was read and scored.</p>\n</section>\n");
            return;
        }
        h.append("<p>").append(Fmt.count(r.deadLetters())).append(" records could not be read or scored");
        if (r.run().deadLetterOutput() != null) {
            h.append("; they were written to <code>").append(esc(r.run().deadLetterOutput())).append("</code>");
        }
        h.append(".</p>\n<table>\n<thead><tr><th>Reason</th><th class=\"num\">Records</th></tr></thead>\n<tbody>\n");
        r.deadLetterReasons().forEach((k, n) -> {
            h.append("<tr><td>").append(esc(k)).append("</td>");
            num(h, Fmt.count(n));
            h.append("</tr>\n");
        });
        h.append("</tbody>\n</table>\n<h3>First records</h3>\n<table>\n<thead><tr><th>Where</th><th>Reason</th>"
                + "</tr></thead>\n<tbody>\n");
        for (DeadLetter d : r.deadLetterExamples()) {
            h.append("<tr><td>").append(esc(Fmt.orDash(d.source()))).append(':').append(d.line()).append("</td><td>")
                    .append(esc(d.reason())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void method(StringBuilder h, AuditReport r) {
        RunMetadata run = r.run();
        h.append("<section id=\"method\">\n<h2>Method</h2>\n");
        h.append("<p>Each message was scored offline by the ThreatMon engine")
                .append(run.engineVersion() == null ? "" : " " + esc(run.engineVersion()))
                .append(" with explainable rules (").append(run.rulePacks().size())
                .append(" rule packs, listed below). No message was sent to any external service.</p>\n");
        h.append("<p><strong>Normalisation.</strong> Before matching, the engine looks at several views of each "
                + "message: the raw text; a normalised view (Unicode NFKC, invisible and direction characters "
                + "removed, accents stripped, look-alike letters folded, spaced-out letters joined); a folded view "
                + "(leetspeak such as <code>1gn0r3</code>); and a decoded view (base64, hex, URL and HTML encoding), "
                + "so that disguised attacks are found too.</p>\n");
        h.append("<p><strong>Rules and score.</strong> Rules are linear-time regular expressions, each tagged with "
                + "OWASP Top 10 for LLM Applications (2025) and MITRE ATLAS ids. The strongest matching rule sets the "
                + "risk score (0-100); each further rule raises it. A message is a <em>threat</em> when its risk "
                + "score is at or above the threshold of <strong>").append(run.threshold())
                .append("</strong>; its category is that of its strongest rule.</p>\n");
        h.append("<p><strong>Privacy.</strong> Excerpts are cut around the strongest evidence (at most about ")
                .append(Redactor.DEFAULT_EXCERPT_CHARS).append(" characters) and redacted: API keys, access tokens, "
                        + "JWTs, private keys, password assignments, e-mail addresses and card numbers are replaced by "
                        + "<code>[REDACTED:kind]</code>. ");
        if (run.includeText()) {
            h.append("This run used <code>--include-text</code>: examples also carry the full message text verbatim, "
                    + "without redaction.");
        } else {
            h.append("Full message text is not included.");
        }
        h.append("</p>\n<p><strong>Limits.</strong> Rules find known attack patterns; they can miss new ones and "
                + "flag benign messages that quote attacks. Review examples before acting on individual users.</p>\n");
        h.append("</section>\n");
    }

    private static void runTable(StringBuilder h, AuditReport r) {
        RunMetadata run = r.run();
        h.append("<section id=\"run\">\n<h2>Run</h2>\n<table>\n<tbody>\n");
        row(h, "Inputs", run.inputs().isEmpty() ? "—" : String.join(", ", run.inputs()));
        row(h, "Input format", Fmt.orDash(run.format()));
        row(h, "Started", Fmt.time(run.startedAt()));
        row(h, "Duration", Fmt.duration(run.durationMs()));
        row(h, "Data time range", Fmt.time(r.timeRange().first()) + " – " + Fmt.time(r.timeRange().last()));
        row(h, "Engine version", Fmt.orDash(run.engineVersion()));
        StringBuilder packs = new StringBuilder();
        for (RunMetadata.RulePack p : run.rulePacks()) {
            packs.append(packs.length() == 0 ? "" : ", ").append(p.name())
                    .append(p.version() == null ? "" : " " + p.version());
        }
        row(h, "Rule packs", packs.length() == 0 ? "—" : packs.toString());
        row(h, "Threshold", Integer.toString(run.threshold()));
        row(h, "Parallelism", Integer.toString(run.parallelism()));
        row(h, "Full text included", run.includeText() ? "yes (--include-text)" : "no");
        row(h, "Scored messages written to", Fmt.orDash(run.scoredOutput()));
        row(h, "Unreadable records written to", Fmt.orDash(run.deadLetterOutput()));
        row(h, "Mean scoring time", String.format(java.util.Locale.ROOT, "%.1f µs per message", r.meanAnalysisMicros()));
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th scope=\"row\">").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static void num(StringBuilder h, String value) {
        h.append("<td class=\"num\">").append(esc(value)).append("</td>");
    }

    private static void emptyRow(StringBuilder h, int columns, String text) {
        h.append("<tr><td colspan=\"").append(columns).append("\">").append(esc(text)).append("</td></tr>\n");
    }

    private static String tags(List<String> tags) {
        if (tags.isEmpty()) {
            return "—";
        }
        StringBuilder s = new StringBuilder();
        for (String t : tags) {
            s.append("<span class=\"tag\">").append(esc(t)).append("</span>");
        }
        return s.toString();
    }
}
