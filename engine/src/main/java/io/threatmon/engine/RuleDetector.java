package io.threatmon.engine;

import io.threatmon.engine.internal.AtomHits;
import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleDirection;
import io.threatmon.engine.rules.RuleSet;
import io.threatmon.engine.rules.ViewKind;
import io.threatmon.engine.text.TextView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
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

    /**
     * In a document (a text read in chunks, {@link #isDocument}), a rule's match counts only if the
     * rule also fires on the passage around it, this many characters either side, read as a text
     * of its own: its {@code requires} partner and what its exemptions see must be there, as they
     * would be in one message. Why: a 4 KB chunk of a long document holds many unrelated passages,
     * and a partner word in one of them made every one of the benchmarks' 16 long benign texts
     * (100 KB of unrelated prompts) a threat (docs/detection.md, session 19).
     */
    static final int PASSAGE_RADIUS = 500;

    /** Whether a text this long is read as a document: in chunks, its evidence judged by passage. */
    static boolean isDocument(int length) {
        return length > 2 * CHUNK;
    }

    private final RuleSet rules;
    /** Indices of the rules with {@code lifts_exemptions}. */
    private final int[] lifting;
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
        List<CompiledRule> all = rules.rules();
        this.lifting = IntStream.range(0, all.size())
                .filter(i -> all.get(i).definition().liftsExemptions()).toArray();
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
        // Rules that fired, by rule index and chunk: in a message a rule reports its first match;
        // in a document, its first match in each chunk, so the evidence of an attack's passage is
        // there even when the same rule matched harmless text earlier (see Scoring.combineNear).
        java.util.Set<Long> fired = new java.util.HashSet<>();
        List<Found> matches = new ArrayList<>();
        AtomHits passageHits = null;
        try {
            // Views in order (raw first), so each rule reports the least-transformed view it fired in.
            for (TextView view : views) {
                String whole = view.text();
                if (!isDocument(whole.length())) {
                    detectIn(whole, 0, null, 0, view, direction, text, hits, fired, matches, false);
                    continue;
                }
                if (passageHits == null) {
                    passageHits = acquire();
                }
                Chunked doc = new Chunked(whole, passageHits);
                for (int from = 0, chunk = 0; ; from += CHUNK - OVERLAP, chunk++) {
                    int to = Math.min(whole.length(), from + CHUNK);
                    detectIn(whole.substring(from, to), from, doc, chunk, view, direction, text, hits, fired, matches, false);
                    if (to == whole.length()) {
                        break;
                    }
                }
                // ^ and $ mean the text's start and end, not a chunk's: anchored rules read it whole.
                detectIn(whole, 0, doc, -1, view, direction, text, hits, fired, matches, true);
            }
        } finally {
            if (passageHits != null) {
                release(passageHits);
            }
        }
        Match firstEvasive = null;
        List<Match> out = new ArrayList<>(matches.size() + 1);
        // Consecutive chunks of a document overlap: a match there is found twice.
        java.util.Set<String> seen = passageHits == null ? null : new java.util.HashSet<>();
        for (Found f : matches) {
            if (seen != null && !seen.add(f.match().ruleId() + "@" + f.match().start())) {
                continue;
            }
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

    /** A document's view being read in chunks, and the hit buffer its passage checks use. */
    private record Chunked(String whole, AtomHits passageHits) {}

    /**
     * Runs the candidate rules on {@code part} (the view's text from {@code offset}). In a document
     * ({@code doc} not null), anchored rules wait for the whole-text pass ({@code anchoredOnly}),
     * which runs only them, and every match, in a chunk or in that pass, must hold in its passage.
     */
    private void detectIn(String part, int offset, Chunked doc, int chunk, TextView view, Direction direction,
            String original, AtomHits hits, java.util.Set<Long> fired, List<Found> found, boolean anchoredOnly) {
        List<CompiledRule> all = rules.rules();
        rules.scan(part, hits);
        int[] candidates = rules.candidates(hits);
        for (int i : candidates) {
            CompiledRule rule = all.get(i);
            long key = (long) chunk << 32 | i;
            if (!runsOn(rule, view, direction)) {
                continue;
            }
            if (fired.contains(key)) {
                if (doc == null && view.kinds().contains(ViewKind.NORMALIZED) && !lifted(chunk, fired)
                        && rules.exempted(rule, part, hits)) {
                    // Fired in the raw view, exempted in the normalized one: the exemption's words were
                    // written with characters only normalization reads ("A jailbreak is … we test for
                    // these" with no-break spaces), so the raw match is the artefact, not the exemption.
                    found.removeIf(f -> f.match().ruleId().equals(rule.definition().id()) && f.match().view().equals("raw"));
                }
                continue;
            }
            if ((doc != null && !anchoredOnly && rule.anchored()) || (anchoredOnly && !rule.anchored())) {
                continue;
            }
            int[] span = rules.find(rule, part, hits);
            if (span != null && doc != null) {
                span = inPassage(rule, part, offset, span, doc);
            }
            if (span == null) {
                continue;
            }
            fired.add(key);
            found.add(found(rule, view, span, offset, original));
        }
        if (doc == null && lifted(chunk, fired)) {
            // An order to carry out a quoted attack ("my boss wrote: '…' — do exactly what he
            // wrote") makes the quote an attack: the rules its quote exemption held back count.
            // Not in documents, whose matches must also hold in their passage, exemptions included.
            for (int i : candidates) {
                CompiledRule rule = all.get(i);
                long key = (long) chunk << 32 | i;
                if (fired.contains(key) || !rule.hasExemptions() || !runsOn(rule, view, direction)) {
                    continue;
                }
                int[] span = rules.findIgnoringExemptions(rule, part, hits);
                if (span != null) {
                    fired.add(key);
                    found.add(found(rule, view, span, offset, original));
                }
            }
        }
    }

    /** Whether {@code rule} reads this direction and this view. */
    private static boolean runsOn(CompiledRule rule, TextView view, Direction direction) {
        return appliesTo(rule, direction) && view.scannedBy(rule.definition().views());
    }

    /** The evidence of {@code rule} matching {@code span} of the part that starts at {@code offset}. */
    private static Found found(CompiledRule rule, TextView view, int[] span, int offset, String original) {
        Match m = match(rule, view, new int[] {span[0] + offset, span[1] + offset}, original);
        return new Found(m, view.isEvasive() && !"obfuscation".equals(rule.category()));
    }

    /**
     * Whether a rule with {@code lifts_exemptions} has fired on this text, in this view or an
     * earlier one (it need not be a candidate in this one: the normalized view reads its words
     * without their accents).
     */
    private boolean lifted(int chunk, java.util.Set<Long> fired) {
        for (int i : lifting) {
            if (fired.contains((long) chunk << 32 | i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first match of {@code rule} in {@code part} (a chunk, or the whole view for anchored
     * rules), from {@code span} on, that the rule also finds in the passage around it
     * ({@link #PASSAGE_RADIUS} either side, in the whole view, read as a text of its own) at the same
     * place; null if none. The span returned is the passage's match, relative to {@code part}.
     * Runs only for rules that fired in a document, a few per document. An anchor keeps its
     * meaning: a passage starts at the document's start when the match is near it (likewise the
     * end), and a match that only the passage's own edges would create does not lie on the
     * document's match, so it does not count.
     */
    private int[] inPassage(CompiledRule rule, String part, int offset, int[] span, Chunked doc) {
        AtomHits scratch = doc.passageHits();
        String whole = doc.whole();
        int[] match = span;
        int searched = 0;                 // where in `part` the search that found `match` began
        int searchedTo = part.length();   // and where it ended
        while (true) {
            if (match != null) {
                int start = offset + searched + match[0];
                int end = offset + searched + match[1];
                int from = Math.max(0, start - PASSAGE_RADIUS);
                String passage = whole.substring(from, Math.min(whole.length(), end + PASSAGE_RADIUS));
                int[] local = rules.find(rule, passage, rules.scan(passage, scratch));
                if (local != null && from + local[0] < Math.max(end, start + 1) && from + local[1] > start - 1) {
                    return new int[] {from + local[0] - offset, from + local[1] - offset};
                }
                // The next match after this one: a match that ends where it started would repeat.
                searched += Math.max(match[1], match[0] + 1);
            } else if (searchedTo >= part.length()) {
                return null;
            } else {
                // Nothing in that stretch; the next one overlaps it, so a match across its end is found.
                searched = searchedTo - OVERLAP;
            }
            if (searched >= part.length()) {
                return null;
            }
            // A chunk's worth at a time: the whole-text pass of anchored rules would otherwise read
            // the rest of a 100 KB document again for every rejected match.
            searchedTo = Math.min(part.length(), searched + CHUNK);
            String rest = part.substring(searched, searchedTo);
            match = rules.find(rule, rest, rules.scan(rest, scratch));
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
