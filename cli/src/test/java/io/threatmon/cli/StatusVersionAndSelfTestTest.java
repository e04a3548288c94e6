package io.threatmon.cli;

import static io.threatmon.cli.CliRun.resource;
import static io.threatmon.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.engine.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusVersionAndSelfTestTest {

    /** Every command's help renders as written: a bare '%' in a description made picocli print a warning. */
    @Test
    void shouldRenderEveryCommandsHelpWithoutFormatWarnings() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CliContext ctx = new CliContext(java.io.InputStream.nullInputStream(), new java.io.PrintStream(
                    java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), Map.of());
            java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(Main.commandLine(ctx)));
            int commands = 0;
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.pop();
                c.getUsageMessage();
                commands++;
                todo.addAll(c.getSubcommands().values());
            }
            assertTrue(commands > 10, "commands: " + commands);
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!err.contains("picocli WARN"), err);
    }

    private static final String FIXTURE = resource("fixture-rules.yml");

    @Test
    void shouldPrintTheEngineAndJavaVersion() {
        CliRun r = run("version");
        assertEquals(Main.OK, r.exitCode());
        assertTrue(r.out().startsWith("threatmon " + Version.ENGINE + "\n"), r::toString);
        assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r::toString);
        CliRun flag = run("--version");
        assertEquals(Main.OK, flag.exitCode());
        assertEquals(r.out(), flag.out());
    }

    @Test
    void shouldShowThresholdPacksRulesCacheAndEnvironmentInStatus() {
        CliRun r = CliRun.withEnv(Map.of("THREATMON_THRESHOLD", "80", "THREATMON_CACHE_SIZE", "123", "HOME", "/x"), "",
                "status", "--no-bundled", "--rules", FIXTURE);
        assertEquals(Main.OK, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("threshold:  80 (THREATMON_THRESHOLD)"), out);
        assertTrue(out.contains("fixture") && out.contains("1.2.3") && out.contains("3 rules"), out);
        assertTrue(out.contains("rules:      3 enabled, 4 patterns"), out);
        assertTrue(out.contains("categories: data_exfiltration, jailbreak, prompt_injection"), out);
        assertTrue(out.contains("cache:      on, 123 entries"), out);
        assertTrue(out.contains("THREATMON_CACHE_SIZE=123"), out);
        assertTrue(!out.contains("HOME="), out);
        assertTrue(out.contains("detectors:  rules (statistical model off"), out);
        CliRun withModel = CliRun.run("status", "--no-bundled", "--rules", FIXTURE, "--model");
        assertTrue(withModel.out().contains("detectors:  rules, ngram-lr"), withModel::toString);
    }

    @Test
    void shouldLetTheThresholdFlagWinInStatusJson() throws Exception {
        CliRun r = CliRun.withEnv(Map.of("THREATMON_THRESHOLD", "80"), "",
                "status", "--no-bundled", "--rules", FIXTURE, "--threshold", "55", "-o", "json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(55, j.get("threshold").asInt());
        assertEquals("--threshold", j.get("threshold_source").asText());
        assertEquals(3, j.get("rules").asInt());
    }

    @Test
    void shouldReportAnInvalidEnvironmentVariableAsOneErrorLine() {
        CliRun r = CliRun.withEnv(Map.of("THREATMON_THRESHOLD", "high"), "", "status", "--no-bundled", "--rules", FIXTURE);
        assertEquals(Main.ERROR, r.exitCode());
        assertEquals("threatmon: error: THREATMON_THRESHOLD must be a whole number, not 'high'", r.err().strip());
    }

    @Test
    void shouldPassTheSelfTestOnWellExampledRules() {
        CliRun r = run("test", "--no-bundled", "--rules", FIXTURE);
        assertEquals(Main.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("PASS rule packs load: 3 rules in 1 packs"), r::toString);
        assertTrue(r.out().contains("PASS sample is a threat"), r::toString);
        assertTrue(r.out().contains("PASS sample is safe: \"Tell me about quantum computing\""), r::toString);
        assertTrue(r.out().strip().endsWith("PASS all checks"), r::toString);
    }

    @Test
    void shouldFailTheSelfTestOnUnderExampledRules() {
        CliRun r = run("test", "--no-bundled", "--rules", resource("custom-rules.yaml"));
        assertEquals(Main.ERROR, r.exitCode(), r::toString);
        assertTrue(r.out().contains("FAIL example coverage: 2 rules"), r::toString);
        assertTrue(r.out().contains("FAIL sample is a threat"), r::toString);
    }

    @Test
    void shouldExitZeroFromTheBundledSelfTestOnlyWhenEveryCheckPasses() {
        CliRun r = run("test");
        assertTrue(r.out().contains("rule packs load") || r.err().contains("threatmon: error:"), r::toString);
        boolean anyFail = r.out().lines().anyMatch(l -> l.startsWith("FAIL")) || !r.err().isEmpty();
        assertEquals(anyFail ? Main.ERROR : Main.OK, r.exitCode(), r::toString);
    }

    @Test
    void shouldPrintUsageAndExitWithOneWithoutACommand() {
        CliRun r = run();
        assertEquals(Main.ERROR, r.exitCode());
        assertTrue(r.err().contains("Usage: threatmon"), r::toString);
    }
}
