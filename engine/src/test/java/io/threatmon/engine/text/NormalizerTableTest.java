package io.threatmon.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class NormalizerTableTest {

    @Test
    void theBlocksTheTableSkipsAreLeftAloneByNormalization() {
        int checked = 0;
        for (int[] block : Normalizer.STABLE_BLOCKS) {
            for (int cp = block[0]; cp <= block[1]; cp++) {
                int c = cp;
                assertNull(Normalizer.entry(cp), () -> "U+" + Integer.toHexString(c) + " would be rewritten");
                checked++;
            }
        }
        assertEquals(46_324, checked, "every character of the skipped blocks is checked");
    }

    @Test
    void charactersOutsideTheSkippedBlocksStillNormalize() {
        assertEquals("a", Normalizer.normalize("\uFF41").text(), "fullwidth a (NFKC)");
        assertEquals("e", Normalizer.normalize("\u00E9").text(), "accent stripped");
        assertEquals("\u4E2D\u6587", Normalizer.normalize("\u4E2D\u6587").text(), "ideographs kept");
        assertEquals("\u8C48", Normalizer.normalize("\uF900").text(), "a CJK compatibility ideograph (outside the skipped blocks) still maps");
    }
}
