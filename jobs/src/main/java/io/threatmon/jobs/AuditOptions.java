package io.threatmon.jobs;

import io.threatmon.connectors.FieldMapping;
import io.threatmon.connectors.LogFormat;
import io.threatmon.connectors.siem.AlertFormatter;
import io.threatmon.connectors.sink.AlertSinkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything an audit run needs, validated once. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * AuditOptions o = AuditOptions.builder()
 *         .input("logs/2026-03-04/")
 *         .out(Path.of("audit-out"))
 *         .parallelism(4)
 *         .build();
 * }</pre>
 */
public final class AuditOptions {

    /** What to write for every scored message. */
    public enum ScoredOutput {
        JSONL,
        PARQUET,
        NONE;

        public static ScoredOutput parse(String s) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "jsonl", "json" -> JSONL;
                case "parquet" -> PARQUET;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("unknown --scored value '" + s + "' (expected jsonl, parquet or none)");
            };
        }
    }

    public static final int DEFAULT_THRESHOLD = 70;

    private final List<String> inputs;
    private final LogFormat format;
    private final Path out;
    private final int parallelism;
    private final int threshold;
    private final boolean bundledRules;
    private final List<String> rulePaths;
    private final ScoredOutput scored;
    private final AlertFormatter alertFormat;
    private final List<AlertSinkSpec> alertSinks;
    private final boolean includeText;
    private final FieldMapping mapping;
    private final boolean model;
    private final long splitBytes;

    private AuditOptions(Builder b) {
        this.model = b.model;
        this.inputs = List.copyOf(b.inputs);
        this.format = b.format;
        this.out = b.out;
        this.parallelism = b.parallelism;
        this.threshold = b.threshold;
        this.bundledRules = b.bundledRules;
        this.rulePaths = List.copyOf(b.rulePaths);
        this.scored = b.scored;
        this.alertFormat = b.alertFormat;
        this.alertSinks = List.copyOf(b.alertSinks);
        this.includeText = b.includeText;
        this.mapping = b.mapping;
        this.splitBytes = b.splitBytes;
    }

    /**
     * Target size of the chunks uncompressed JSON-lines files are cut into, each read by one of
     * the parallel readers; 0 (the default) sizes them from the input: about four chunks per
     * worker, between 4 and 64 MB.
     */
    public long splitBytes() {
        return splitBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Files, directories or globs to read. */
    public List<String> inputs() {
        return inputs;
    }

    /** The input format, or null to infer it from each file's extension. */
    public LogFormat format() {
        return format;
    }

    /** Output directory for the report, alerts, scored records and dead letters. */
    public Path out() {
        return out;
    }

    public int parallelism() {
        return parallelism;
    }

    public int threshold() {
        return threshold;
    }

    public boolean bundledRules() {
        return bundledRules;
    }

    /** Rules paths as given: files, directories, {@code pack:NAME}. */
    public List<String> rulePaths() {
        return rulePaths;
    }

    public ScoredOutput scored() {
        return scored;
    }

    /** How alerts are written: ThreatMon JSON (default), CEF, LEEF, ECS, OCSF, Splunk HEC, syslog. */
    public AlertFormatter alertFormat() {
        return alertFormat;
    }

    /** Where alerts also go ({@code --alert-sink}, each in its own format), besides the alerts file. */
    public List<AlertSinkSpec> alertSinks() {
        return alertSinks;
    }

    /** Whether reports and alerts carry full message text instead of redacted excerpts. */
    public boolean includeText() {
        return includeText;
    }

    public FieldMapping mapping() {
        return mapping;
    }

    /** Whether the statistical model scores alongside the rules (default false, as in the SDK). */
    public boolean model() {
        return model;
    }

    /** Configures an audit run; {@link #build()} checks every value. */
    public static final class Builder {
        private final List<String> inputs = new ArrayList<>();
        private LogFormat format;
        private Path out;
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private int threshold = DEFAULT_THRESHOLD;
        private boolean bundledRules = true;
        private final List<String> rulePaths = new ArrayList<>();
        private ScoredOutput scored = ScoredOutput.JSONL;
        private AlertFormatter alertFormat = AlertFormatter.json();
        private final List<AlertSinkSpec> alertSinks = new ArrayList<>();
        private boolean includeText;
        private FieldMapping mapping = FieldMapping.defaults();
        private boolean model;
        private long splitBytes;

        private Builder() {}

        /** See {@link AuditOptions#splitBytes()}. */
        public Builder splitBytes(long bytes) {
            this.splitBytes = bytes;
            return this;
        }

        public Builder model(boolean on) {
            this.model = on;
            return this;
        }

        public Builder input(String input) {
            inputs.add(Objects.requireNonNull(input, "input"));
            return this;
        }

        public Builder inputs(List<String> all) {
            all.forEach(this::input);
            return this;
        }

        public Builder format(LogFormat f) {
            this.format = f;
            return this;
        }

        public Builder out(Path dir) {
            this.out = dir;
            return this;
        }

        public Builder parallelism(int p) {
            this.parallelism = p;
            return this;
        }

        public Builder threshold(int t) {
            this.threshold = t;
            return this;
        }

        public Builder bundledRules(boolean on) {
            this.bundledRules = on;
            return this;
        }

        public Builder rulesPath(Path p) {
            return rulesPath(Objects.requireNonNull(p, "rules path").toString());
        }

        /** A rule file, a directory of packs, or {@code pack:NAME} (not a valid {@link Path} on Windows). */
        public Builder rulesPath(String p) {
            rulePaths.add(Objects.requireNonNull(p, "rules path"));
            return this;
        }

        public Builder scored(ScoredOutput s) {
            this.scored = Objects.requireNonNull(s);
            return this;
        }

        public Builder alertFormat(AlertFormatter f) {
            this.alertFormat = Objects.requireNonNull(f);
            return this;
        }

        /** Adds an alert sink, e.g. {@code AlertSinks.parse("syslog+tcp://siem:6514?format=cef")} (repeatable). */
        public Builder alertSink(AlertSinkSpec sink) {
            alertSinks.add(Objects.requireNonNull(sink, "alert sink"));
            return this;
        }

        public Builder includeText(boolean on) {
            this.includeText = on;
            return this;
        }

        public Builder mapping(FieldMapping m) {
            this.mapping = Objects.requireNonNull(m);
            return this;
        }

        public AuditOptions build() {
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no input: give at least one --input file, directory or glob");
            }
            if (out == null) {
                throw new IllegalArgumentException("no output directory: give --out DIR");
            }
            if (splitBytes < 0) {
                throw new IllegalArgumentException("split size must be 0 (automatic) or positive, not " + splitBytes);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1, not " + parallelism);
            }
            if (threshold < 1 || threshold > 100) {
                throw new IllegalArgumentException("--threshold must be 1-100, not " + threshold);
            }
            return new AuditOptions(this);
        }
    }
}
