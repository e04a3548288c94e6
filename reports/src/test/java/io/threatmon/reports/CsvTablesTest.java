package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTablesTest extends ReportTestBase {

    private final Map<String, String> tables = CsvTables.render(accumulate(fixtureDay()).result(run()));

    private List<String> lines(String file) {
        return List.of(tables.get(file).split("\r\n"));
    }

    @Test
    void shouldWriteEveryTable() {
        assertEquals(CsvTables.FILES, List.copyOf(tables.keySet()));
    }

    @Test
    void shouldWriteCategoriesWithSharesAndTags() {
        assertEquals(List.of("category,threat_messages,share_of_threats,tags",
                "prompt_injection,2,0.666667,LLM01:2025 AML.T0051.000", "jailbreak,1,0.333333,LLM01:2025 AML.T0054"),
                lines("by_category.csv"));
    }

    @Test
    void shouldWriteUsersAppsAndRolesWithThreatRates() {
        assertEquals(List.of("user,messages,threats,threat_rate,top_category", "alice,4,2,0.5,prompt_injection",
                "bob,2,1,0.5,jailbreak", "carol,3,0,0.0,", "(unknown),1,0,0.0,"), lines("by_user.csv"));
        assertEquals("app,messages,threats,threat_rate,top_category", lines("by_app.csv").get(0));
        assertEquals(List.of("role,messages,threats,threat_rate,top_category", "user,9,3,0.333333,prompt_injection",
                "assistant,1,0,0.0,"), lines("by_role.csv"));
    }

    @Test
    void shouldWriteRulesTimeSeriesConversationsAndHistogram() {
        assertEquals(List.of("rule,messages", "jb.dan,2", "pi.ignore_previous,2", "spe.reveal_system_prompt,1"),
                lines("top_rules.csv"));
        assertEquals(List.of("bucket_start,granularity,messages,threats,threat_rate",
                "2025-05-01T00:00:00Z,hour,3,1,0.333333", "2025-05-01T01:00:00Z,hour,3,2,0.666667",
                "2025-05-01T02:00:00Z,hour,3,0,0.0"), lines("time_series.csv"));
        assertEquals("c1,alice,support-bot,3,1,92,prompt_injection,2025-05-01T00:05:00Z,2025-05-01T00:07:00Z",
                lines("top_conversations.csv").get(1));
        assertEquals(11, lines("risk_histogram.csv").size());
        assertEquals("90-100,90,100,1", lines("risk_histogram.csv").get(10));
    }

    @Test
    void shouldDefuseSpreadsheetFormulasAndQuoteSeparators() {
        ScoredMessage m = message().user("=HYPERLINK(\"http://x\",\"y\")").app("a,b").threat("jailbreak", 90).build();
        Map<String, String> t = CsvTables.render(new AuditAccumulator().add(m).result(run()));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,1,1.0,jailbreak", t.get("by_user.csv").split("\r\n")[1]);
        assertEquals("\"a,b\",1,1,1.0,jailbreak", t.get("by_app.csv").split("\r\n")[1]);
    }

    @Test
    void shouldWriteHeadersOnlyForAnEmptyReport() {
        Map<String, String> t = CsvTables.render(new AuditAccumulator().result(RunMetadata.builder().build()));
        assertEquals("user,messages,threats,threat_rate,top_category\r\n", t.get("by_user.csv"));
        assertEquals(11, t.get("risk_histogram.csv").split("\r\n").length);
    }
}
