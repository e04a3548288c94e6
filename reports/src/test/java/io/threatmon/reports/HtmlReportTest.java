package io.threatmon.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest extends ReportTestBase {

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String XHTML_NS = "http://www.w3.org/1999/xhtml";

    static Document parse(String xhtml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(xhtml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> svgs(Document doc) {
        NodeList list = doc.getElementsByTagNameNS(SVG_NS, "svg");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    private static String text(Document doc, String id) {
        return doc.getElementById(id) != null ? doc.getElementById(id).getTextContent() : byId(doc, id);
    }

    /** getElementById needs a DTD; look the id up by hand. */
    private static String byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e.getTextContent();
            }
        }
        throw new AssertionError("no element with id " + id);
    }

    @Test
    void shouldBeWellFormedXhtmlWithOneAccessibleSvgPerChart() throws Exception {
        Document doc = parse(HtmlReport.render(accumulate(fixtureDay()).result(run())));
        assertEquals(XHTML_NS, doc.getDocumentElement().getNamespaceURI());
        List<Element> charts = svgs(doc);
        assertEquals(List.of("chart-time", "chart-categories", "chart-users", "chart-apps", "chart-risk"),
                charts.stream().map(e -> e.getAttribute("id")).toList());
        for (Element svg : charts) {
            assertEquals("img", svg.getAttribute("role"));
            assertFalse(svg.getElementsByTagNameNS(SVG_NS, "title").item(0).getTextContent().isBlank());
            assertFalse(svg.getElementsByTagNameNS(SVG_NS, "desc").item(0).getTextContent().isBlank());
        }
    }

    @Test
    void shouldSayWhenTheTimeAxisLeavesEmptyDaysOut() throws Exception {
        // 26 years apart: more days than the series fills, so only the two days with messages are kept
        List<ScoredMessage> messages = List.of(
                message().line(1).at(0, 5).risk(10).build(),
                message().line(2).atMinute(26L * 365 * 24 * 60).risk(95).build());
        String desc = svgs(parse(HtmlReport.render(accumulate(messages).result(run())))).get(0)
                .getElementsByTagNameNS(SVG_NS, "desc").item(0).getTextContent();
        assertTrue(desc.contains("in the 2 days with messages between 2025-05-01 and "), desc);
        assertTrue(desc.contains("empty days between them are left out, so the time axis is not to scale"), desc);
        assertFalse(desc.contains("over 2 days"), desc);

        String contiguous = svgs(parse(HtmlReport.render(accumulate(fixtureDay()).result(run())))).get(0)
                .getElementsByTagNameNS(SVG_NS, "desc").item(0).getTextContent();
        assertTrue(contiguous.contains("per hour (UTC), over 3 hours;"), contiguous);
    }

    @Test
    void shouldShowTheHeadlineFigures() throws Exception {
        Document doc = parse(HtmlReport.render(accumulate(fixtureDay()).result(run())));
        assertEquals("10messages scored", text(doc, "figure-messages"));
        assertEquals("3threat messages", text(doc, "figure-threats"));
        assertEquals("30%threat rate", text(doc, "figure-threat-rate"));
        assertEquals("0unreadable records", text(doc, "figure-dead-letters"));
    }

    @Test
    void shouldShowCategoryTagsMethodAndRunMetadata() {
        String html = HtmlReport.render(accumulate(fixtureDay()).result(run()));
        assertTrue(html.contains("<span class=\"tag\">AML.T0051.000</span>"));
        assertTrue(html.contains("threshold of <strong>70</strong>"));
        assertTrue(html.contains("<h2>Method</h2>") && html.contains("Normalisation"));
        assertTrue(html.contains("prompt_injection 1.0.0, jailbreak 1.0.0"));
        assertTrue(html.contains("1 min 23 s"));
    }

    @Test
    void shouldBeSelfContainedAndPrintable() {
        String html = HtmlReport.render(accumulate(fixtureDay()).result(run()));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/", "").contains("http://"));
        assertFalse(html.contains("https://"));
        assertTrue(html.contains("@media print") && html.contains("break-before: page") && html.contains("@page"));
    }

    @Test
    void shouldEscapeHostileMessageTextAndStayWellFormed() throws Exception {
        String hostile = "</td><script>alert('x')</script> & \u0000\u0007\uFFFE \uD800 ]]> <![CDATA[ <svg onload=1>";
        ScoredMessage m = message().line(1).user(hostile).app(hostile).conversation(hostile)
                .threat(hostile, 90, hostile).excerpt(hostile).build();
        RunMetadata run = RunMetadata.builder().title(hostile).includeText(true).input(hostile).build();
        m.text = hostile;
        String html = HtmlReport.render(new AuditAccumulator().add(m).result(run));
        Document doc = parse(html);
        assertEquals(0, doc.getElementsByTagNameNS(XHTML_NS, "script").getLength());
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertEquals(5, svgs(doc).size());
    }

    @Test
    void shouldWarnThatFullTextIsIncludedOnlyWhenItIs() {
        ScoredMessage m = message().line(1).threat("jailbreak", 90, "jb.dan").text("the whole message").build();
        String withText = HtmlReport.render(new AuditAccumulator().add(m)
                .result(RunMetadata.builder().includeText(true).build()));
        assertTrue(withText.contains("Confidential: this report contains full message text."));
        assertTrue(withText.contains("the whole message"));
        String without = HtmlReport.render(accumulate(fixtureDay()).result(run()));
        assertFalse(without.contains("Confidential"));
        assertTrue(without.contains("this report shows short excerpts only"));
    }

    @Test
    void shouldRenderAnEmptyReportWithChartsThatSayNoData() throws Exception {
        String html = HtmlReport.render(new AuditAccumulator().result(RunMetadata.builder().build()));
        Document doc = parse(html);
        List<Element> charts = svgs(doc);
        assertEquals(5, charts.size());
        for (Element svg : charts) {
            assertTrue(svg.getTextContent().contains("No data"), svg.getAttribute("id"));
        }
        assertEquals("0threat messages", text(doc, "figure-threats"));
        assertEquals("0%threat rate", text(doc, "figure-threat-rate"));
        assertTrue(html.contains("No messages were scored."));
        assertFalse(html.contains("NaN") || html.contains("Infinity"));
    }

    @Test
    void shouldDrawTheTimeSeriesOfManyDaysWithoutMarkersOrNaN() throws Exception {
        AuditAccumulator acc = new AuditAccumulator();
        for (int day = 0; day < 200; day++) {
            acc.add(message().atMinute(day * 24L * 60).risk(10).build());
        }
        acc.add(message().atMinute(5).threat("jailbreak", 80, "jb.dan").build());
        String html = HtmlReport.render(acc.result(run()));
        parse(html);
        assertFalse(html.contains("NaN") || html.contains("Infinity"));
        assertTrue(html.contains("per day"));
    }
}
