package io.threatmon.engine.rules;

import java.util.List;
import java.util.Locale;

/**
 * The text views a rule can scan. See rules/README.md for what each view contains.
 *
 * <pre>{@code
 * List<ViewKind> raw = List.of(ViewKind.RAW); // a rule about invisible characters
 * }</pre>
 */
public enum ViewKind {
    /** The text as received. */
    RAW,
    /** NFKC, invisible characters removed, accents and look-alikes folded, whitespace folded. */
    NORMALIZED,
    /** The normalized view with leetspeak folded. */
    FOLDED,
    /** Base64, hex and URL-encoded segments, decoded and normalized. */
    DECODED,
    /**
     * The normalized view with the attack vocabulary of other languages glossed word by word into
     * English ({@link io.threatmon.engine.text.Glossary}), so English phrasings are read in them.
     */
    GLOSSED;

    /** All views, the default for a rule. */
    public static final List<ViewKind> ALL = List.of(values());

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a view name as written in rule files. */
    public static ViewKind parse(String s) {
        for (ViewKind v : values()) {
            if (v.id().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown view '" + s + "' (expected raw, normalized, folded, decoded or glossed)");
    }

    /** True for views that only exist because the text hid something (evidence of evasion). */
    public boolean isEvasive() {
        return this == FOLDED || this == DECODED;
    }
}
