package com.google.re2j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramExportTest {

    private static Object pooledMatcher(Pattern p) throws ReflectiveOperationException {
        Field f = RE2.class.getDeclaredField("pooled");
        f.setAccessible(true);
        return ((AtomicReference<?>) f.get(p.re2())).get();
    }

    @ParameterizedTest
    @ValueSource(strings = {".*", "x", "x?", "a*b*", "^$", "^", "$", "\\b", "\\B", "(?:\\bfoo)?", "(?m)^$",
            "\\bignore\\b.{0,40}", "(?i)(ignore|)", "[a-z]{0,3}", "\\A\\z", "(x|\\b)", "(?s).{0,5}", "\\p{L}*"})
    void matchesEmptyShouldAgreeWithRe2jAndLeaveNoMatcherInThePool(String regex) throws Exception {
        Pattern p = Pattern.compile(regex);
        boolean answer = ProgramExport.matchesEmpty(p);
        assertNull(pooledMatcher(p), "no matcher kept in the pattern's pool");
        assertEquals(p.matches(""), answer, regex);
        assertNotNull(pooledMatcher(p), "RE2/J's own matches() keeps one (what matchesEmpty avoids)");
    }
}
