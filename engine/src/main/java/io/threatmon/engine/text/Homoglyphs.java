package io.threatmon.engine.text;

/**
 * Folds Cyrillic, Greek and Armenian letters (and the IPA alpha and iota) that look like Latin
 * ones, but only inside words that also contain Latin letters: "раssword" (Cyrillic р, а) becomes
 * "password", while a Russian word keeps its letters so rules written in Russian still match.
 * The other way round too: Latin look-alikes inside a word whose other letters are Cyrillic and
 * include one with no Latin twin ("Игноpиpай" with Latin p) become Cyrillic ("Игнорирай").
 */
final class Homoglyphs {

    private static final char[] MAP = new char[0x0590];

    /** Latin letters with a Cyrillic twin, and the twin. */
    private static final char[] TO_CYRILLIC = new char[128];

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
        // Only letters that look the same in running text: not s (Macedonian ѕ), h or q, which a
        // Cyrillic-script reader would not take for Cyrillic letters.
        String back = "a а e е o о p р c с y у x х i і j ј A А B В C С E Е H Н K К M М O О P Р T Т X Х I І";
        String[] backParts = back.split(" ");
        for (int k = 0; k + 1 < backParts.length; k += 2) {
            TO_CYRILLIC[backParts[k].charAt(0)] = backParts[k + 1].charAt(0);
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
            // for the fold back to Cyrillic: a Cyrillic letter without a Latin twin, a letter of
            // another script, a Latin letter without a Cyrillic twin
            boolean cyrillicOnly = false;
            boolean notCyrillic = false;
            boolean latinWithoutTwin = false;
            while (i < len && Character.isLetter(buf[i])) {
                char c = buf[i];
                if (Normalizer.isLatinLetter(c)) {
                    latin = true;
                    latinWithoutTwin |= c >= 128 || TO_CYRILLIC[c] == 0;
                } else {
                    boolean cyrillic = Normalizer.isCyrillicLetter(c);
                    if (c < MAP.length && MAP[c] != 0) {
                        lookalike = true;
                    } else {
                        otherForeign = true;
                        cyrillicOnly |= cyrillic;
                    }
                    notCyrillic |= !cyrillic;
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
            } else if (latin && cyrillicOnly && !notCyrillic && !latinWithoutTwin) {
                for (int k = start; k < i; k++) {
                    char c = buf[k];
                    if (c < 128) {
                        buf[k] = TO_CYRILLIC[c];
                    }
                }
            }
        }
    }
}
