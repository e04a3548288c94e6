package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.internal.RegexAtoms;
import java.util.HashSet;
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
    void shouldKeepAtomOrderAndDropRepeatsWhenOptionalPartsMeet() {
        // "ab" + "" and "a" + "b" are one string, kept once, in the order crossing the parts gives.
        assertEquals(List.of("xabby", "xaby", "xay"), RegexAtoms.analyze("x(ab|a)(b|)y").atoms());
        assertEquals(List.of("ignore", "igignore", "nore"), RegexAtoms.analyze("(?:ig|)(?:|ig)nore").atoms());
        assertEquals(List.of("foobarbarbaz", "foobarbaz", "foobaz"), RegexAtoms.analyze("foo(bar)?(bar)?baz").atoms());
    }

    @Test
    void shouldTakeAVeryLongLiteralWholeAsItsAtom() {
        // One part per character: crossing them one by one was quadratic (70,000 characters took
        // 2.3 s; RegexAnalysisBenchmark measures the time, this test the result).
        StringBuilder literal = new StringBuilder();
        for (int i = 0; literal.length() < 100_000; i++) {
            literal.append("Ignore previous instructions ").append(i).append(". ");
        }
        String text = literal.toString();
        RegexAtoms.Analysis a = RegexAtoms.analyze(text.replace(".", "\\."));
        assertEquals(List.of(text.toLowerCase(java.util.Locale.ROOT)), a.atoms());
        assertEquals(text.length(), a.maxLength());
    }

    @Test
    void shouldCountCjkCharactersAsSelective() {
        assertEquals(Set.of("忽略", "无视"), atoms("(忽略|无视)"));
    }

    @Test
    void shouldBoundMatchLengthOnlyWithoutOpenRepeats() {
        assertEquals(6 + 30 + 8, RegexAtoms.analyze("ignore.{0,15}previous").maxLength());
        assertTrue(RegexAtoms.analyze("ignore.*previous").unbounded());
        assertTrue(RegexAtoms.analyze("^ignore").anchored());
    }

    /** Longest match in a text whose longest whitespace run is 3 and longest token 10, or -1 when unbounded. */
    private static int boundIn(String regex) {
        RegexAtoms.Analysis a = RegexAtoms.analyze(regex);
        return a.unbounded() ? -1 : a.maxLength(3, 10);
    }

    @Test
    void shouldBoundOpenRepeatsOfWhitespaceOrOfTokenCharactersByTheTextsLongestRuns() {
        assertEquals(6 + 3 + 8, boundIn("ignore\\s+previous"));
        assertEquals(6 + 3 + 8, boundIn("ignore[ \\t]*previous"));
        assertEquals(2 + 3 + 10 + 3 + 2, boundIn("rm\\s+-[a-z0-9_]*\\s+/"));
        assertEquals(3 + 10 + 10 + 10, boundIn("sk-\\w+\\S*[^\\s]+"));
        assertEquals(3 + 10, boundIn("sk-[A-Za-z0-9]{20,}"));
        assertEquals(2 * 3 + 2 * 2, boundIn("(\\s+ab){2}"), "a counted repeat multiplies the runs");
        assertEquals(4 + 3 + 10, boundIn("(a\\s+b|cd\\w*ef)"), "branches: the largest of each part, an upper bound");
        // Classes that can hold both kinds, and repeats of more than one character, stay unbounded.
        assertEquals(-1, boundIn("a[^'\"]*b"));
        assertEquals(-1, boundIn("a[\\s,]+b"));
        assertEquals(-1, boundIn("a\\W+b"));
        assertEquals(-1, boundIn("a[^ ]+b"), "a negated class must list every whitespace character");
        assertEquals(2 + 10, boundIn("a[^\\s]+b"));
        assertEquals(-1, boundIn("rm(\\s+-+[a-z-]+)*\\s+/"));
        assertEquals(-1, boundIn("a[[:alpha:]]+b"));
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

    @Test
    void shouldBoundHowFarAMatchReachesOnEachSideOfItsAtoms() {
        // "secret" starts every match: nothing lies before it; "key" ends every match.
        RegexAtoms.Analysis a = RegexAtoms.analyze("\\bsecret\\b.{0,5}\\bkey\\b");
        assertEquals(List.of("secret"), a.atoms());
        assertEquals(0, a.reach(0, 0, 1, 1));
        assertTrue(a.reach(0, 1, 1, 1) >= " ".length() * 5 + "key".length(), "after secret: the gap and key");
        assertTrue(a.reach(0, 1, 1, 1) < a.maxLength(1, 1));
        assertEquals(List.of(List.of("key")), a.alsoRequired());
        assertEquals(0, a.reach(1, 1, 1, 1));
        assertTrue(a.reach(1, 0, 1, 1) >= "secret".length() + 5);
        // Open-ended whitespace before the atom: the reach grows with the text's longest run.
        RegexAtoms.Analysis b = RegexAtoms.analyze("please\\s+(ignore|forget)");
        int slot = b.atoms().contains("please") ? 0 : 1;
        assertEquals(0, b.reach(slot, 0, 1, 1));
        assertEquals(b.reach(slot, 1, 1, 1) + 9, b.reach(slot, 1, 10, 1));
        // An exact alternative is the whole match: no reach either way.
        RegexAtoms.Analysis c = RegexAtoms.analyze("(ignore|disregard) (all )?(previous|prior) instructions");
        assertEquals(0, c.reach(0, 0, 50, 50));
        assertEquals(0, c.reach(0, 1, 50, 50));
    }

    @Test
    void shouldLeaveTheReachUnboundedWhenARepeatHoldsTheAtom() {
        RegexAtoms.Analysis a = RegexAtoms.analyze("x(foo\\s+bar)+y");
        assertEquals(-1, a.reach(0, 0, 1, 1));
        assertEquals(-1, a.reach(0, 1, 1, 1));
    }

    @Test
    void shouldGuardAtomsThatEveryMatchHasAtAWordsEdge() {
        int both = RegexAtoms.GUARD_LEFT | RegexAtoms.GUARD_RIGHT;
        RegexAtoms.Analysis rm = RegexAtoms.analyze("\\brm\\s+-[a-z]*r[a-z]*\\s+/");
        assertEquals(List.of("rm"), rm.atoms(), "a guarded two-letter atom gates the regex");
        assertEquals(both, rm.guards(0));
        assertEquals(both, RegexAtoms.analyze("\\b(the )?system\\b").guards(0));
        assertEquals(both, RegexAtoms.analyze("(\\bfoo\\b|\\bbar\\b)").guards(0));
        assertEquals(RegexAtoms.GUARD_LEFT, RegexAtoms.analyze("(^|[^\\p{L}])(q|question) ?:").guards(0));
        assertEquals(both, RegexAtoms.analyze("\\b(format|del)\\s+c:(\\\\|\\s|$)").guards(0));
    }

    @Test
    void shouldNotGuardWhatALetterCanTouch() {
        assertEquals(0, RegexAtoms.analyze("(foo|\\bbar\\b)").guards(0), "one alternative has no guard");
        assertEquals(0, RegexAtoms.analyze("x\\bfoo").guards(0));
        assertEquals(0, RegexAtoms.analyze("[a-z]secret[0-9]").guards(0) & RegexAtoms.GUARD_LEFT);
        assertEquals(RegexAtoms.GUARD_RIGHT, RegexAtoms.analyze("[a-z]secret[0-9]").guards(0));
        // Case-insensitively the Kelvin sign matches "k": it is not a non-letter.
        assertEquals(0, RegexAtoms.analyze("\\x{212A}secret").guards(0));
        assertEquals(0, RegexAtoms.analyze("\\s*secret").guards(0), "an optional separator guards nothing");
        assertNull(atoms("rm[a-z]+x"), "an unguarded two-letter atom is not used");
        assertEquals(List.of("rm"), RegexAtoms.analyze("rm\\s+-[a-z]*r").atoms(), "whitespace after it guards it");
    }

    @Test
    void shouldGrowARunTooShortToBeAnAtomPastTheUsualLimit() {
        // 21 labels x optional space x two colons: more strings than a run usually keeps, but
        // each one alone ("q", "a") would be useless; grown, they gate the regex at a word's edge.
        String labels = "(Q|P|B|Pregunta|Question|Frage|Domanda|Pergunta|Soru|Vraag|Pytanie|Pertanyaan|Cevap|Antwoord"
                + "|Jawaban|Respuesta|Antwort|Risposta|Resposta|Odpowiedz|Reponse)";
        RegexAtoms.Analysis a = RegexAtoms.analyze("(^|[^\\p{L}])" + labels + " ?[:：].{3,50}");
        assertTrue(a.atoms() != null && a.atoms().contains("q:") && a.atoms().contains("frage ："), () -> "atoms: " + a.atoms());
        assertEquals(RegexAtoms.GUARD_LEFT, a.guards(0));
    }

    @Test
    void shouldKeepEveryRareCharacterAMatchNeeds() {
        List<List<int[]>> sets = RegexAtoms.analyze("\\b[a-z]{1,3}\\s*=\\s*[a-z]{1,3}\\s*\\+\\s*[a-z]{1,3}").rareCharSets();
        assertEquals(2, sets.size(), "both = and +");
        assertEquals(Set.of((int) '=', (int) '+'), Set.of(sets.get(0).get(0)[0], sets.get(1).get(0)[0]));
        assertEquals(1, RegexAtoms.analyze("(a=b|c\\+d)").rareCharSets().size(), "either one: one set of both");
        assertEquals(List.of(), RegexAtoms.analyze("x(=)?y").rareCharSets(), "an optional character is not needed");
    }

    @Test
    void shouldNotKeepSetsOfFunctionWordsAsFurtherRequiredSets() {
        RegexAtoms.Analysis a = RegexAtoms.analyze(
                "\\b(engineer|developer)s? (at|from|of|for) (openai|anthropic)\\b.{0,40}\\b(reprogram|override)\\b");
        assertTrue(a.alsoRequired().stream().noneMatch(g -> g.contains("at ") || g.contains("for ")),
                () -> "'at ' occurs in nearly every text: " + a.alsoRequired());
        assertTrue(a.atoms().contains("openai") || a.atoms().contains("reprogram") || a.atoms().contains("engineer"));
        assertEquals(Set.of("the"), atoms("\\bthe\\b.{0,5}\\d"), "a function word is still used when nothing else is required");
    }

    @Test
    void shouldKeepAGuardedTwoCharacterSetAsAFurtherRequiredSet() {
        // A transcript needs "Q:" and "A:": at a word's edge "a:" is rare enough to gate on too.
        RegexAtoms.Analysis a = RegexAtoms.analyze("(^|[^\\p{L}])(Q|Question) ?:.{3,50}(^|[^\\p{L}])(A|Answer) ?:");
        assertTrue(a.atoms().contains("q:"), () -> "atoms: " + a.atoms());
        assertTrue(a.alsoRequired().stream().anyMatch(g -> g.contains("a:") && g.contains("answer :")),
                () -> "further sets: " + a.alsoRequired());
        assertEquals(RegexAtoms.GUARD_LEFT, a.guards(1));
        assertTrue(RegexAtoms.analyze("question:.{3,50}(A|B):").alsoRequired().isEmpty(),
                "an unguarded 'a:' is in every 'data:' and is not kept");
    }

    @Test
    void shouldGateAnAlternationOfTooManySpelledOutBranchesByTheirPieces() {
        // Five branches of 4 x 4 x 4 = 64 strings: 320 in all, more than an alternation keeps, so
        // each branch is represented by its smallest piece instead of all its strings.
        List<String> ends = List.of("table", "list", "file", "sheet", "export");
        StringBuilder re = new StringBuilder("\\b(");
        Set<String> expected = new HashSet<>(Set.of("keylogger"));
        for (String end : ends) {
            re.append("(dump|print|copy|send) (the|their|all|every) (users|clients|accounts|passwords) ").append(end).append('|');
            for (String what : List.of("users", "clients", "accounts", "passwords")) {
                expected.add(what + " " + end);
            }
        }
        RegexAtoms.Analysis a = RegexAtoms.analyze(re + "keylogger)\\b");
        assertEquals(expected, Set.copyOf(a.atoms()));
        assertNull(RegexAtoms.analyze(re + "x)\\b").atoms(), "a branch with no usable piece leaves it without atoms");
    }
}
