package io.threatmon.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.connectors.LogFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditMainTest {

    @Test
    void shouldParseTheSameFlagsAsTheCommandLine() {
        AuditOptions o = AuditMain.parse(new String[] {"--input", "a.jsonl", "--input", "logs/", "--out", "out",
            "--format", "csv", "--parallelism", "3", "--threshold", "80", "--model", "--include-text",
            "--text-field", "prompt", "--conversation-field", "session"});
        assertEquals(List.of("a.jsonl", "logs/"), o.inputs());
        assertEquals(Path.of("out"), o.out());
        assertEquals(LogFormat.CSV, o.format());
        assertEquals(3, o.parallelism());
        assertEquals(80, o.threshold());
        assertTrue(o.model());
        assertFalse(AuditMain.parse(new String[] {"--input", "a", "--out", "o"}).model(), "rules only by default");
        assertTrue(o.includeText());
        assertEquals("prompt", o.mapping().field("text"));
        assertEquals("session", o.mapping().field("conversation_id"));
    }

    @Test
    void shouldParseRepeatedAlertSinksInOrder() {
        AuditOptions o = AuditMain.parse(new String[] {"--input", "a", "--out", "o",
            "--alert-sink", "syslog+tcp://siem:6514?format=cef", "--alert-sink", "hec://splunk:8088?token=secret"});
        assertEquals(List.of("syslog+tcp", "hec"), o.alertSinks().stream().map(s -> s.scheme()).toList());
        assertEquals("hec://splunk:8088?token=***", o.alertSinks().get(1).describe());
        assertTrue(AuditMain.parse(new String[] {"--input", "a", "--out", "o"}).alertSinks().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {
            "--input", "a", "--out", "o", "--alert-sink", "smtp://mail"}));
        assertTrue(e.getMessage().startsWith("--alert-sink: unknown alert sink scheme 'smtp'"), e.getMessage());
    }

    @Test
    void shouldRejectUnknownFlagsAndMissingOutput() {
        assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {"--input", "a", "--out", "o", "--fast"}));
        assertThrows(IllegalArgumentException.class, () -> AuditMain.parse(new String[] {"--input", "a"}));
    }

    @Test
    void shouldExplainTooFewNetworkBuffersOnACluster() {
        // What a default flink:2.2.0 task manager (128 MB network memory, 2 slots) failed the audit with.
        var e = new java.util.concurrent.ExecutionException(new RuntimeException("Job failed",
                new java.io.IOException("Insufficient number of network buffers: required 512, but only 511 available.")));
        Exception r = AuditRunner.sinkFailure(e);
        assertTrue(r.getMessage().startsWith("the task managers have too little network memory"), r.getMessage());
        assertTrue(r.getMessage().contains("taskmanager.network.sort-shuffle.min-buffers: 128"), r.getMessage());
        assertTrue(r.getMessage().contains("required 512, but only 511 available"), r.getMessage());
        var other = new java.util.concurrent.ExecutionException(new java.io.IOException("disk full"));
        assertEquals(other, AuditRunner.sinkFailure(other));
    }

    @Test
    void shouldRefuseARestApiSubmissionThatCannotWaitForTheJob() {
        // JarRunHandler (REST API, web UI): execution.attached false, execution.target embedded.
        var web = new org.apache.flink.configuration.Configuration()
                .set(org.apache.flink.configuration.DeploymentOptions.ATTACHED, false)
                .set(org.apache.flink.configuration.DeploymentOptions.TARGET, "embedded");
        var e = assertThrows(IllegalArgumentException.class, () -> AuditRunner.requireAttachedClient(web));
        assertTrue(e.getMessage().contains("flink run"), e.getMessage());
        // Embedded MiniCluster (nothing set), flink run (attached, remote), flink run -d (detached, remote): fine.
        AuditRunner.requireAttachedClient(new org.apache.flink.configuration.Configuration());
        AuditRunner.requireAttachedClient(new org.apache.flink.configuration.Configuration()
                .set(org.apache.flink.configuration.DeploymentOptions.ATTACHED, true)
                .set(org.apache.flink.configuration.DeploymentOptions.TARGET, "remote"));
        AuditRunner.requireAttachedClient(new org.apache.flink.configuration.Configuration()
                .set(org.apache.flink.configuration.DeploymentOptions.ATTACHED, false)
                .set(org.apache.flink.configuration.DeploymentOptions.TARGET, "remote"));
    }
}
