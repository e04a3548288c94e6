package io.threatmon.engine.text;

import io.threatmon.engine.rules.ViewKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds every view of a message that rules scan: raw, normalized, folded, glossed and decoded segments.
 * A view identical to an earlier one is not added again; the earlier one then also stands for
 * its kind, so a rule that asks only for {@code normalized} still sees plain ASCII text.
 *
 * <pre>{@code
 * List<TextView> views = TextViews.of("1gn0r3 pr3v10us 1nstruct10ns");
 * // raw, folded ("ignore previous instructions")
 * TextViews.of("Vergeet alle vorige instructies");
 * // raw, glossed ("forget alle previous instructions")
 * }</pre>
 */
public final class TextViews {

    /** How many nested encodings are peeled (base64 of base64 is still found). */
    static final int DECODE_DEPTH = 3;

    private TextViews() {}

    /** The views of {@code text}, raw first. */
    public static List<TextView> of(String text) {
        List<TextView> views = new ArrayList<>(3);
        TextView raw = TextView.raw(text);
        views.add(raw);
        char[] chars = text.toCharArray();
        if (Normalizer.isNormal(chars)) {
            raw.alsoStandsFor(ViewKind.NORMALIZED);
            char[] leet = Normalizer.foldLeet(chars);
            if (leet == null) {
                raw.alsoStandsFor(ViewKind.FOLDED);
            } else {
                views.add(TextView.mapped("folded", ViewKind.FOLDED, new String(leet), Normalizer.identity(text.length())));
            }
            addGlossed(chars, null, views);
            addDecoded(text, chars, views);
            return views;
        }
        Normalizer.Mapped norm = Normalizer.normalize(chars);
        TextView normalized;
        if (norm.text().equals(text)) {
            raw.alsoStandsFor(ViewKind.NORMALIZED);
            normalized = raw;
        } else {
            normalized = TextView.mapped("normalized", ViewKind.NORMALIZED, norm.text(), norm.origin());
            views.add(normalized);
        }
        String leet = Normalizer.foldLeet(norm.text());
        if (leet == null) {
            normalized.alsoStandsFor(ViewKind.FOLDED);
        } else {
            views.add(TextView.mapped("folded", ViewKind.FOLDED, leet, norm.origin()));
        }
        addGlossed(norm.text().toCharArray(), norm.origin(), views);
        addDecoded(text, chars, views);
        return views;
    }

    /** Fewer glossed words than this leave a text to the rules of its own language. */
    static final int MIN_GLOSSED = 2;

    /**
     * Adds the glossed view of the normalized text {@code norm} ({@code normOrigin}: its origins
     * in the text, null for the text itself) when at least {@value #MIN_GLOSSED} words were glossed.
     */
    private static void addGlossed(char[] norm, int[] normOrigin, List<TextView> views) {
        Glossary.Gloss g = Glossary.bundled().gloss(norm);
        if (g == null || g.replaced() < MIN_GLOSSED) {
            return;
        }
        int[] origin = g.origin();
        if (normOrigin != null) {
            for (int k = 0; k < origin.length; k++) {
                origin[k] = normOrigin[origin[k]];
            }
        }
        views.add(TextView.mapped("glossed", ViewKind.GLOSSED, g.text(), origin));
    }

    /**
     * Adds one decoded view: the whole text with every readable encoded segment replaced by its
     * decoding, so a URL-encoded word is read in its sentence. Nested encodings (base64 of
     * base64) are peeled up to {@value #DECODE_DEPTH} times. Each character keeps the span of
     * the original text it came from: a decoded character spans its whole encoded segment.
     */
    private static void addDecoded(String text, char[] chars, List<TextView> views) {
        String current = text;
        int[] starts = null;
        int[] ends = null;
        boolean changed = false;
        for (int depth = 0; depth < DECODE_DEPTH; depth++) {
            List<Decoders.Segment> segments = depth == 0 ? Decoders.find(text, chars) : Decoders.find(current);
            if (segments.isEmpty()) {
                break;
            }
            StringBuilder b = new StringBuilder(current.length());
            int[] ns = new int[current.length() * 2 + 16];
            int[] ne = new int[ns.length];
            int pos = 0;
            for (Decoders.Segment seg : segments) {
                for (int k = pos; k < seg.start(); k++) {
                    ns = grow(ns, b.length());
                    ne = grow(ne, b.length());
                    ns[b.length()] = starts == null ? k : starts[k];
                    ne[b.length()] = ends == null ? k + 1 : ends[k];
                    b.append(current.charAt(k));
                }
                int segStart = starts == null ? seg.start() : starts[seg.start()];
                int segEnd = ends == null ? seg.end() : ends[seg.end() - 1];
                b.append(' ');
                for (int k = 0; k < seg.text().length() + 2; k++) {
                    ns = grow(ns, b.length() + k);
                    ne = grow(ne, b.length() + k);
                }
                ns[b.length() - 1] = segStart;
                ne[b.length() - 1] = segEnd;
                for (int k = 0; k < seg.text().length(); k++) {
                    ns[b.length()] = segStart;
                    ne[b.length()] = segEnd;
                    b.append(seg.text().charAt(k));
                }
                ns[b.length()] = segStart;
                ne[b.length()] = segEnd;
                b.append(' ');
                pos = seg.end();
            }
            for (int k = pos; k < current.length(); k++) {
                ns = grow(ns, b.length());
                ne = grow(ne, b.length());
                ns[b.length()] = starts == null ? k : starts[k];
                ne[b.length()] = ends == null ? k + 1 : ends[k];
                b.append(current.charAt(k));
            }
            current = b.toString();
            starts = ns;
            ends = ne;
            changed = true;
        }
        if (!changed) {
            return;
        }
        Normalizer.Mapped norm = Normalizer.normalize(current);
        int[] origin = norm.origin();
        int[] vs = new int[origin.length];
        int[] ve = new int[origin.length];
        for (int k = 0; k < origin.length; k++) {
            vs[k] = starts[origin[k]];
            ve[k] = ends[origin[k]];
        }
        views.add(TextView.decoded("decoded", norm.text(), vs, ve));
        String leet = Normalizer.foldLeet(norm.text());
        if (leet != null) {
            views.add(TextView.decoded("decoded", leet, vs, ve));
        }
    }

    private static int[] grow(int[] a, int index) {
        return index < a.length ? a : java.util.Arrays.copyOf(a, Math.max(a.length * 2, index + 16));
    }
}
