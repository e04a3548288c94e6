package io.threatmon.reports;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the audit run was: inputs, when it started and how long it took, engine and rule-pack
 * versions, threshold and options. The time range of the data itself is computed by
 * {@link AuditAccumulator} and goes into the report next to this.
 *
 * <pre>{@code
 * RunMetadata run = RunMetadata.builder()
 *         .inputs(List.of("logs/2025-05-01.jsonl"))
 *         .startedAt(start).durationMs(elapsed)
 *         .engineVersion(Version.ENGINE).rulePack("prompt_injection", "1.0.0")
 *         .threshold(70).parallelism(8).format("jsonl")
 *         .categoryTags(Map.of("prompt_injection", List.of("LLM01:2025", "AML.T0051.000")))
 *         .build();
 * }</pre>
 *
 * @param title            report title
 * @param inputs           input files, directories or topics, as given
 * @param startedAt        when the run started, or null if unknown
 * @param durationMs       wall-clock duration of the run
 * @param engineVersion    version of the scoring engine
 * @param rulePacks        rule packs loaded, with versions
 * @param threshold        risk score at and above which a message is a threat (0-100)
 * @param parallelism      parallel scoring tasks
 * @param includeText      whether the full message text was kept ({@code --include-text})
 * @param categoryTags     category → OWASP LLM Top 10 / MITRE ATLAS ids, shown next to each category
 * @param format           input format (jsonl, csv, parquet, …), or null
 * @param scoredOutput     where every scored message was written, or null
 * @param deadLetterOutput where unreadable records were written, or null
 */
public record RunMetadata(
        String title,
        List<String> inputs,
        Instant startedAt,
        long durationMs,
        String engineVersion,
        List<RulePack> rulePacks,
        int threshold,
        int parallelism,
        boolean includeText,
        Map<String, List<String>> categoryTags,
        String format,
        String scoredOutput,
        String deadLetterOutput) implements Serializable {

    public static final String DEFAULT_TITLE = "ThreatMon audit report";
    public static final int DEFAULT_THRESHOLD = 70;

    /** A rule pack and its version. */
    public record RulePack(String name, String version) implements Serializable {
        public RulePack {
            Objects.requireNonNull(name, "rule pack name");
        }
    }

    public RunMetadata {
        Objects.requireNonNull(title, "title");
        inputs = List.copyOf(inputs);
        rulePacks = List.copyOf(rulePacks);
        Map<String, List<String>> tags = new LinkedHashMap<>();
        categoryTags.forEach((k, v) -> tags.put(k, List.copyOf(v)));
        categoryTags = java.util.Collections.unmodifiableMap(tags);
    }

    /** The OWASP/ATLAS ids of a category, empty when none are known. */
    public List<String> tagsOf(String category) {
        return categoryTags.getOrDefault(category, List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunMetadata}; everything is optional, {@link #build()} checks the values. */
    public static final class Builder {
        private String title = DEFAULT_TITLE;
        private final List<String> inputs = new ArrayList<>();
        private Instant startedAt;
        private long durationMs;
        private String engineVersion;
        private final List<RulePack> rulePacks = new ArrayList<>();
        private int threshold = DEFAULT_THRESHOLD;
        private int parallelism = 1;
        private boolean includeText;
        private final Map<String, List<String>> categoryTags = new LinkedHashMap<>();
        private String format;
        private String scoredOutput;
        private String deadLetterOutput;

        private Builder() {}

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder inputs(List<String> inputs) {
            this.inputs.clear();
            this.inputs.addAll(inputs);
            return this;
        }

        public Builder input(String input) {
            this.inputs.add(input);
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder engineVersion(String engineVersion) {
            this.engineVersion = engineVersion;
            return this;
        }

        public Builder rulePacks(List<RulePack> rulePacks) {
            this.rulePacks.clear();
            this.rulePacks.addAll(rulePacks);
            return this;
        }

        public Builder rulePack(String name, String version) {
            this.rulePacks.add(new RulePack(name, version));
            return this;
        }

        public Builder threshold(int threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Builder includeText(boolean includeText) {
            this.includeText = includeText;
            return this;
        }

        public Builder categoryTags(Map<String, List<String>> categoryTags) {
            this.categoryTags.clear();
            this.categoryTags.putAll(categoryTags);
            return this;
        }

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder scoredOutput(String scoredOutput) {
            this.scoredOutput = scoredOutput;
            return this;
        }

        public Builder deadLetterOutput(String deadLetterOutput) {
            this.deadLetterOutput = deadLetterOutput;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range, saying which and what is allowed */
        public RunMetadata build() {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("title must not be blank; leave it unset for \"" + DEFAULT_TITLE + "\"");
            }
            if (threshold < 0 || threshold > 100) {
                throw new IllegalArgumentException("threshold must be between 0 and 100, was " + threshold);
            }
            if (durationMs < 0) {
                throw new IllegalArgumentException("durationMs must not be negative, was " + durationMs);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
            }
            if (inputs.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("inputs must not contain null");
            }
            categoryTags.forEach((category, tags) -> {
                if (category == null || tags == null || tags.stream().anyMatch(Objects::isNull)) {
                    throw new IllegalArgumentException("categoryTags must map non-null categories to lists of non-null ids");
                }
            });
            return new RunMetadata(title, inputs, startedAt, durationMs, engineVersion, rulePacks, threshold,
                    parallelism, includeText, categoryTags, format, scoredOutput, deadLetterOutput);
        }
    }
}
