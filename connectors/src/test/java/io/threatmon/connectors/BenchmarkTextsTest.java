package io.threatmon.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.connectors.BenchmarkTexts.Size;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchmarkTextsTest {

    private static final BenchmarkTexts TEXTS = BenchmarkTexts.load();

    @Test
    void shouldBuildTextsCloseToEachSizeWithoutExceedingIt() {
        for (Size size : Size.values()) {
            for (long seed = 0; seed < 20; seed++) {
                for (String t : new String[] {TEXTS.benign(size, seed), TEXTS.attack(size, seed)}) {
                    int bytes = t.getBytes(StandardCharsets.UTF_8).length;
                    assertEquals(bytes, BenchmarkTexts.utf8Length(t));
                    // A short attack is never cut below its injection (at most 117 bytes).
                    int max = size == Size.SHORT ? 120 : size.bytes();
                    assertTrue(bytes <= max && bytes >= size.bytes() * 0.7, size + " seed " + seed + ": " + bytes + " bytes");
                }
            }
        }
    }

    @Test
    void shouldGiveTheSameTextForTheSameSeedAndVaryWithIt() {
        assertEquals(TEXTS.benign(Size.MEDIUM, 3), TEXTS.benign(Size.MEDIUM, 3));
        assertEquals(TEXTS.attack(Size.LONG, 3), TEXTS.attack(Size.LONG, 3));
        assertNotEquals(TEXTS.benign(Size.MEDIUM, 3), TEXTS.benign(Size.MEDIUM, 4));
    }

    @Test
    void shouldPutAnInjectionInsideBenignContextAndAtTheEndOfLongTexts() {
        String medium = TEXTS.attack(Size.MEDIUM, 5);
        String injection = BenchmarkTexts.injections().stream().filter(medium::contains).findFirst().orElseThrow();
        int at = medium.indexOf(injection);
        assertTrue(at > 100 && at + injection.length() < medium.length() - 100, medium);
        String big = TEXTS.attack(Size.LONG, 5);
        assertTrue(BenchmarkTexts.injections().stream().anyMatch(big::endsWith));
        for (long seed = 0; seed < 20; seed++) {
            String small = TEXTS.attack(Size.SHORT, seed);
            assertTrue(BenchmarkTexts.injections().stream().anyMatch(small::contains), small);
        }
    }

    @Test
    void shouldCutAtWordBoundariesAndCountMultiByteCharacters() {
        assertEquals("héllo", BenchmarkTexts.truncate("héllo wörld again", 8));
        assertEquals(4, BenchmarkTexts.utf8Length("€a"));
        assertEquals(4, BenchmarkTexts.utf8Length("😀"));
        assertThrows(IllegalArgumentException.class, () -> Size.parse("huge"));
        assertEquals(Size.LONG, Size.parse(" Long "));
    }
}
