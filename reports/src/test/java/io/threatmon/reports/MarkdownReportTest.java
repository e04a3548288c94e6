package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkdownReportTest extends ReportTestBase {

    @Test
    void shouldListTheFiguresAndTablesOfTheReport() {
        String md = MarkdownReport.render(accumulate(fixtureDay()).result(run()));
        assertTrue(md.startsWith("# ThreatMon audit report\n"));
        assertTrue(md.contains("| Messages scored | 10 |"));
        assertTrue(md.contains("| Threat messages | 3 |"));
        assertTrue(md.contains("| Threat rate | 30% |"));
        assertTrue(md.contains("| prompt\\_injection | 2 | 66.7% | LLM01:2025, AML.T0051.000 |"));
        assertTrue(md.contains("| alice | 4 | 2 | 50% | prompt\\_injection |"));
        assertTrue(md.contains("| 2025-05-01 01:00 UTC | 3 | 2 | 66.7% |"));
        assertTrue(md.contains("| 90-100 | 1 |"));
        assertTrue(md.contains("| c1 | alice | support-bot | 3 | 1 | 92 | prompt\\_injection |"));
        assertTrue(md.contains("### jailbreak"));
        assertTrue(md.contains("## Method"));
    }

    @Test
    void shouldEscapeMessageTextSoItCannotAddLinksImagesOrBreakTables() {
        String hostile = "![x](https://evil.example/p.png) | <img src=x> [link](http://a)\nnext";
        ScoredMessage m = message().line(1).user(hostile).threat("jailbreak", 90, "jb.dan").excerpt(hostile).build();
        String md = MarkdownReport.render(new AuditAccumulator().add(m).result(run()));
        assertFalse(md.contains("![x]("));
        assertFalse(md.contains("<img"));
        assertFalse(md.contains("[link]("));
        assertTrue(md.contains("\\!\\[x\\]\\(https\\://evil.example/p.png\\) \\| &lt;img src=x&gt;"), md);
    }

    /** GitHub's Markdown links bare URLs, www. names and addresses, and reads a leading "1." as a list. */
    @Test
    void shouldKeepBareUrlsAddressesAndListMarkersAsText() {
        String hostile = "1. see https://evil.example/p or www.evil.example, mail a@evil.example";
        ScoredMessage m = message().line(1).user("- bob").threat("jailbreak", 90, "jb.dan").excerpt(hostile).build();
        String md = MarkdownReport.render(new AuditAccumulator().add(m).result(run()));
        assertFalse(md.contains("https://evil"), md);
        assertFalse(md.contains("www.evil"), md);
        assertFalse(md.contains("a@evil"), md);
        assertTrue(md.contains("1\\. see https\\://evil.example/p or www\\.evil.example, mail a\\@evil.example"), md);
        assertFalse(md.contains("| - bob"), md);
    }

    @Test
    void shouldRenderAnEmptyReport() {
        String md = MarkdownReport.render(new AuditAccumulator().result(RunMetadata.builder().build()));
        assertTrue(md.contains("| Messages scored | 0 |"));
        assertTrue(md.contains("| no threats | | | |"));
        assertTrue(md.contains("No threats, so no examples."));
        assertFalse(md.contains("NaN"));
    }
}
