package io.threatmon.engine;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Evidence: one rule that fired, where, and in which view of the text.
 *
 * <pre>{@code
 * for (Match m : result.matches())
 *     System.out.printf("%s [%s] at %d-%d in %s: %s%n", m.ruleId(), m.category(), m.start(), m.end(), m.view(), m.excerpt());
 * }</pre>
 *
 * @param ruleId   the rule's id
 * @param ruleName the rule's name
 * @param category the rule's category
 * @param severity the rule's severity ({@code critical|high|medium|low})
 * @param risk     the rule's base risk
 * @param view     the view it fired in: {@code raw}, {@code normalized}, {@code folded} or {@code decoded} (base64, hex, URL-encoding, HTML entities, backslash-u escapes and joined string concatenations, decoded in place)
 * @param start    start offset of the match in the original text (for decoded views: of the encoded segment)
 * @param end      end offset (exclusive) in the original text
 * @param excerpt  a short excerpt of the matched text in that view
 * @param tags     the rule's OWASP/ATLAS tags
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Match(
        String ruleId,
        String ruleName,
        String category,
        String severity,
        int risk,
        String view,
        int start,
        int end,
        String excerpt,
        List<String> tags) {

    public Match {
        tags = List.copyOf(tags);
    }
}
