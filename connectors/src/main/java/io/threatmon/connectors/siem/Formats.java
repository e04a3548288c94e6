package io.threatmon.connectors.siem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shared mappings of the formatters: time, title, severities, ATLAS names, JSON output. */
final class Formats {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** ATLAS technique names from shared/reference/taxonomy.md (ATLAS data v5.x). */
    static final Map<String, String> ATLAS_NAMES = Map.ofEntries(
            Map.entry("AML.T0051.000", "LLM Prompt Injection: Direct"),
            Map.entry("AML.T0051.001", "LLM Prompt Injection: Indirect"),
            Map.entry("AML.T0051.002", "LLM Prompt Injection: Triggered"),
            Map.entry("AML.T0054", "LLM Jailbreak"),
            Map.entry("AML.T0056", "Extract LLM System Prompt"),
            Map.entry("AML.T0057", "LLM Data Leakage"),
            Map.entry("AML.T0068", "LLM Prompt Obfuscation"),
            Map.entry("AML.T0065", "LLM Prompt Crafting"),
            Map.entry("AML.T0053", "AI Agent Tool Invocation"),
            Map.entry("AML.T0086", "Exfiltration via AI Agent Tool Invocation"),
            Map.entry("AML.T0024.000", "Membership inference"),
            Map.entry("AML.T0024.001", "Model inversion"),
            Map.entry("AML.T0024.002", "Model extraction"),
            Map.entry("AML.T0029", "Denial of AI Service"),
            Map.entry("AML.T0052.000", "Spearphishing via Social Engineering LLM"),
            Map.entry("AML.T0070", "RAG Poisoning"),
            Map.entry("AML.T0080", "AI Agent Context Poisoning"));

    private Formats() {
    }

    /** The alert's time, or now when it is unknown ({@link Long#MIN_VALUE}). */
    static long epochMillis(Alert a) {
        return a.timestamp() == Long.MIN_VALUE ? System.currentTimeMillis() : a.timestamp();
    }

    static Instant instant(Alert a) {
        return Instant.ofEpochMilli(epochMillis(a));
    }

    /** ISO-8601 UTC with exactly three fraction digits: {@code 2026-03-04T12:34:56.789Z}. */
    static String isoMillis(Alert a) {
        return ISO_MILLIS.format(instant(a));
    }

    /** {@code prompt_injection} → {@code Prompt injection detected}. */
    static String title(Alert a) {
        String c = a.category();
        if (c == null || c.isBlank()) {
            return "Threat detected";
        }
        String words = c.strip().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1) + " detected";
    }

    static int risk(Alert a) {
        return Math.max(0, Math.min(100, a.riskScore()));
    }

    /** CEF 0-10 = round(risk / 10). */
    static int tenScale(Alert a) {
        return Math.round(risk(a) / 10f);
    }

    static String first(List<String> l) {
        return l.isEmpty() ? null : l.get(0);
    }

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** Cuts {@code s} to at most {@code max} chars without splitting a surrogate pair. */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Puts {@code value} unless it is null or empty. */
    static void putIf(ObjectNode o, String key, String value) {
        if (!isEmpty(value)) {
            o.put(key, value);
        }
    }

    static void putArrayIf(ObjectNode o, String key, Collection<String> values) {
        if (!values.isEmpty()) {
            ArrayNode arr = o.putArray(key);
            values.forEach(arr::add);
        }
    }

    static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert JSON", e);
        }
    }
}
