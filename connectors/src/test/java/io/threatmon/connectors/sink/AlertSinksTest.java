package io.threatmon.connectors.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.connectors.siem.Alert;
import io.threatmon.connectors.siem.AlertFormatter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.file.sink.FileSink;
import org.junit.jupiter.api.Test;

class AlertSinksTest {

    static final Alert ALERT = new Alert("conv-42-17", 1772627696789L, 92, "critical", "prompt_injection",
            List.of("prompt_injection"), List.of("pi.ignore_previous"), List.of("Ignore previous instructions"),
            List.of("LLM01:2025", "AML.T0051.000"), "block", "rules", "alice", "support-bot", "gpt-4o", "user",
            "conv-42", "conv-42-17", "logs/day.jsonl", 17, "ignore previous instructions a=b", 1);

    @Test
    void shouldParseSyslogOverTcpWithACefBody() {
        AlertSinkSpec s = AlertSinks.parse("syslog+tcp://siem.example:6514?format=cef");
        assertEquals("syslog+tcp", s.scheme());
        assertEquals("siem.example:6514", s.target());
        assertEquals("syslog", s.format().id());
        String event = s.format().format(ALERT);
        assertTrue(event.startsWith("<34>1 2026-03-04T12:34:56.789Z "), event);
        assertTrue(event.contains("] CEF:0|ThreatMon|LLM Audit|"), event);
        assertInstanceOf(SyslogTcpSink.class, s.createSink());
    }

    @Test
    void shouldCarryLeefTextOrJsonInSyslogWithDefaultPortsAndFacility() {
        assertTrue(AlertSinks.parse("syslog+udp://siem?format=leef").format().format(ALERT).contains("LEEF:2.0|"));
        assertEquals("siem:514", AlertSinks.parse("syslog+udp://siem").target());
        assertEquals("siem:514", AlertSinks.parse("syslog+tcp://siem").target());
        assertEquals("siem:6514", AlertSinks.parse("syslog+tls://siem").target());
        assertTrue(AlertSinks.parse("syslog+udp://siem?format=text").format().format(ALERT)
                .endsWith("Prompt injection detected (risk 92) user=alice app=support-bot"));
        assertTrue(AlertSinks.parse("syslog+udp://siem?facility=13&format=json").format().format(ALERT)
                .startsWith("<106>1 "), "13 * 8 + 2");
        assertInstanceOf(SyslogUdpSink.class, AlertSinks.parse("syslog+udp://siem?max-datagram=2048").createSink());
    }

    @Test
    void shouldParseSplunkHecWithTokenTlsIndexAndBatch() {
        AlertSinkSpec s = AlertSinks.parse("hec://splunk.example:8088?token=11111111-2222&tls=true&index=security&batch=50");
        assertEquals("hec", s.scheme());
        assertEquals("https://splunk.example:8088/services/collector/event", s.target());
        assertEquals("splunk", s.format().id());
        assertTrue(s.format().format(ALERT).contains("\"index\":\"security\""));
        HttpSink sink = assertInstanceOf(HttpSink.class, s.createSink());
        assertEquals(50, sink.batchSize());
        assertEquals("Splunk 11111111-2222", sink.headers().get("Authorization"));
        assertEquals("http://splunk:8088/services/collector/event", AlertSinks.parse("hec://splunk?token=t").target());
    }

