package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.internal.RegexAtoms;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegexAtomsTest {

    private static Set<String> atoms(String regex) {
        List<String> a = RegexAtoms.analyze(regex).atoms();
        return a == null ? null : Set.copyOf(a);
    }

    @Test
    void shouldTakeAlternativesOfALiteralGroupAsAtoms() {
        assertEquals(Set.of("ignore", "disregard", "forget"), atoms("\\b(Ignore|disregard|FORGET)\\b"));
    }

    @Test
    void shouldExpandSmallClassesAndOptionalParts() {
        assertEquals(Set.of("cual es", "cuál es"), atoms("cu[aá]l es"));
        assertEquals(Set.of("instruction", "instructions"), atoms("instructions?"));
    }

    @Test
    void shouldPickTheMostSelectivePartOfAConcatenation() {
        assertEquals(Set.of("previous"), atoms("\\b(a|an)\\b.{0,30}previous.{0,10}\\w+"));
    }

    @Test
    void shouldGiveNoAtomsWhenAMatchNeedNotContainAnyLiteral() {
        assertNull(atoms("\\w+@\\w+"));
        assertNull(atoms("(ignore)?\\s+x"));
        assertNull(atoms("ignore|\\d+"));
        assertNull(atoms("ab|cd"), "atoms shorter than three characters are not worth a lookup");
    }

    @Test
    void shouldCountCjkCharactersAsSelective() {
        assertEquals(Set.of("忽略", "无视"), atoms("(忽略|无视)"));
    }

    @Test
    void shouldBoundMatchLengthOnlyWithoutOpenRepeats() {
        assertEquals(6 + 30 + 8, RegexAtoms.analyze("ignore.{0,15}previous").maxLength());
        assertTrue(RegexAtoms.analyze("ignore\\s+previous").unbounded());
        assertTrue(RegexAtoms.analyze("^ignore").anchored());
    }

    @Test
    void shouldFindRareCharactersForAtomlessRegexes() {
        RegexAtoms.Analysis bidi = RegexAtoms.analyze("[\\x{202A}-\\x{202E}]");
        assertNull(bidi.atoms());
        assertEquals(0x202A, bidi.rareChars().get(0)[0]);
        assertTrue(RegexAtoms.analyze("[a-z][\\p{Cyrillic}]+[a-z]").rareChars() != null);
        assertNull(RegexAtoms.analyze("[a-z]+\\d").rareChars(), "letters and digits are not rare");
    }

    @Test
    void shouldGiveUpSafelyOnSyntaxItDoesNotKnow() {
        RegexAtoms.Analysis a = RegexAtoms.analyze("(?P<name>x)\\Qweird\\E\\pN");
        assertTrue(a.atoms() == null || a.atoms().stream().allMatch(s -> s.contains("weird")));
    }

    @Test
    void shouldKeepEveryMandatoryLiteralSetOfAConcatenation() {
        RegexAtoms.Analysis a = RegexAtoms.analyze("\\b(ignore|disregard)\\s+(all\\s+)?(previous|prior)\\s+instructions\\b");
        Set<Set<String>> all = new java.util.HashSet<>();
        all.add(Set.copyOf(a.atoms()));
        a.alsoRequired().forEach(g -> all.add(Set.copyOf(g)));
        assertEquals(Set.of(Set.of("ignore", "disregard"), Set.of("previous", "prior"), Set.of("instructions")), all);
    }

    @Test
    void shouldNotRequireOptionalPartsOrAlternativesOfOneBranch() {
        RegexAtoms.Analysis a = RegexAtoms.analyze("secret (code|key)? (please )*(reveal|show me)|password");
        assertTrue(a.alsoRequired().isEmpty(), "a top-level alternative makes every further set optional: " + a.alsoRequired());
        RegexAtoms.Analysis b = RegexAtoms.analyze("reveal (the )?(secret )?password");
        assertEquals(List.of(), b.alsoRequired().stream().filter(g -> g.contains("secret ") || g.contains("the ")).toList());
    }
}
