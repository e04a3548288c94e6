package io.threatmon.jobs;

import io.threatmon.connectors.FieldMapping;
import io.threatmon.connectors.sink.AlertSinkSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;

/**
 * Everything the streaming job needs, validated once. Immutable; build with {@link #builder()}.
 * The flag names of {@code threatmon stream} and {@link StreamMain} are the constants below (one
 * place, so docker-compose's job arguments can be checked against them).
 *
 * <pre>{@code
 * StreamOptions o = StreamOptions.builder()
 *         .bootstrapServers("localhost:9092")
 *         .inputTopic("llm-traffic").alertsTopic("threatmon-alerts").reportsTopic("threatmon-reports")
 *         .window(Duration.ofMinutes(1))
 *         .build();
 * }</pre>
 */
public final class StreamOptions {

    public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
    public static final String INPUT_TOPIC = "input-topic";
    public static final String ALERTS_TOPIC = "alerts-topic";
    public static final String REPORTS_TOPIC = "reports-topic";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String GROUP_ID = "group-id";
    public static final String STARTING_OFFSETS = "starting-offsets";
    public static final String BOUNDED = "bounded";
    public static final String WINDOW = "window";
    public static final String THRESHOLD = "threshold";
    public static final String PARALLELISM = "parallelism";
    public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
    public static final String THROTTLE = "throttle";
    public static final String OUT_OF_ORDERNESS = "out-of-orderness";
    public static final String ALLOWED_LATENESS = "allowed-lateness";
    public static final String IDLENESS = "idleness";
    public static final String CONVERSATION_TURNS = "conversation-turns";
    public static final String RISING_TURNS = "rising-turns";
    public static final String RISING_LEVEL = "rising-level";
    public static final String CONVERSATION_TTL = "conversation-ttl";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional-id-prefix";
    public static final String TRANSACTION_TIMEOUT = "transaction-timeout";
    public static final String RULES = "rules";
    public static final String NO_BUNDLED = "no-bundled";
    public static final String MODEL = "model";
    public static final String NO_MODEL = "no-model";
    public static final String INCLUDE_TEXT = "include-text";
    public static final String ALERT_SINK = "alert-sink";

    /** Field-mapping flags ({@code --text-field prompt}) → the schema field they rename. */
    public static final Map<String, String> FIELD_FLAGS = fieldFlags();

    /** Flags that take a value, with their defaults as shown in help ("" when none). */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Every flag name (without {@code --}). */
    public static final List<String> FLAGS = allFlags();

    /**
     * Where reading starts without a checkpoint or savepoint: the consumer group's committed offsets
     * (the default; a group that has committed none starts at the earliest), or the earliest or
     * latest offsets regardless of what the group committed.
     */
    public enum StartingOffsets {
        EARLIEST, LATEST, COMMITTED;