    @Test
    void shouldParseWebhooksWithJsonFormatsTokenAndHeaders() {
        AlertSinkSpec s = AlertSinks.parse("webhook+https://soar.example/hooks/llm?format=ocsf&token=abc&header=X-Tenant:soc-1"
                + "&batch-interval=250ms&retries=2&backoff=50ms&max-backoff=1s");
        assertEquals("https://soar.example/hooks/llm", s.target());
        assertEquals("ocsf", s.format().id());
        HttpSink sink = (HttpSink) s.createSink();
        assertEquals("Bearer abc", sink.headers().get("Authorization"));
        assertEquals("soc-1", sink.headers().get("X-Tenant"));
        assertEquals(Duration.ofMillis(250), sink.batchInterval());
        assertEquals(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1)), sink.retry());
        assertEquals("http://127.0.0.1:8080/", AlertSinks.parse("webhook+http://127.0.0.1:8080").target());
        assertEquals("json", AlertSinks.parse("webhook+http://h/x").format().id());
    }

    @Test
    void shouldParseARollingFileSink() {
        AlertSinkSpec s = AlertSinks.parse("file:///var/log/threatmon?format=cef&roll-size=64MB&roll-interval=5m&bucket=hour");
        assertEquals("/var/log/threatmon", s.target());
        assertEquals("cef", s.format().id());
        assertInstanceOf(FileSink.class, s.createSink());
    }

    @Test
    void shouldRedactSecretsInDescribe() {
        AlertSinkSpec hec = AlertSinks.parse("hec://splunk:8088?token=s3cr3t&index=main");
        assertEquals("hec://splunk:8088?token=***&index=main", hec.describe());
        AlertSinkSpec hook = AlertSinks.parse("webhook+https://user:pw@soar/x?header=X-Key:k3y&token=t0k");
        assertFalse(hook.describe().contains("pw") || hook.describe().contains("k3y") || hook.describe().contains("t0k"),
                hook.describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AlertSinks.parse("hec://splunk:8088?token=s3cr3t&bogus=1"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void shouldRejectBadUrisNamingTheProblem() {
        assertMessage("unknown alert sink scheme 'smtp'", "smtp://mail:25");
        assertMessage("syslog+udp, syslog+tcp, syslog+tls, hec, webhook+http, webhook+https, file", "kafka://broker:9092/alerts");
        assertMessage("has no scheme", "/var/log/alerts");
        assertMessage("needs '//' after the scheme", "siem:514");
        assertMessage("token' is required", "hec://splunk:8088");
        assertMessage("unknown parameter tokn", "hec://splunk:8088?tokn=abc");
        assertMessage("cannot carry format 'cef'", "webhook+https://soar/x?format=cef");
        assertMessage("cannot carry format 'ecs'", "syslog+tcp://siem?format=ecs");
        assertMessage("cannot carry format 'xml': use format=jsonl|json|cef", "file:///tmp/a?format=xml");
        assertMessage("has no host", "syslog+tcp://:514");
        assertMessage("port must be 1-65535", "syslog+tcp://siem:0");
        assertMessage("'batch' must be 1-10000", "hec://s?token=t&batch=0");
        assertMessage("must be a duration", "hec://s?token=t&batch-interval=soon");
        assertMessage("must be a size", "file:///tmp/a?roll-size=big");
        assertMessage("give a directory", "file:///");
        assertMessage("bucket must be none, hour or day", "file:///tmp/a?bucket=week");
        assertMessage("'tls' must be true or false", "hec://s?token=t&tls=maybe");
        assertMessage("empty alert sink URI", " ");
    }

    private static void assertMessage(String expected, String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertSinks.parse(uri), uri);
        assertTrue(e.getMessage().contains(expected), uri + " → " + e.getMessage());
    }

    @Test
    void shouldTakeAnotherSchemeWithoutChangingTheStandardOnes() {
        SinkScheme kafka = uri -> AlertSinkSpec.of(uri, uri.host() + ":" + uri.port(9092) + uri.path(),
                AlertSinks.format(uri, "json", AlertSinks.JSON_FORMATS), () -> new SyslogUdpSink("x", 1, 480, RetryPolicy.defaults()));
        AlertSinks withKafka = AlertSinks.standard().with("kafka", kafka);
        AlertSinkSpec s = withKafka.parseUri("kafka://broker:9092/alerts?format=ecs");
        assertEquals("broker:9092/alerts", s.target());
        assertEquals("ecs", s.format().id());
        assertTrue(withKafka.schemes().contains("kafka"));
        assertFalse(AlertSinks.standard().schemes().contains("kafka"));
        assertThrows(IllegalArgumentException.class, () -> withKafka.parseUri("kafka://broker/alerts?partitions=3"),
                "parameters the scheme did not read are still rejected");
    }

    @Test
    void shouldSurviveJavaSerializationLikeAFlinkJobGraph() throws Exception {
        for (String uri : List.of("syslog+udp://siem?format=text", "syslog+tls://siem", "hec://s?token=t",
                "webhook+http://h/x?format=ecs", "file:///tmp/alerts?format=leef")) {
            AlertSinkSpec s = AlertSinks.parse(uri);
            AlertSinkSpec copy = roundTrip(s);
            assertEquals(s.describe(), copy.describe());
            assertEquals(s.format().id(), copy.format().id());
            Sink<String> sink = roundTrip(copy.createSink());
            assertEquals(s.createSink().getClass(), sink.getClass());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void shouldUseTheSameFormatterParserAsTheAuditFile() {
        assertEquals(AlertFormatter.cef().format(ALERT), AlertSinks.parse("file:///tmp/x?format=cef").format().format(ALERT));
    }
}
