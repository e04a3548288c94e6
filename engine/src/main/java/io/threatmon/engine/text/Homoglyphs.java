package io.threatmon.engine.text;

/**
 * Folds Cyrillic, Greek and Armenian letters (and the IPA alpha and iota) that look like Latin
 * ones, but only inside words that also contain Latin letters: "раssword" (Cyrillic р, а) becomes
 * "password", while a Russian word keeps its letters so rules written in Russian still match.
 */
final class Homoglyphs {

    private static final char[] MAP = new char[0x0590];

    static {
        String pairs =
                // Cyrillic lower-case
                "а a е e о o р p с c у y х x і i ј j ѕ s ԁ d һ h ԛ q ԝ w ӏ l ɡ g "
                // Cyrillic upper-case
                + "А A В B Е E К K М M Н H О O Р P С C Т T Х X І I Ј J Ѕ S "
                // Greek lower-case
                + "ο o α a ε e ι i κ k ν v ρ p τ t υ u χ x "
                // Greek upper-case
                + "Α A Β B Ε E Ζ Z Η H Ι I Κ K Μ M Ν N Ο O Ρ P Τ T Υ Y Χ X "
                // Greek and Cyrillic letters outside the basic alphabets (NFKC has made the lunate
                // sigma ϲ a final sigma ς by then), IPA alpha and iota
                + "ϲ c ς c ϳ j ϵ e ѵ v ɑ a ɩ i "
                // Armenian lower-case
                + "օ o ո n ս u ց g հ h ք q";
        String[] parts = pairs.trim().split(" +");
        for (int k = 0; k + 1 < parts.length; k += 2) {
            char from = parts[k].charAt(0);
            if (from < MAP.length) {
                MAP[from] = parts[k + 1].charAt(0);
            }
        }
    }

    private Homoglyphs() {}

    /** True for a Cyrillic or Greek character that has a Latin look-alike. */
    static boolean isLookalikeScript(char c) {
        return c >= 0x0250 && c < MAP.length && MAP[c] != 0;
    }

    /** Folds look-alikes in place, word by word, in words mixing them with Latin letters. */
    static void foldMixedWords(char[] buf, int len) {
        int i = 0;
        while (i < len) {
            if (!Character.isLetter(buf[i])) {
                i++;
                continue;
            }
            int start = i;
            boolean latin = false;
            boolean lookalike = false;
            boolean otherForeign = false;
            while (i < len && Character.isLetter(buf[i])) {
                char c = buf[i];
                if (Normalizer.isLatinLetter(c)) {
                    latin = true;
                } else if (c < MAP.length && MAP[c] != 0) {
                    lookalike = true;
                } else {
                    otherForeign = true;
                }
                i++;
            }
            if (latin && lookalike && !otherForeign) {
                for (int k = start; k < i; k++) {
                    char c = buf[k];
                    if (c < MAP.length && MAP[c] != 0) {
                        buf[k] = MAP[c];
                    }
                }
            }
        }
    }
}
