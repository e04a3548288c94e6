package io.threatmon.connectors;

import java.io.Serializable;

/**
 * What reading one raw record produced: a {@link ConversationRecord} or a {@link DeadLetter}
 * (exactly one is set).
 *
 * <pre>{@code
 * if (p.isValid()) score(p.record); else deadLetters.add(p.deadLetter);
 * }</pre>
 */
public class ParsedRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    public ConversationRecord record;
    public DeadLetter deadLetter;

    public ParsedRecord() {}

    public static ParsedRecord valid(ConversationRecord r) {
        ParsedRecord p = new ParsedRecord();
        p.record = r;
        return p;
    }

    public static ParsedRecord invalid(DeadLetter d) {
        ParsedRecord p = new ParsedRecord();
        p.deadLetter = d;
        return p;
    }

    public boolean isValid() {
        return record != null;
    }

    @Override
    public String toString() {
        return isValid() ? record.toString() : "DeadLetter{" + deadLetter + "}";
    }
}
