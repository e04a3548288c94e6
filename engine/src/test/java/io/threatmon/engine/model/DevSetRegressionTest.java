package io.threatmon.engine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.threatmon.engine.AnalysisResult;
import io.threatmon.engine.ThreatClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Regression gate: the default detector (bundled rules) and the opt-in combined detector (rules +
 * bundled model) on {@code ../shared/datasets/dev.jsonl} may not fall below the committed floors. These are
 * in-sample figures (the model is trained on this file); the honest, out-of-source figures are
 * the leave-one-source-out table in docs/detection.md. Raise the floors when the detector
 * improves; never lower them to make a change pass.
 */
class DevSetRegressionTest {

    static final Path DEV = Path.of("../../shared/datasets/dev.jsonl");

    /** Attack detection (harmful_request excluded) of the rules alone, measured 0.7179 (session 6). */
    static final double RULES_DETECTION_FLOOR = 0.707;
    /** Attack detection of rules + the shipped model, measured 0.7916 (session 6). */
    static final double COMBINED_DETECTION_FLOOR = 0.781;
    /** Highest false-positive rate allowed on any benign subset family; measured 0.0 (worst family). */
    static final double BENIGN_FAMILY_FPR_CEILING = 0.01;

    @Test
    void defaultRulesDetectorStaysAtOrAboveTheCommittedFloor() throws IOException {
        gate(ThreatClient.builder().logDetections(false).cacheSize(0).build(), RULES_DETECTION_FLOOR);
    }

    @Test
    void combinedDetectorStaysAtOrAboveTheCommittedFloor() throws IOException {
        gate(ThreatClient.builder().model(true).logDetections(false).cacheSize(0).build(), COMBINED_DETECTION_FLOOR);
    }

    private static void gate(ThreatClient client, double floor) throws IOException {
        assumeTrue(Files.exists(DEV), "skipped: " + DEV.toAbsolutePath().normalize() + " is absent");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DEV, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(json.readTree(line));
            }
        }
        List<AnalysisResult> results = client.analyzeBatch(rows.stream().map(r -> r.get("text").asText()).toList()).results();
        int attacks = 0;
        int caught = 0;
        Map<String, int[]> benign = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            if ("harmful_request".equals(r.path("category").asText())) {
                continue;
            }
            boolean flag = results.get(i).isThreat();
            if (r.get("label").asInt() == 1) {
                attacks++;
                caught += flag ? 1 : 0;
            } else {
                int[] c = benign.computeIfAbsent(r.get("subset").asText().split(":")[0], k -> new int[2]);
                c[0] += flag ? 1 : 0;
                c[1]++;
            }
        }
        double detection = (double) caught / attacks;
        assertTrue(detection >= floor, "attack detection on dev fell to " + detection + " (floor " + floor + ")");
        benign.forEach((family, c) -> assertTrue((double) c[0] / c[1] <= BENIGN_FAMILY_FPR_CEILING,
                "benign family " + family + ": " + c[0] + "/" + c[1] + " false positives (ceiling "
                        + BENIGN_FAMILY_FPR_CEILING + ")"));
    }
}
