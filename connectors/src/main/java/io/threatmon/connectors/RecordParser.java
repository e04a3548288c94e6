package io.threatmon.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one raw record (a JSON line, a CSV row, a Parquet row) into a {@link ConversationRecord}
 * or a {@link DeadLetter} saying why it could not be read. Pure and thread-safe.
 *
 * <pre>{@code
 * ParsedRecord p = RecordParser.parseJsonLine("{\"text\":\"hi\",\"user\":\"alice\"}", "a.jsonl", 1, FieldMapping.defaults());
 * }</pre>
 */
public final class RecordParser {

    /** Epoch numbers below this are seconds, not milliseconds (10^11 ms is March 1973). */
    static final long SECONDS_BELOW = 100_000_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Decoders are not thread-safe; one per thread, reset before each use. */
    private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8
            .newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));

    /** Reads a value by input field name: String, Number, Boolean, Map, JsonNode, or null when absent. */
    @FunctionalInterface
    public interface Fields {
        Object get(String field);
    }

    private RecordParser() {}

    /**
     * Parses one JSON record given as bytes (a line of a JSON-lines file, a Kafka message value).
     * The bytes are decoded strictly, so invalid UTF-8 becomes a dead letter naming the first bad
     * byte instead of a record with replacement characters; a leading BOM is ignored.
     *
     * <pre>{@code
     * ParsedRecord p = RecordParser.parseJsonBytes(value, 0, value.length, "traffic-0", offset, FieldMapping.defaults());
     * }</pre>
     */
    public static ParsedRecord parseJsonBytes(byte[] bytes, int from, int to, String source, long lineNo, FieldMapping mapping) {
        CharsetDecoder utf8 = STRICT_UTF8.get().reset();
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return dead(source, lineNo, "invalid UTF-8: at byte " + firstInvalidByte(bytes, from, to) + " of the line",
                    new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return parseJsonLine(text, source, lineNo, mapping);
    }

    /** Offset (0-based, from {@code from}) of the first byte that is not valid UTF-8. */
    private static int firstInvalidByte(byte[] bytes, int from, int to) {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharsetDecoder utf8 = STRICT_UTF8.get().reset();
        utf8.decode(in, CharBuffer.allocate(to - from + 1), true);
        return in.position() - from;
    }

    /** Why a line is not valid JSON, in words (Jackson's trailing-token message names its own classes). */
    public static String jsonProblem(JsonProcessingException e) {
        return e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                && e.getOriginalMessage().startsWith("Trailing token")
                ? "more than one JSON value on the line" : e.getOriginalMessage();
    }

    /** Parses one line of a JSON-lines log. */
    public static ParsedRecord parseJsonLine(String line, String source, long lineNo, FieldMapping mapping) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return dead(source, lineNo, "not valid JSON: " + jsonProblem(e), line);
        }
        if (node == null || !node.isObject()) {
            return dead(source, lineNo, "not a JSON object", line);
        }
        return fromFields(field -> {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isTextual()) {
                return v.asText();
            }
            if (v.isNumber()) {
                return v.numberValue();
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            return v;
        }, source, lineNo, mapping, line);
    }

    /** Builds a record from named fields; {@code raw} is kept in a dead letter if it fails. */
    public static ParsedRecord fromFields(Fields fields, String source, long lineNo, FieldMapping mapping, String raw) {
        String textField = mapping.field("text");
        Object text = fields.get(textField);
        if (text == null) {
            return dead(source, lineNo, "missing text: no field '" + textField + "'", raw);
        }
        if (!(text instanceof CharSequence)) {
            return dead(source, lineNo, "text is not a string: field '" + textField + "' holds " + kind(text), raw);
        }
        ConversationRecord r = new ConversationRecord();
        r.text = wellFormed(text.toString());
        Object ts = fields.get(mapping.field("timestamp"));
        if (ts != null && !(ts instanceof CharSequence s && s.toString().isBlank())) {
            try {
                r.timestamp = parseTimestamp(ts);
            } catch (IllegalArgumentException e) {
                return dead(source, lineNo, "bad timestamp: " + e.getMessage(), raw);
            }
        }
        r.conversationId = scalar(fields.get(mapping.field("conversation_id")));
        r.messageId = scalar(fields.get(mapping.field("message_id")));
        String role = scalar(fields.get(mapping.field("role")));
        r.role = role == null ? null : role.toLowerCase(Locale.ROOT);
        r.user = scalar(fields.get(mapping.field("user")));
        r.app = scalar(fields.get(mapping.field("app")));
        r.model = scalar(fields.get(mapping.field("model")));
        Object meta = fields.get(mapping.field("metadata"));
        if (meta != null) {
            r.metadataJson = wellFormed(meta instanceof CharSequence s ? s.toString() : toJson(meta));
        }
        r.source = source;
        r.line = lineNo;
        return ParsedRecord.valid(r);
    }

    /**
     * Parses ISO-8601 (with offset or Z; without one it is UTC; a plain date is midnight UTC;
     * a space may separate date and time) or an epoch number (milliseconds; below 10^11, seconds).
     *
     * @throws IllegalArgumentException with the offending value
     */
    public static long parseTimestamp(Object value) {
        long millis;
        try {
            millis = parseMillis(value);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + abbreviate(value.toString().trim()) + "' is out of range");
        }
        // Syslog (RFC 5424) and LEEF need four-digit years, and no log is written after 9999.
        if (millis > LATEST_MILLIS) {
            throw new IllegalArgumentException("'" + abbreviate(value.toString().trim()) + "' is after the year 9999");
        }
        return millis;
    }

    /** 9999-12-31T23:59:59.999Z. */
    private static final long LATEST_MILLIS = 253_402_300_799_999L;

    private static long parseMillis(Object value) {
        if (value instanceof Number n) {
            return epoch(n.doubleValue(), String.valueOf(value));
        }
        String s = value.toString().trim();
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            return epoch(Double.parseDouble(s), s);
        }
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other ISO shapes
        }
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other ISO shapes
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the other ISO shapes
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + abbreviate(s) + "' is neither ISO-8601 nor epoch milliseconds");
        }
    }

    private static long epoch(double v, String shown) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            throw new IllegalArgumentException("'" + shown + "' is not a valid epoch time");
        }
        return Math.abs(v) < SECONDS_BELOW ? Math.round(v * 1000) : Math.round(v);
    }

    /**
     * The text with each unpaired UTF-16 surrogate replaced by U+FFFD. JSON's {@code "\\ud83d"}
     * escape can carry half an emoji (logs cut mid-character do), and such a string cannot be
     * written as UTF-8: the report writer failed on it after the whole log had been scored.
     */
    static String wellFormed(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (lone && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(lone ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static String scalar(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof CharSequence || v instanceof Number || v instanceof Boolean) {
            String s = v.toString();
            return s.isEmpty() ? null : wellFormed(s);
        }
        return wellFormed(toJson(v));
    }

    private static String kind(Object v) {
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof JsonNode n) {
            return n.isArray() ? "an array" : n.isObject() ? "an object" : n.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Map) {
            return "an object";
        }
        return v.getClass().getSimpleName();
    }

    private static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    static ParsedRecord dead(String source, long line, String reason, String raw) {
        return ParsedRecord.invalid(DeadLetter.of(source, line, reason, raw));
    }
}
