package io.threatmon.engine.internal;

import io.threatmon.engine.internal.RegexAtoms.Reach;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The set algebra behind {@link RegexAtoms}: which of two atom sets is the more selective, which
 * further sets are worth keeping, products of exact alternatives, and the character ranges of
 * classes. Kept apart from the parser so each reads in one sitting; static and package-private.
 */
final class AtomSets {

    private AtomSets() {}

    /** An atom set every match contains, and how far a match reaches before and after a hit of it. */
    record Required(Set<String> atoms, Reach before, Reach after, boolean left, boolean right) {
        Required(Set<String> atoms, Reach before, Reach after) {
            this(atoms, before, after, false, false);
        }

        Required shifted(Reach addBefore, Reach addAfter) {
            return new Required(atoms, addBefore.plus(before), after.plus(addAfter), left, right);
        }

        Required guarded(boolean l, boolean r) {
            return l == left && r == right ? this : new Required(atoms, before, after, l, r);
        }
    }

    /** The {@value RegexAtoms#MAX_RARE_SETS} smallest rare-character sets (the most selective), distinct. */
    static List<List<int[]>> smallest(List<List<int[]>> sets) {
        if (sets.isEmpty()) {
            return List.of();
        }
        List<List<int[]>> sorted = new ArrayList<>(sets);
        sorted.sort(java.util.Comparator.comparingLong(AtomSets::size));
        List<List<int[]>> out = new ArrayList<>();
        for (List<int[]> set : sorted) {
            if (out.size() == RegexAtoms.MAX_RARE_SETS) {
                break;
            }
            if (out.stream().noneMatch(o -> sameRanges(o, set))) {
                out.add(set);
            }
        }
        return List.copyOf(out);
    }

