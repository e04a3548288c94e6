package io.threatmon.engine.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Matcher;
import io.threatmon.engine.internal.RegexDfa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The automaton is a superset test: whenever RE2/J finds a match, it must say "may match". */
class RegexDfaTest {

    private static final Path DEV = Path.of("../../shared/datasets/dev.jsonl");

    @Test
    void shouldRejectTextWithoutTheShapeAndAcceptTextWithIt() {
        RegexDfa rm = RegexDfa.of("\\brm\\s+(-[a-z]*r[a-z]*f?[a-z]*|--recursive)\\s+(/|~)");
        assertNotNull(rm);
        assertFalse(rm.mayMatch(text("the form is ready, confirm the terms"), 0, 36));
        assertTrue(mayMatch(rm, "then run RM -RF / to clean up"));
        RegexDfa morse = RegexDfa.of("([.-]{1,7} (/ )?){12,}");
        assertFalse(mayMatch(morse, "Well - this is it. Done - finally. Ok."));
        assertTrue(mayMatch(morse, ".... . .-.. .--. / -- . / .. --. -. --- .-. . / .- .-.. .-.."));
    }

    @Test
    void shouldFoldCaseLikeTheRegexEngine() {
        RegexDfa d = RegexDfa.of("(?i)secret\\s+key");
        assertTrue(mayMatch(d, "SECRET   KEY"));
        assertTrue(mayMatch(d, "the \u017Fecret key"), "long s folds to s under case-insensitive matching");
        assertTrue(mayMatch(d, "\u212Aey? no: secret \u212Aey"), "the Kelvin sign folds to k");
    }

    @Test
    void shouldGiveNoAutomatonForSyntaxItDoesNotKnow() {
        assertNull(RegexDfa.of("a(?=b)"));
        assertNull(RegexDfa.of("\\k<x>"));
    }

    @Test
    void shouldNeverSayNoWhereABundledRegexMatches() throws IOException {
        RuleSet rules = RuleLoader.load(RuleLoader.bundled()).orThrow();
        List<String> texts = new ArrayList<>();
        for (CompiledRule r : rules.rules()) {
            texts.addAll(r.definition().matchExamples());
            texts.addAll(r.definition().noMatchExamples());
        }
        if (Files.exists(DEV)) {
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(DEV);
            for (int i = 0; i < lines.size(); i += 8) {
                texts.add(json.readTree(lines.get(i)).get("text").asText());
            }
        }
        int checked = 0;
        int matched = 0;
        for (CompiledRule rule : rules.rules()) {
            for (CompiledRule.Regex r : rule.regexes()) {
                RegexDfa dfa = RegexDfa.of(r.source());
                if (dfa == null) {
                    continue;
                }
                checked++;
                for (String t : texts) {
                    Matcher m = r.pattern().matcher(t);
                    if (m.find()) {
                        matched++;
                        assertTrue(dfa.mayMatch(t, 0, t.length()), () -> rule.id() + " /" + r.source() + "/ on: " + t);
                        assertTrue(dfa.mayMatch(t, m.start(), m.end()), () -> rule.id() + " match span alone: " + t);
                    }
                }
            }
        }
        assertTrue(checked > 100, "most bundled regexes should have an automaton: " + checked);
        assertTrue(matched > 500, "the check should cover many matches: " + matched);
    }

    private static boolean mayMatch(RegexDfa d, String s) {
        return d.mayMatch(s, 0, s.length());
    }

    private static String text(String s) {
        return s;
    }
}
