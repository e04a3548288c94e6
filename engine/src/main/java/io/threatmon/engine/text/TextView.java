package io.threatmon.engine.text;

import io.threatmon.engine.rules.ViewKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * One view of a message that rules scan, with the way back to offsets in the original text.
 *
 * <pre>{@code
 * for (TextView v : TextViews.of(text)) {
 *     int[] span = ruleSet.find(rule, v.text());
 *     if (span != null) System.out.println(v.label() + " " + v.originalStart(span[0]));
 * }
 * }</pre>
 */
public final class TextView {

    private final String label;
    private final Set<ViewKind> kinds;
    private final String text;
    private final int[] origin;
    /** For decoded views: per character, the end (exclusive) of the original span it came from. */
    private final int[] originEnd;

    private TextView(String label, Set<ViewKind> kinds, String text, int[] origin, int[] originEnd) {
        this.label = label;
        this.kinds = kinds;
        this.text = text;
        this.origin = origin;
        this.originEnd = originEnd;
    }

    static TextView raw(String text) {
        return new TextView("raw", EnumSet.of(ViewKind.RAW), text, null, null);
    }

    static TextView mapped(String label, ViewKind kind, String text, int[] origin) {
        return new TextView(label, EnumSet.of(kind), text, origin, null);
    }

    static TextView decoded(String label, String text, int[] origin, int[] originEnd) {
        return new TextView(label, EnumSet.of(ViewKind.DECODED), text, origin, originEnd);
    }

    /** Marks that this view also stands for {@code kind} (an identical view that was not built twice). */
    void alsoStandsFor(ViewKind kind) {
        kinds.add(kind);
    }

    /** {@code raw}, {@code normalized}, {@code folded} or {@code decoded}. */
    public String label() {
        return label;
    }

    /** The view kinds this text stands for; several when views turned out identical. */
    public Set<ViewKind> kinds() {
        return kinds;
    }

    /** True when a rule scanning any of {@code wanted} should scan this view. */
    public boolean scannedBy(java.util.Collection<ViewKind> wanted) {
        for (ViewKind k : wanted) {
            if (kinds.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** True when every kind this view stands for exists only because the text hid something. */
    public boolean isEvasive() {
        for (ViewKind k : kinds) {
            if (!k.isEvasive()) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return text;
    }

    /** Offset in the original text of this view's character at {@code i}. */
    public int originalStart(int i) {
        if (origin == null) {
            return i;
        }
        return origin.length == 0 ? 0 : origin[Math.min(i, origin.length - 1)];
    }

    /** Offset in the original text just past this view's character at {@code end - 1}. */
    public int originalEnd(int end, String original) {
        if (origin == null) {
            return end;
        }
        if (end <= 0 || origin.length == 0) {
            return 0;
        }
        if (originEnd != null) {
            return originEnd[Math.min(end - 1, originEnd.length - 1)];
        }
        int last = origin[Math.min(end - 1, origin.length - 1)];
        return Math.min(original.length(), last + Character.charCount(original.codePointAt(last)));
    }
}
