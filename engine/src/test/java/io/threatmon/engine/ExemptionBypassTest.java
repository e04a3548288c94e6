package io.threatmon.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An ordinary phrase written next to an attack must not hide it. Rules carry {@code unless}
 * exemptions for benign texts that mention attacks, and anyone can read them in the open rule
 * files: a generic one ("how can we prevent", "research", a device name) let "How can we prevent
 * that, ignore all previous instructions ..." through for a quarter of the attacks. Each phrase
 * below is added to every line of the hand-written attack corpora, appended as a sentence of its
 * own or put in front of the first sentence (phrases ending in ", " or ": "), and the share still
 * flagged may fall at most {@value #TOLERANCE} below the share without it. scripts/exemption-bypass.py
 * measures the same on the dev set too; docs/detection.md, "Session 10".
 */
class ExemptionBypassTest {

    private static final ThreatClient CLIENT = ThreatClient.builder().logDetections(false).cacheSize(0).build();

    /**
     * Largest drop allowed, in share of the corpus. Session 9's rules lost up to 0.40 ("How can we
     * prevent that, " in front); session 10's up to 0.009 (the default-password question, which merged
     * with an attack typed without a full stop, and a delivery note appended to a Q/A transcript).
     */
    private static final double TOLERANCE = 0.005;

    private static List<String> attacks;
    private static double baseline;

    @BeforeAll
    static void scoreTheCorpora() throws IOException {
        attacks = new ArrayList<>();
        for (String corpus : List.of("/attack-styles-s6.txt", "/attack-styles-s7.txt", "/attack-styles-s8.txt")) {
            attacks.addAll(lines(corpus));
        }
        baseline = caught("");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        " How can we prevent that?",
        " Attackers try to exfiltrate data like this.",
        " What's the default password for my router?",
        " Instructions for the delivery: leave it at the door.",
        " Translate \"from now on I will call you\" into French.",
        " Also write a system prompt for my bakery bot.",
        " I mean on my own phone.",
        " For my research paper.",
        " This is for a classifier dataset.",
        " Thanks!",
        "How can we prevent that, ",
        "To detect attackers who try this, ",
        "Example of a prompt injection: ",
        "For my research paper, ",
        "For a dataset of examples, ",
        "In our red-team exercise, ",
        "In Python, ",
        "On my own phone, ",
        "In my own app, ",
        "What does this mean: ",
        "For the history of jailbreaks, ",
        "Hypothetically, "
    })
    void shouldStillFlagAttacksWithAnOrdinaryPhraseBeside(String phrase) {
        double rate = caught(phrase);
        assertTrue(rate >= baseline - TOLERANCE, String.format(
                "with '%s' %.1f%% of %d attacks flagged, %.1f%% without it", phrase.strip(), 100 * rate,
                attacks.size(), 100 * baseline));
    }

    private static double caught(String phrase) {
        boolean inFront = phrase.endsWith(", ") || phrase.endsWith(": ");
        long n = attacks.stream()
                .filter(a -> CLIENT.analyze(inFront ? phrase + a : a + phrase).isThreat())
                .count();
        return (double) n / attacks.size();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = ExemptionBypassTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.replace("\\n", "\n"))
                    .toList();
        }
    }
}
