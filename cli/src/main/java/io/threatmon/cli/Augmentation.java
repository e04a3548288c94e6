package io.threatmon.cli;

import io.threatmon.engine.rules.CompiledRule;
import io.threatmon.engine.rules.RuleSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Training rows the project writes itself, so the model learns attack <em>phrases</em> rather
 * than the style of the sources that happen to contain attacks:
 *
 * <ul>
 *   <li>every {@code match} example of a rule that alone makes a threat (risk ≥ 70) as an attack,
 *       and every {@code no_match} example of every rule as benign (hand-written, in about twenty
 *       languages; group {@value #EXAMPLES_SUBSET}, always trained on, never measured);</li>
 *   <li>each benign training row with one of those attack examples inserted at its start, middle
 *       or end, as an attack (<em>injected carriers</em>): the same carrier text then appears
 *       with both labels, so its language, length and register stop predicting the label. An
 *       injected row keeps its carrier's subset (so leave-one-source-out drops it with its
 *       carrier) with the sub-type {@code :injected}.</li>
 * </ul>
 *
 * <p>Every choice (which payload, where) is a fixed hash of the carrier's id: the same dataset and
 * rules give the same rows in the same order.
 */
final class Augmentation {

    static final String EXAMPLES_SUBSET = "threatmon_rule_examples";
    static final String INJECTED = ":injected";
    static final String ID_SEPARATOR = "#";

    private Augmentation() {}

    /** The augmented rows for {@code rows} (which are not modified), or none without rules. */
    static List<Dataset.Row> rows(List<Dataset.Row> rows, RuleSet rules, boolean injectCarriers) {
        if (rules == null) {
            return List.of();
        }
        Set<String> attacks = new LinkedHashSet<>();
        Set<String> benign = new LinkedHashSet<>();
        for (CompiledRule r : rules.rules()) {
            if (r.risk() >= io.threatmon.engine.Scoring.DEFAULT_THRESHOLD) {
                attacks.addAll(r.definition().matchExamples());
            }
            benign.addAll(r.definition().noMatchExamples());
        }
        benign.removeAll(attacks);
        List<Dataset.Row> out = new ArrayList<>();
        int n = 0;
        for (String t : attacks) {
            out.add(new Dataset.Row("aug-example-" + n++, t, 1, "augmented", EXAMPLES_SUBSET, "mixed"));
        }
        for (String t : benign) {
            out.add(new Dataset.Row("aug-example-" + n++, t, 0, "benign", EXAMPLES_SUBSET, "mixed"));
        }
        if (!injectCarriers || attacks.isEmpty()) {
            return out;
        }
        List<String> payloads = List.copyOf(attacks);
        for (Dataset.Row r : rows) {
            if (r.attack() || r.harmful()) {
                continue;
            }
            int h = mix(r.id().hashCode());
            String payload = payloads.get(Math.floorMod(h, payloads.size()));
            String text = insert(r.text(), payload, Math.floorMod(h >>> 8, 3));
            out.add(new Dataset.Row(r.id() + ID_SEPARATOR + "injected", text, 1, "augmented", r.family() + INJECTED, r.lang()));
        }
        return out;
    }

    /** {@code payload} at the start (0), middle (1, at a space) or end (2) of {@code carrier}. */
    static String insert(String carrier, String payload, int where) {
        if (where == 0) {
            return payload + " " + carrier;
        }
        if (where == 2) {
            return carrier + " " + payload;
        }
        int mid = carrier.indexOf(' ', carrier.length() / 2);
        if (mid < 0) {
            return carrier + " " + payload;
        }
        return carrier.substring(0, mid) + " " + payload + carrier.substring(mid);
    }

    /** The id of the real row an augmented row was made from (itself for a real row). */
    static String baseId(String id) {
        int k = id.indexOf(ID_SEPARATOR);
        return k < 0 ? id : id.substring(0, k);
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        h ^= h >>> 16;
        return h;
    }
}
