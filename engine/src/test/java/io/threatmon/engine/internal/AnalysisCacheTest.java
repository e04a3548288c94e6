package io.threatmon.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threatmon.engine.rules.RuleDefinition;
import io.threatmon.engine.rules.RuleLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AnalysisCacheTest {

    /** Regexes that exercise every field of an analysis, and one the analyser gives up on. */
    private static final List<String> SAMPLES = List.of(
            "\\bignore\\s+(all\\s+)?previous\\s+instructions\\b",
            "^system:\\s*you are",
            "(?:reveal|print) your (?:system )?prompt.{0,40}\\bverbatim\\b",
            "[\\x{200B}-\\x{200D}]{3,}",
            "\\w+ = \\w+ \\+ \\w+",
            "(a|b)*");

    private static Function<String, byte[]> classes(byte[] bytes) {
        return name -> bytes;
    }

    private static byte[] write(List<String> regexes, Function<String, byte[]> classes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AnalysisCache.write(regexes, List.of("RegexAtoms"), classes, out);
        return out.toByteArray();
    }

    @Test
    void everyBundledRegexIsCachedAndTheCacheEqualsAFreshAnalysis() {
        List<String> regexes = new ArrayList<>();
        for (RuleDefinition d : RuleLoader.load(RuleLoader.bundled()).orThrow().definitions()) {
            regexes.addAll(d.regexes());
        }
        assertEquals(regexes.stream().distinct().count(), AnalysisCache.bundledSize(),
                "the build (phase process-classes) writes " + AnalysisCache.RESOURCE
                        + " for the analyser on the classpath; a missing or stale cache is not read");
        for (String r : regexes) {
            assertTrue(same(RegexAtoms.analyze(r), AnalysisCache.analyze(r)), r);
        }
    }

    /**
     * The rule reader does not compile a regex the bundled cache holds (loading the bundled rules
     * would compile ~2,000 regexes only to check them): that is sound only while every cached
     * regex passes the reader's own checks.
     */
    @Test
    void everyCachedRegexPassesTheReadersChecks() {
        List<String> regexes = new ArrayList<>();
        for (RuleDefinition d : RuleLoader.load(RuleLoader.bundled()).orThrow().definitions()) {
            regexes.addAll(d.regexes());
        }
        for (String r : regexes) {
            assertTrue(AnalysisCache.isBundled(r), r);
            assertFalse(com.google.re2j.ProgramExport.matchesEmpty(
                    io.threatmon.engine.rules.RulePackReader.compileRegex(r)), r);
        }
        assertFalse(AnalysisCache.isBundled("(a|b)*"), "a regex of no bundled rule is not vouched for");
    }

    /**
     * Rules built from the same fragments spell out the same regexes and atoms: the bundled rules
     * keep one instance of each (per rule, they took ~14 MB more heap).
     */
    @Test
    void bundledRulesShareOneInstanceOfEachRegexAndAtom() {
        java.util.Map<String, String> regexes = new java.util.HashMap<>();
        java.util.Map<String, String> atoms = new java.util.HashMap<>();
        int shared = 0;
        for (RuleDefinition d : RuleLoader.load(RuleLoader.bundled()).orThrow().definitions()) {
            for (String r : d.regexes()) {
                String first = regexes.putIfAbsent(r, r);
                if (first != null) {
                    assertTrue(first == r, () -> "two instances of " + r.substring(0, Math.min(80, r.length())) + "...");
                    shared++;
                }
                RegexAtoms.Analysis a = AnalysisCache.analyze(r);
                List<String> all = new ArrayList<>(a.atoms() == null ? List.of() : a.atoms());
                a.alsoRequired().forEach(all::addAll);
                for (String atom : all) {
                    String seen = atoms.putIfAbsent(atom, atom);
                    assertTrue(seen == null || seen == atom, () -> "two instances of the atom '" + atom + "'");
                }
            }
        }
        assertTrue(shared > 100, "the bundled rules share regexes (" + shared + ")");
    }

    @Test
    void aCacheRoundTripsEveryField() throws IOException {
        byte[] stamp = {1, 2, 3};
        Map<String, RegexAtoms.Analysis> read =
                AnalysisCache.read(new ByteArrayInputStream(write(SAMPLES, classes(stamp))), classes(stamp));
        assertEquals(SAMPLES.size(), read.size());
        for (String r : SAMPLES) {
            assertTrue(same(RegexAtoms.analyze(r), read.get(r)), r);
        }
        assertTrue(read.get("\\w+ = \\w+ \\+ \\w+").rareCharSets().size() >= 2, "the sample has two rare-character sets");
        assertTrue(read.get("^system:\\s*you are").anchored());
    }

    @Test
    void aCacheMadeByOtherAnalyserClassesIsIgnored() throws IOException {
        byte[] cache = write(SAMPLES, classes(new byte[] {1, 2, 3}));
        assertEquals(Map.of(), AnalysisCache.read(new ByteArrayInputStream(cache), classes(new byte[] {1, 2, 4})));
        assertEquals(Map.of(), AnalysisCache.read(new ByteArrayInputStream(cache), name -> null),
                "a class file that is gone");
    }

    @Test
    void aCacheMadeOnAnotherJavaVersionIsIgnored() throws IOException {
        byte[] stamp = {1, 2, 3};
        String version = System.getProperty("java.specification.version");
        byte[] cache;
        try {
            System.setProperty("java.specification.version", "99");
            cache = write(SAMPLES, classes(stamp));
        } finally {
            System.setProperty("java.specification.version", version);
        }
        assertEquals(Map.of(), AnalysisCache.read(new ByteArrayInputStream(cache), classes(stamp)),
                "case folding follows the JDK's Unicode tables");
    }

    @Test
    void aTruncatedCacheFailsToReadRatherThanGivingPartialAnalyses() throws IOException {
        byte[] stamp = {7};
        byte[] cache = write(SAMPLES, classes(stamp));
        byte[] cut = Arrays.copyOf(cache, cache.length - 5);
        assertThrows(IOException.class, () -> AnalysisCache.read(new ByteArrayInputStream(cut), classes(stamp)));
    }

    @Test
    void aRegexOutsideTheCacheIsAnalysed() {
        String custom = "\\bmy custom canary phrase 7f3a\\b";
        assertTrue(same(RegexAtoms.analyze(custom), AnalysisCache.analyze(custom)));
        assertEquals(List.of("my custom canary phrase 7f3a"), AnalysisCache.analyze(custom).atoms());
    }

    /** Whether two analyses are the same (records compare their {@code int[]} ranges by reference). */
    private static boolean same(RegexAtoms.Analysis a, RegexAtoms.Analysis b) {
        if (a.rareCharSets().size() != b.rareCharSets().size()) {
            return false;
        }
        for (int i = 0; i < a.rareCharSets().size(); i++) {
            List<int[]> x = a.rareCharSets().get(i);
            List<int[]> y = b.rareCharSets().get(i);
            if (x.size() != y.size()) {
                return false;
            }
            for (int k = 0; k < x.size(); k++) {
                if (!Arrays.equals(x.get(k), y.get(k))) {
                    return false;
                }
            }
        }
        return java.util.Objects.equals(a.atoms(), b.atoms()) && a.maxLength() == b.maxLength()
                && a.anchored() == b.anchored() && a.alsoRequired().equals(b.alsoRequired())
                && a.spaceRuns() == b.spaceRuns() && a.tokenRuns() == b.tokenRuns() && a.slots().equals(b.slots());
    }
}
