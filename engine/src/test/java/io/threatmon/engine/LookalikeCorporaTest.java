package io.threatmon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two hand-written corpora beside the dev set: benign messages full of trigger words (password
 * policy, "access granted" in app code, German and French everyday requests, analysts describing
 * jailbreaks), and attacks in the public styles the dev set under-represents (HackAPrompt, Tensor
 * Trust, Gandalf, deepset, in-the-wild jailbreak templates, indirect and many-shot injections, in
 * many languages). Written for the rules, not copied from any dataset.
 */
class LookalikeCorporaTest {

    private static final ThreatClient CLIENT = ThreatClient.builder().logDetections(false).cacheSize(0).build();

    /** Share of the attack corpus the bundled rules flag; measured 0.91 (383 / 419 lines). */
    private static final double ATTACK_STYLES_FLOOR = 0.90;

    @Test
    void shouldFlagNoneOfTheBenignLookalikes() throws IOException {
        List<String> flagged = lines("/benign-lookalikes-s6.txt").stream()
                .filter(t -> CLIENT.analyze(t).isThreat())
                .toList();
        assertEquals(List.of(), flagged);
    }

    @Test
    void shouldFlagMostAttacksWrittenInPublicDatasetStyles() throws IOException {
        List<String> attacks = lines("/attack-styles-s6.txt");
        long caught = attacks.stream().filter(t -> CLIENT.analyze(t).isThreat()).count();
        double rate = (double) caught / attacks.size();
        assertTrue(rate >= ATTACK_STYLES_FLOOR, "flagged " + caught + " / " + attacks.size() + " (floor " + ATTACK_STYLES_FLOOR + ")");
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = LookalikeCorporaTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