        public static StartingOffsets parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + STARTING_OFFSETS + " must be earliest, latest or committed, not '" + s + "'");
            }
        }
    }

    private final Builder b;

    private StreamOptions(Builder b) {
        this.b = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() { return b.bootstrapServers; }
    public String inputTopic() { return b.inputTopic; }
    public String alertsTopic() { return b.alertsTopic; }
    public String reportsTopic() { return b.reportsTopic; }
    /** The dead-letter topic; null means {@code <input-topic>-dead-letters}. */
    public String deadLetterTopic() { return b.deadLetterTopic(); }
    public String groupId() { return b.groupId != null ? b.groupId : "threatmon-stream-" + b.inputTopic; }
    public StartingOffsets startingOffsets() { return b.startingOffsets; }
    /** Stop once every partition has been read up to the end offsets seen at start (for demos and tests). */
    public boolean bounded() { return b.bounded; }
    public Duration window() { return b.window; }
    public int threshold() { return b.threshold; }
    public int parallelism() { return b.parallelism; }
    public Duration checkpointInterval() { return b.checkpointInterval; }
    /** Repeats of the same (user, category) within this period are folded into one alert with a count. */
    public Duration throttle() { return b.throttle; }
    public Duration outOfOrderness() { return b.outOfOrderness; }
    public Duration allowedLateness() { return b.allowedLateness; }
    /** A partition silent this long stops holding back the watermark. */
    public Duration idleness() { return b.idleness; }
    public int conversationTurns() { return b.conversationTurns; }
    public int risingTurns() { return b.risingTurns; }
    public int risingLevel() { return b.risingLevel; }
    public Duration conversationTtl() { return b.conversationTtl; }
    public String transactionalIdPrefix() {
        return b.transactionalIdPrefix != null ? b.transactionalIdPrefix : "threatmon-stream-" + b.inputTopic;
    }
    public Duration transactionTimeout() { return b.transactionTimeout; }
    public boolean bundledRules() { return b.bundledRules; }
    /** Rules paths as given: files, directories, {@code pack:NAME}. */
    public List<String> rulePaths() { return List.copyOf(b.rulePaths); }
    public boolean model() { return b.model; }
    public boolean includeText() { return b.includeText; }
    public FieldMapping mapping() { return b.mapping; }
    /** Extra alert outputs ({@code --alert-sink}, repeatable), besides the alerts topic; alerts are throttled first. */
    public List<AlertSinkSpec> alertSinks() { return List.copyOf(b.alertSinks); }

    /** The conversation detector's settings. */
    public ConversationDetector.Settings conversationSettings() {
        return new ConversationDetector.Settings(b.conversationTurns, b.risingTurns, b.risingLevel, b.conversationTtl.toMillis());
    }

    /** Parses a duration such as {@code 1m}, {@code 10s}, {@code 500ms}, {@code 1h}, naming the flag when it is bad. */
    public static Duration parseDuration(String flag, String value) {
        try {
            return TimeUtils.parseDuration(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + flag + " must be a duration such as 500ms, 10s, 1m or 1h, not '" + value + "'");
        }
    }

    /** Configures a streaming run; {@link #build()} checks every value. */
    public static final class Builder implements Cloneable {
        private String bootstrapServers;
        private String inputTopic;
        private String alertsTopic;
        private String reportsTopic;
        private String deadLetterTopic;
        private String groupId;
        private StartingOffsets startingOffsets = StartingOffsets.COMMITTED;
        private boolean bounded;
        private Duration window = Duration.ofMinutes(1);
        private int threshold = AuditOptions.DEFAULT_THRESHOLD;
        private int parallelism = 1;
        private Duration checkpointInterval = Duration.ofSeconds(10);
        private Duration throttle = Duration.ofMinutes(5);
        private Duration outOfOrderness = Duration.ofSeconds(30);
        private Duration allowedLateness = Duration.ZERO;
        private Duration idleness = Duration.ofMinutes(1);
        private int conversationTurns = 4;
        private int risingTurns = 3;
        private int risingLevel = 50;
        private Duration conversationTtl = Duration.ofHours(1);
        private String transactionalIdPrefix;
        private Duration transactionTimeout = Duration.ofMinutes(10);
        private boolean bundledRules = true;
        private List<String> rulePaths = new ArrayList<>();
        private boolean model;
        private boolean includeText;
        private FieldMapping mapping = FieldMapping.defaults();
        private List<AlertSinkSpec> alertSinks = new ArrayList<>();

        private Builder() {}

        public Builder bootstrapServers(String s) { bootstrapServers = s; return this; }
        public Builder inputTopic(String t) { inputTopic = t; return this; }
        public Builder alertsTopic(String t) { alertsTopic = t; return this; }
        public Builder reportsTopic(String t) { reportsTopic = t; return this; }
        public Builder deadLetterTopic(String t) { deadLetterTopic = t; return this; }

        /** The dead-letter topic given, or {@code <input-topic>-dead-letters}. */
        String deadLetterTopic() { return deadLetterTopic != null ? deadLetterTopic : inputTopic + "-dead-letters"; }
        public Builder groupId(String g) { groupId = g; return this; }
        public Builder startingOffsets(StartingOffsets s) { startingOffsets = Objects.requireNonNull(s); return this; }
        public Builder bounded(boolean on) { bounded = on; return this; }
        public Builder window(Duration d) { window = d; return this; }
        public Builder threshold(int t) { threshold = t; return this; }
        public Builder parallelism(int p) { parallelism = p; return this; }
        public Builder checkpointInterval(Duration d) { checkpointInterval = d; return this; }
        public Builder throttle(Duration d) { throttle = d; return this; }
        public Builder outOfOrderness(Duration d) { outOfOrderness = d; return this; }
        public Builder allowedLateness(Duration d) { allowedLateness = d; return this; }
        public Builder idleness(Duration d) { idleness = d; return this; }
        public Builder conversationTurns(int n) { conversationTurns = n; return this; }
        public Builder risingTurns(int k) { risingTurns = k; return this; }
        public Builder risingLevel(int level) { risingLevel = level; return this; }
        public Builder conversationTtl(Duration d) { conversationTtl = d; return this; }
        public Builder transactionalIdPrefix(String p) { transactionalIdPrefix = p; return this; }
        public Builder transactionTimeout(Duration d) { transactionTimeout = d; return this; }
        public Builder bundledRules(boolean on) { bundledRules = on; return this; }
        public Builder rulesPath(Path p) { return rulesPath(Objects.requireNonNull(p, "rules path").toString()); }
        /** A rule file, a directory of packs, or {@code pack:NAME} (not a valid {@link Path} on Windows). */
        public Builder rulesPath(String p) { rulePaths.add(Objects.requireNonNull(p, "rules path")); return this; }
        public Builder model(boolean on) { model = on; return this; }
        public Builder includeText(boolean on) { includeText = on; return this; }
        public Builder mapping(FieldMapping m) { mapping = Objects.requireNonNull(m); return this; }
        /** Adds an alert sink, e.g. {@code KafkaAlertSink.sinks().parseUri("syslog+tcp://siem:6514?format=cef")}. */
        public Builder alertSink(AlertSinkSpec sink) { alertSinks.add(Objects.requireNonNull(sink, "alert sink")); return this; }

        private Builder copy() {
            try {
                Builder c = (Builder) clone();
                c.rulePaths = new ArrayList<>(rulePaths);
                c.alertSinks = new ArrayList<>(alertSinks);
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        public StreamOptions build() {
            require(bootstrapServers, BOOTSTRAP_SERVERS, "HOST:PORT[,HOST:PORT…]");
            require(inputTopic, INPUT_TOPIC, "TOPIC");
            require(alertsTopic, ALERTS_TOPIC, "TOPIC");
            require(reportsTopic, REPORTS_TOPIC, "TOPIC");
            positive(window, WINDOW);
            positive(checkpointInterval, CHECKPOINT_INTERVAL);
            positive(throttle, THROTTLE);
            positive(idleness, IDLENESS);
            positive(conversationTtl, CONVERSATION_TTL);
            notNegative(outOfOrderness, OUT_OF_ORDERNESS);
            notNegative(allowedLateness, ALLOWED_LATENESS);
            if (threshold < 1 || threshold > 100) {
                throw new IllegalArgumentException("--" + THRESHOLD + " must be 1-100, not " + threshold);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("--" + PARALLELISM + " must be at least 1, not " + parallelism);
            }
            if (conversationTurns < 2) {
                throw new IllegalArgumentException("--" + CONVERSATION_TURNS + " must be at least 2, not " + conversationTurns);
            }
            if (risingTurns < 2) {
                throw new IllegalArgumentException("--" + RISING_TURNS + " must be at least 2, not " + risingTurns);
            }
            if (risingLevel < 1 || risingLevel > 100) {
                throw new IllegalArgumentException("--" + RISING_LEVEL + " must be 1-100, not " + risingLevel);
            }
            // Brokers refuse transactions longer than transaction.max.timeout.ms (15 min by default).
            if (transactionTimeout.compareTo(Duration.ofSeconds(1)) < 0 || transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new IllegalArgumentException("--" + TRANSACTION_TIMEOUT + " must be between 1s and 15min (the broker's "
                        + "default transaction.max.timeout.ms), not " + transactionTimeout);
            }
            if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
                throw new IllegalArgumentException("--" + TRANSACTION_TIMEOUT + " (" + transactionTimeout + ") must be longer than --"
                        + CHECKPOINT_INTERVAL + " (" + checkpointInterval + "): a transaction stays open from one checkpoint to the next");
            }
            String deadLetters = deadLetterTopic();
            if (alertsTopic.equals(inputTopic) || reportsTopic.equals(inputTopic) || deadLetters.equals(inputTopic)) {
                // read back, every output would be scored again (dead letters forever)
                throw new IllegalArgumentException("the alerts, reports and dead-letter topics must differ from --" + INPUT_TOPIC);
            }
            if (alertsTopic.equals(reportsTopic) || alertsTopic.equals(deadLetters) || reportsTopic.equals(deadLetters)) {
                throw new IllegalArgumentException("the alerts, reports and dead-letter topics must differ from each other ("
                        + alertsTopic + ", " + reportsTopic + ", " + deadLetters + ")");
            }
            return new StreamOptions(this);
        }

        private static void require(String v, String flag, String what) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("missing --" + flag + " " + what);
            }
        }

        private static void positive(Duration d, String flag) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("--" + flag + " must be a positive duration, not " + d);
            }
        }

        private static void notNegative(Duration d, String flag) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("--" + flag + " must not be negative, not " + d);
            }
        }
    }

    private static Map<String, String> fieldFlags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text-field", "text");
        m.put("timestamp-field", "timestamp");
        m.put("conversation-field", "conversation_id");
        m.put("message-field", "message_id");
        m.put("role-field", "role");
        m.put("user-field", "user");
        m.put("app-field", "app");
        m.put("model-field", "model");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(BOOTSTRAP_SERVERS, "");
        m.put(INPUT_TOPIC, "");
        m.put(ALERTS_TOPIC, "");
        m.put(REPORTS_TOPIC, "");
        m.put(DEAD_LETTER_TOPIC, "<input-topic>-dead-letters");
        m.put(GROUP_ID, "threatmon-stream-<input-topic>");
        m.put(STARTING_OFFSETS, "committed");
        m.put(WINDOW, "1m");
        m.put(THRESHOLD, "70");
        m.put(PARALLELISM, "1");
        m.put(CHECKPOINT_INTERVAL, "10s");
        m.put(THROTTLE, "5m");
        m.put(OUT_OF_ORDERNESS, "30s");
        m.put(ALLOWED_LATENESS, "0s");
        m.put(IDLENESS, "1m");
        m.put(CONVERSATION_TURNS, "4");
        m.put(RISING_TURNS, "3");
        m.put(RISING_LEVEL, "50");
        m.put(CONVERSATION_TTL, "1h");
        m.put(TRANSACTIONAL_ID_PREFIX, "threatmon-stream-<input-topic>");
        m.put(TRANSACTION_TIMEOUT, "10min");
        m.put(RULES, "");
        m.put(ALERT_SINK, "");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<String> allFlags() {
        List<String> all = new ArrayList<>(DEFAULTS.keySet());
        all.addAll(List.of(BOUNDED, NO_BUNDLED, MODEL, NO_MODEL, INCLUDE_TEXT));
        all.addAll(FIELD_FLAGS.keySet());
        return List.copyOf(all);
    }
}
