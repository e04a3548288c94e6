package io.threatmon.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.connectors.BenchmarkTexts.Size;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
                    // A short attack is an injection (up to 103 bytes) with an opening and a reference.
                    int max = size == Size.SHORT ? 140 : size.bytes();
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
    void shouldNeverCutACorpusText() {
        for (String text : new String[] {TEXTS.benign(Size.MEDIUM, 9), TEXTS.benign(Size.LONG, 9), TEXTS.attack(Size.MEDIUM, 9)}) {
            assertTrue(isMadeOfWholeTexts(text), text);
        }
        assertEquals("", TEXTS.benign(3, 1));
    }

    /** Whether {@code text} is whole corpus texts and injections joined by blank lines (corpus texts may hold blank lines too). */
    private static boolean isMadeOfWholeTexts(String text) {
        List<String> parts = new ArrayList<>(TEXTS.corpus());
        parts.addAll(BenchmarkTexts.injections());
        parts.sort(Comparator.comparingInt(String::length).reversed());
        int at = 0;
        while (at < text.length()) {
            int from = at;
            String part = parts.stream().filter(p -> text.startsWith(p, from)
                    && (from + p.length() == text.length() || text.startsWith("\n\n", from + p.length()))).findFirst().orElse(null);
            if (part == null) {
                return false;
            }
            at += part.length() + 2;
        }
        return true;
    }

    @Test
    void shouldCountMultiByteCharactersAndParseSizes() {
        assertEquals(4, BenchmarkTexts.utf8Length("€a"));
        assertEquals(4, BenchmarkTexts.utf8Length("😀"));
        assertThrows(IllegalArgumentException.class, () -> Size.parse("huge"));
        assertEquals(Size.LONG, Size.parse(" Long "));
    }
}
