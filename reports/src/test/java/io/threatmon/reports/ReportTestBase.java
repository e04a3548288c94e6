package io.threatmon.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Named builders for scored messages, run metadata and a small fixture day shared by the report tests. */
abstract class ReportTestBase {

    static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");
    static final int THRESHOLD = 70;
    static final List<String> CATEGORIES = List.of("prompt_injection", "jailbreak", "data_exfiltration",
            "system_prompt_extraction", "obfuscation");

    static MessageBuilder message() {
        return new MessageBuilder();
    }

    static RunMetadata run() {
        return RunMetadata.builder()
                .input("logs/2025-05-01.jsonl")
                .startedAt(Instant.parse("2025-05-02T03:00:00Z"))
                .durationMs(83_000)
                .engineVersion("0.1.0")
                .rulePack("prompt_injection", "1.0.0")
                .rulePack("jailbreak", "1.0.0")
                .threshold(THRESHOLD)
                .parallelism(4)
                .format("jsonl")
                .categoryTags(Map.of("prompt_injection", List.of("LLM01:2025", "AML.T0051.000"),
                        "jailbreak", List.of("LLM01:2025", "AML.T0054")))
                .build();
    }

    /**
     * Ten messages over three hours: alice sends two prompt injections (risk 92, 85) and one benign
     * message; bob one jailbreak (75) and one benign; carol three benign; one untimed message without
     * user or conversation; one benign assistant answer.
     */
    static List<ScoredMessage> fixtureDay() {
        return List.of(
                message().line(1).at(0, 5).user("alice").app("support-bot").conversation("c1")
                        .threat("prompt_injection", 92, "pi.ignore_previous", "spe.reveal_system_prompt").build(),
                message().line(2).at(0, 6).user("alice").app("support-bot").conversation("c1").risk(10).build(),
                message().line(3).at(0, 7).user("alice").app("support-bot").conversation("c1").role("assistant")
                        .risk(0).build(),
                message().line(4).at(1, 0).user("alice").app("hr-bot").conversation("c2")
                        .threat("prompt_injection", 85, "pi.ignore_previous").build(),
                message().line(5).at(1, 10).user("bob").app("hr-bot").conversation("c3")
                        .threat("jailbreak", 75, "jb.dan").build(),
                message().line(6).at(1, 20).user("bob").app("hr-bot").conversation("c3").risk(45, "jb.dan").build(),
                message().line(7).at(2, 0).user("carol").app("support-bot").conversation("c4").risk(5).build(),
                message().line(8).at(2, 1).user("carol").app("support-bot").conversation("c4").risk(20).build(),
                message().line(9).at(2, 59).user("carol").app("support-bot").conversation("c4").risk(99 - 99).build(),
                message().line(10).untimed().risk(30).build());
    }

    /** A reproducible random message: a few users, apps, conversations and categories, over about four days. */
    static ScoredMessage randomMessage(Random rnd, int line) {
        MessageBuilder b = message().source("part-" + rnd.nextInt(3) + ".jsonl").line(line)
                .user(rnd.nextInt(20) == 0 ? null : "user-" + rnd.nextInt(40))
                .app("app-" + rnd.nextInt(6))
                .role(rnd.nextInt(4) == 0 ? "assistant" : "user")
                .conversation(rnd.nextInt(30) == 0 ? null : "conv-" + rnd.nextInt(120));
        if (rnd.nextInt(15) == 0) {
            b.untimed();
        } else {
            b.atMinute(rnd.nextInt(4 * 24 * 60));
        }
        if (rnd.nextInt(4) == 0) {
            String category = CATEGORIES.get(rnd.nextInt(CATEGORIES.size()));
            b.threat(category, THRESHOLD + rnd.nextInt(31), category.substring(0, 3) + ".r" + rnd.nextInt(5));
        } else {
            b.risk(rnd.nextInt(THRESHOLD), rnd.nextInt(3) == 0 ? "weak.r" + rnd.nextInt(4) : null);
        }
        b.m.analysisMicros = rnd.nextInt(200);
        return b.build();
    }

    static List<ScoredMessage> randomMessages(long seed, int count) {
        Random rnd = new Random(seed);
        List<ScoredMessage> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(randomMessage(rnd, i + 1));
        }
        return out;
    }

    static AuditAccumulator accumulate(List<ScoredMessage> messages) {
        AuditAccumulator acc = new AuditAccumulator();
        messages.forEach(acc::add);
        return acc;
    }

    static String riskLevel(int risk) {
        return risk <= 20 ? "very_low" : risk <= 40 ? "low" : risk <= 60 ? "medium" : risk <= 80 ? "high" : "critical";
    }

    static final class MessageBuilder {
        final ScoredMessage m = new ScoredMessage();

        MessageBuilder() {
            m.source = "logs/2025-05-01.jsonl";
            m.role = "user";
            m.riskLevel = "very_low";
            m.action = "allow";
            m.detectionMethod = "none";
        }

        MessageBuilder source(String source) {
            m.source = source;
            return this;
        }

        MessageBuilder line(long line) {
            m.line = line;
            m.messageId = "m" + line;
            return this;
        }

        MessageBuilder at(int hour, int minute) {
            return atMinute(hour * 60 + minute);
        }

        MessageBuilder atMinute(long minutes) {
            m.timestamp = T0.plus(Duration.ofMinutes(minutes)).toEpochMilli();
            return this;
        }

        MessageBuilder untimed() {
            m.timestamp = ScoredMessage.NO_TIME;
            return this;
        }

        MessageBuilder user(String user) {
            m.user = user;
            return this;
        }

        MessageBuilder app(String app) {
            m.app = app;
            return this;
        }

        MessageBuilder role(String role) {
            m.role = role;
            return this;
        }

        MessageBuilder conversation(String id) {
            m.conversationId = id;
            return this;
        }

        MessageBuilder excerpt(String excerpt) {
            m.excerpt = excerpt;
            return this;
        }

        MessageBuilder text(String text) {
            m.text = text;
            return this;
        }

        /** A message below the threshold, optionally with a rule that fired weakly. */
        MessageBuilder risk(int risk, String... rules) {
            m.riskScore = risk;
            m.riskLevel = riskLevel(risk);
            m.threat = false;
            m.matchedRules = java.util.Arrays.stream(rules).filter(java.util.Objects::nonNull).toArray(String[]::new);
            m.excerpt = "benign text " + m.line;
            return this;
        }

        MessageBuilder threat(String category, int risk, String... rules) {
            m.riskScore = risk;
            m.riskLevel = riskLevel(risk);
            m.threat = true;
            m.threatType = category;
            m.threatTypes = new String[] {category};
            m.matchedRules = rules;
            m.action = "block";
            m.detectionMethod = "rules";
            m.excerpt = "attack " + category + " at line " + m.line;
            return this;
        }

        ScoredMessage build() {
            return m;
        }
    }
}
