package io.threatmon.engine;

import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleDirection;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.text.TextView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The rules as a {@link Detector}: every compiled rule, run in every view it asks for (prefilter,
 * then RE2/J), plus the engine's own {@code engine.evasion} evidence when a rule fired only in a
 * folded or decoded view.
 *
 * <pre>{@code
 * Detector rules = new RuleDetector(RuleLoader.load(RuleLoader.bundled()).orThrow());
 * List<Match> evidence = rules.detect(text, TextViews.of(text), Direction.PROMPT);
 * }</pre>
 */
public final class RuleDetector implements Detector {

    /**
     * Texts longer than two chunks are read in overlapping chunks of this many characters. A rule
     * then runs only where its atoms occur together within a few thousand characters, so a 100 KB
     * document costs about what its pieces cost, not every regex over the whole document; and a
     * {@code requires} partner counts only near the match ({@code unless} exemptions count only in
     * the match's sentence, {@code CompiledRule#find}). A match up to {@link #OVERLAP} characters
     * long always lies wholly within one chunk.
     */
    static final int CHUNK = 4096;
    static final int OVERLAP = 1024;

    private final RuleSet rules;
    /**
     * Idle hit buffers, reused across texts. A buffer is sized by the rule set and carries the DFA
     * states its analyses built (up to ~10 MB with the bundled rules), so buffers are pooled rather
     * than kept per thread: a server with 64 request threads, or a pool whose threads come and go,
     * still holds only about as many buffers as texts are analysed at once (at most
     * {@link #POOLED} are kept), and each buffer's states stay warm.
     */
    private final AtomicReferenceArray<AtomHits> idle = new AtomicReferenceArray<>(POOLED);

    /** Buffers kept for reuse: enough for every core to analyse at once. */
    static final int POOLED = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    public RuleDetector(RuleSet rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** An idle buffer, or a new one when all are in use. */
    private AtomHits acquire() {
        int start = (int) (Thread.currentThread().getId() % POOLED);
        for (int k = 0; k < POOLED; k++) {
            int slot = (start + k) % POOLED;
            if (idle.get(slot) != null) {
                AtomHits h = idle.getAndSet(slot, null);
                if (h != null) {
                    return h;
                }
            }
        }
        return rules.newHits();
    }

    /** Returns a buffer for reuse; dropped when the pool is full. */
    private void release(AtomHits h) {
        int start = (int) (Thread.currentThread().getId() % POOLED);
        for (int k = 0; k < POOLED; k++) {
            if (idle.compareAndSet((start + k) % POOLED, null, h)) {
                return;
            }
        }
    }

    public RuleSet rules() {
        return rules;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public DetectionMethod method() {
        return DetectionMethod.RULES;
    }

    @Override
    public List<Match> detect(String text, List<TextView> views, Direction direction) {
        AtomHits hits = acquire();
        try {
            return detect(text, views, direction, hits);
        } finally {
            release(hits);
        }
    }

    private List<Match> detect(String text, List<TextView> views, Direction direction, AtomHits hits) {
        java.util.Set<Integer> fired = new java.util.HashSet<>();
        List<Found> matches = new ArrayList<>();
        // Views in order (raw first), so each rule reports the least-transformed view it fired in.
        for (TextView view : views) {
            String whole = view.text();
            if (whole.length() <= 2 * CHUNK) {
                detectIn(whole, 0, false, view, direction, text, hits, fired, matches);
                continue;
            }
            for (int from = 0; ; from += CHUNK - OVERLAP) {
                int to = Math.min(whole.length(), from + CHUNK);
                detectIn(whole.substring(from, to), from, true, view, direction, text, hits, fired, matches);
                if (to == whole.length()) {
                    break;
                }
            }
            // ^ and $ mean the text's start and end, not a chunk's: anchored rules read it whole.
            detectIn(whole, 0, false, view, direction, text, hits, fired, matches, true);
        }
        Match firstEvasive = null;
        List<Match> out = new ArrayList<>(matches.size() + 1);
        for (Found f : matches) {
            out.add(f.match());
            if (f.evasive() && firstEvasive == null) {
                firstEvasive = f.match();
            }
        }
        boolean evasive = firstEvasive != null;
        if (evasive) {
            out.add(new Match(Analyzer.EVASION_RULE_ID, "Attack text hidden by encoding or obfuscation", "obfuscation",
                    "medium", Scoring.EVASION_RISK, firstEvasive.view(), firstEvasive.start(), firstEvasive.end(),
                    firstEvasive.excerpt(), List.of("LLM01:2025", "AML.T0068")));
        }
        return out;
    }

    /** A rule's evidence, and whether it was found only in a de-obfuscated view. */
    private record Found(Match match, boolean evasive) {}

    private void detectIn(String part, int offset, boolean chunk, TextView view, Direction direction, String original,
            AtomHits hits, java.util.Set<Integer> fired, List<Found> found) {
        detectIn(part, offset, chunk, view, direction, original, hits, fired, found, false);
    }

    /**
     * Runs the candidate rules on {@code part} (the view's text from {@code offset}); in a chunk,
     * anchored rules wait for the whole-text pass ({@code anchoredOnly}), which runs only them.
     */
    private void detectIn(String part, int offset, boolean chunk, TextView view, Direction direction, String original,
            AtomHits hits, java.util.Set<Integer> fired, List<Found> found, boolean anchoredOnly) {
        List<CompiledRule> all = rules.rules();
        rules.scan(part, hits);
        for (int i : rules.candidates(hits)) {
            CompiledRule rule = all.get(i);
            if (fired.contains(i) || !appliesTo(rule, direction) || !view.scannedBy(rule.definition().views())) {
                continue;
            }
            if ((chunk && rule.anchored()) || (anchoredOnly && !rule.anchored())) {
                continue;
            }
            int[] span = rules.find(rule, part, hits);
            if (span == null) {
                continue;
            }
            fired.add(i);
            Match m = match(rule, view, new int[] {span[0] + offset, span[1] + offset}, original);
            found.add(new Found(m, view.isEvasive() && !"obfuscation".equals(rule.category())));
        }
    }

    private static boolean appliesTo(CompiledRule rule, Direction direction) {
        RuleDirection d = rule.definition().direction();
        return d == RuleDirection.BOTH
                || (d == RuleDirection.PROMPT && direction == Direction.PROMPT)
                || (d == RuleDirection.RESPONSE && direction == Direction.RESPONSE);
    }

    private static Match match(CompiledRule rule, TextView view, int[] span, String original) {
        int start = view.originalStart(span[0]);
        int end = view.originalEnd(span[1], original);
        var d = rule.definition();
        return new Match(d.id(), d.name(), d.category(), d.severity().id(), d.risk(), view.label(), start, end,
                Analyzer.excerpt(view.text(), span[0], span[1]), d.tags());
    }
}