    static boolean sameRanges(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when no character in {@code [lo, hi]} is an ASCII letter or folds to one when matching
     * case-insensitively (the Kelvin sign and the long s do).
     */
    static boolean isLetterFree(int lo, int hi) {
        for (int[] letters : new int[][] {{'A', 'Z'}, {'a', 'z'}, {0x17F, 0x17F}, {0x212A, 0x212A}}) {
            if (lo <= letters[1] && hi >= letters[0]) {
                return false;
            }
        }
        return true;
    }

    /** The ranges, if none of them covers an ASCII letter, digit or whitespace; else null. */
    static List<int[]> rare(List<int[]> ranges) {
        for (int[] r : ranges) {
            for (int c = r[0]; c <= Math.min(r[1], 0x7F); c++) {
                if (Character.isLetterOrDigit(c) || Character.isWhitespace(c)) {
                    return null;
                }
            }
            if (r[0] <= 0xA0 && r[1] >= 0xA0) {
                return null;
            }
        }
        return ranges;
    }

    /** Case-insensitive matching also accepts the other cases of letters in small ranges. */
    static List<int[]> withCaseVariants(List<int[]> ranges) {
        List<int[]> out = new ArrayList<>(ranges);
        for (int[] r : ranges) {
            if (r[1] - r[0] > 256) {
                continue;
            }
            for (int c = r[0]; c <= r[1]; c++) {
                for (int v : new int[] {Character.toLowerCase(c), Character.toUpperCase(c), Character.toTitleCase(c)}) {
                    if (v != c) {
                        out.add(new int[] {v, v});
                    }
                }
            }
        }
        return out;
    }

    static long size(List<int[]> ranges) {
        long n = 0;
        for (int[] r : ranges) {
            n += r[1] - r[0] + 1;
        }
        return n;
    }

    /** Blocks covering a script, for {@code \p{Script}} in classes; a superset is fine here. */
    static List<int[]> scriptRanges(String name) {
        return switch (name) {
            case "Cyrillic" -> List.of(new int[] {0x0400, 0x052F}, new int[] {0x1C80, 0x1C8F},
                    new int[] {0x2DE0, 0x2DFF}, new int[] {0xA640, 0xA69F});
            case "Greek" -> List.of(new int[] {0x0370, 0x03FF}, new int[] {0x1D26, 0x1D2A}, new int[] {0x1D5D, 0x1D61},
                    new int[] {0x1D66, 0x1D6A}, new int[] {0x1DBF, 0x1DBF}, new int[] {0x1F00, 0x1FFF},
                    new int[] {0x2126, 0x2126}, new int[] {0xAB65, 0xAB65}, new int[] {0x10140, 0x101AF},
                    new int[] {0x1D200, 0x1D24F});
            default -> null;
        };
    }

    /** Keeps a set as mandatory when it is selective enough to be an atom set. */
    static void addMandatory(List<Required> mandatory, Required r) {
        if (r != null && usable(r)) {
            mandatory.add(r);
        }
    }

    /** Whether a set is selective enough to gate a regex: not too large, no short or function-word atom. */
    static boolean usable(Required r) {
        Set<String> set = r.atoms();
        // As for a regex's main atoms, a two-character atom is selective at a word's edge ("A:" of
        // a Q/A transcript) though not inside words.
        int min = r.left() || r.right() ? RegexAtoms.MIN_GUARDED_ATOM : RegexAtoms.MIN_ATOM;
        return !set.isEmpty() && !set.contains("") && set.size() <= RegexAtoms.MAX_REQUIRED_SET && shortest(set) >= min
                && !common(set);
    }

    /**
     * Function words nearly every text of a language has ("the", "for ", "de "): a further
     * required set holding one prunes almost nothing, while each of its occurrences costs the
     * scanner a hit to record. Such sets are not kept as further sets, and lose to any other set
     * as a regex's main atoms.
     */
    private static final Set<String> COMMON_WORDS = Set.of(
            "the", "and", "for", "are", "you", "not", "all", "any", "can", "has", "have", "was", "were", "our",
            "your", "its", "his", "her", "him", "she", "who", "how", "why", "what", "with", "from", "that", "this",
            "then", "than", "them", "they", "but", "use", "one", "out", "get", "now", "new", "may", "will", "also",
            "into", "some", "such", "just", "like", "more", "most", "only", "other", "over", "about", "which",
            "their", "there", "these", "those", "would", "could", "should", "been", "being", "does", "did",
            "at", "of", "in", "on", "to", "is", "it", "as", "by", "an", "or", "be", "we", "do", "if", "so", "no",
            "de", "la", "le", "el", "en", "un", "et", "du", "da", "di", "il", "se", "es", "que", "les", "des",
            "los", "las", "una", "por", "con", "der", "die", "das", "und", "ist", "den", "dem", "ein", "eine",
            "per", "non", "che", "del", "della", "para", "uma", "com", "não", "est", "pas", "pour", "sur");

    private static boolean common(Set<String> set) {
        for (String atom : set) {
            if (COMMON_WORDS.contains(atom.strip())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The further sets a match must contain, besides {@code atoms}: the most selective first, and
     * none that one of {@code atoms} (or a kept set) would already satisfy, since such a set adds
     * nothing to the test.
     */
    static List<Required> alsoRequired(List<Required> required, Set<String> atoms) {
        List<Required> sets = new ArrayList<>(required);
        sets.sort(java.util.Comparator.comparingInt((Required x) -> -Math.min(shortest(x.atoms()), 8))
                .thenComparingInt(x -> x.atoms().size()));
        List<Set<String>> kept = new ArrayList<>();
        kept.add(atoms);
        List<Required> out = new ArrayList<>();
        for (Required r : sets) {
            if (out.size() == RegexAtoms.MAX_REQUIRED) {
                break;
            }
            if (kept.stream().anyMatch(k -> implies(k, r.atoms()))) {
                continue;
            }
            kept.add(r.atoms());
            out.add(r);
        }
        return List.copyOf(out);
    }

    /** True when every string of {@code a} contains some string of {@code b} (a hit of a is a hit of b). */
    private static boolean implies(Set<String> a, Set<String> b) {
        for (String x : a) {
            boolean found = false;
            for (String y : b) {
                if (x.contains(y)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static String lower(String s) {
        // Per-char lower-casing keeps lengths equal, matching how the scanner lower-cases text.
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = Character.toLowerCase(out[i]);
        }
        return new String(out);
    }

    static Set<String> cross(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                out.add(x + y);
            }
        }
        return out;
    }

    /** The more selective of two atom sets: longer shortest atom first, then fewer atoms. */
    static Required better(Required a, Required b) {
        if (b == null || b.atoms() == null || b.atoms().isEmpty()) {
            return a;
        }
        if (a == null || a.atoms() == null || a.atoms().isEmpty()) {
            return b;
        }
        int sa = common(a.atoms()) ? 0 : Math.min(shortest(a.atoms()), 8);
        int sb = common(b.atoms()) ? 0 : Math.min(shortest(b.atoms()), 8);
        if (sa != sb) {
            return sa > sb ? a : b;
        }
        return a.atoms().size() <= b.atoms().size() ? a : b;
    }

    /**
     * The selectivity of the weakest atom, in "ASCII letters": a CJK, kana or Hangul character
     * counts twice, since a two-character Chinese word is as rare as a longer Latin one.
     */
    static int shortest(Set<String> s) {
        int m = Integer.MAX_VALUE;
        for (String x : s) {
            int w = 0;
            for (int i = 0; i < x.length(); i++) {
                w += x.charAt(i) >= 0x2E80 && !Character.isSurrogate(x.charAt(i)) ? 2 : 1;
            }
            m = Math.min(m, w);
        }
        return m;
    }
}
