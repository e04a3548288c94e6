package io.threatmon.reports;

import io.threatmon.reports.AuditReport.ConversationRow;
import io.threatmon.reports.AuditReport.GroupRow;
import io.threatmon.reports.AuditReport.HistogramBucket;
import io.threatmon.reports.AuditReport.RuleCount;
import io.threatmon.reports.AuditReport.TimeBucket;
import io.threatmon.reports.internal.Output;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The report's tables as CSV files for spreadsheets (RFC 4180, UTF-8, header row): {@link #FILES}.
 * Text cells that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) get
 * a leading {@code '}, since user and conversation names come from untrusted logs.
 */
public final class CsvTables implements ReportFormat {

    public static final List<String> FILES = List.of("by_category.csv", "by_user.csv", "by_app.csv", "by_role.csv",
            "top_rules.csv", "time_series.csv", "top_conversations.csv", "risk_histogram.csv");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    CsvTables() {}

    @Override
    public List<Path> write(AuditReport report, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> e : render(report).entrySet()) {
            written.add(Output.writeString(dir.resolve(e.getKey()), e.getValue()));
        }
        return written;
    }

    /** File name → CSV content, for every table in {@link #FILES}. */
    public static Map<String, String> render(AuditReport r) {
        Map<String, String> out = new LinkedHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        r.byCategory().forEach((c, n) -> rows.add(Arrays.asList(c, n, AuditReport.rate(n, r.threatMessages()),
                String.join(" ", r.run().tagsOf(c)))));
        out.put("by_category.csv", csv(List.of("category", "threat_messages", "share_of_threats", "tags"), rows));
        out.put("by_user.csv", groups("user", r.byUser()));
        out.put("by_app.csv", groups("app", r.byApp()));
        out.put("by_role.csv", groups("role", r.byRole()));

        List<List<Object>> ruleRows = new ArrayList<>();
        for (RuleCount rc : r.topRules()) {
            ruleRows.add(Arrays.asList(rc.rule(), rc.messages()));
        }
        out.put("top_rules.csv", csv(List.of("rule", "messages"), ruleRows));

        List<List<Object>> timeRows = new ArrayList<>();
        for (TimeBucket b : r.timeSeries().buckets()) {
            timeRows.add(Arrays.asList(b.start(), r.timeSeries().granularity(), b.messages(), b.threats(),
                    b.threatRate()));
        }
        out.put("time_series.csv", csv(List.of("bucket_start", "granularity", "messages", "threats", "threat_rate"),
                timeRows));

        List<List<Object>> convRows = new ArrayList<>();
        for (ConversationRow c : r.topConversations()) {
            convRows.add(Arrays.asList(c.conversationId(), c.user(), c.app(), c.messages(), c.threats(), c.maxRisk(),
                    c.topCategory(), c.firstSeen(), c.lastSeen()));
        }
        out.put("top_conversations.csv", csv(List.of("conversation_id", "user", "app", "messages", "threats", "max_risk",
                "top_category", "first_seen", "last_seen"), convRows));

        List<List<Object>> histRows = new ArrayList<>();
        for (HistogramBucket b : r.riskHistogram()) {
            histRows.add(Arrays.asList(b.range(), b.from(), b.to(), b.messages()));
        }
        out.put("risk_histogram.csv", csv(List.of("risk_range", "from", "to", "messages"), histRows));
        return out;
    }

    private static String groups(String what, List<GroupRow> groups) {
        List<List<Object>> rows = new ArrayList<>();
        for (GroupRow g : groups) {
            rows.add(Arrays.asList(g.name(), g.messages(), g.threats(), g.threatRate(), g.topCategory()));
        }
        return csv(List.of(what, "messages", "threats", "threat_rate", "top_category"), rows);
    }

    private static String csv(List<String> header, List<List<Object>> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, FORMAT)) {
            p.printRecord(header);
            for (List<Object> row : rows) {
                List<Object> cells = new ArrayList<>(row.size());
                for (Object cell : row) {
                    cells.add(cell(cell));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static Object cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        if (value instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "'" + s;
        }
        return value;
    }
}
