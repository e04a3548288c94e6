package io.threatmon.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AtomHitsTest {

    /** Regex 0 has no further sets; regex 1 has two (bits 0 and 1). */
    private static final long[] NEED = {0, 0b11};

    private static List<Integer> starts(AtomHits hits, int regex, int slot) {
        List<Integer> out = new ArrayList<>();
        for (int h = hits.first(regex, slot); h >= 0; h = hits.next(h)) {
            out.add(hits.start(h));
        }
        return out;
    }

    @Test
    void aRegexIsACandidateOnlyWhenEveryRequiredSetOccurred() {
        AtomHits hits = new AtomHits(NEED);
        hits.add(1, 0, 0, 3);
        hits.add(1, 1, 10, 12);
        assertFalse(hits.any(1), "set 2 (slot 2) is still missing");
        hits.add(1, 2, 20, 25);
        assertTrue(hits.any(1));
        assertFalse(hits.any(0));
        hits.add(0, 5, 9);
        assertTrue(hits.any(0));
    }

    @Test
    void theRarestSetIsTheOneWithFewestHitsInThisText() {
        AtomHits hits = new AtomHits(NEED);
        for (int i = 0; i < 5; i++) {
            hits.add(1, 0, i * 10, i * 10 + 3); // a common word
        }
        hits.add(1, 1, 7, 9);
        hits.add(1, 1, 30, 32);
        hits.add(1, 2, 41, 50); // a rare one
        assertEquals(2, hits.rarestSlot(1));
        assertEquals(List.of(41), starts(hits, 1, 2));
        assertEquals(List.of(7, 30), starts(hits, 1, 1));
        assertEquals(List.of(0, 10, 20, 30, 40), starts(hits, 1, 0));
    }

    @Test
    void resetForgetsEverySetOfTheLastText() {
        AtomHits hits = new AtomHits(NEED);
        hits.add(1, 0, 0, 3);
        hits.add(1, 1, 4, 6);
        hits.add(1, 2, 7, 9);
        hits.text("first text");
        hits.reset();
        assertFalse(hits.any(1));
        assertEquals(0, hits.touchedCount());
        for (int slot = 0; slot < 3; slot++) {
            assertEquals(-1, hits.first(1, slot));
        }
    }
}
