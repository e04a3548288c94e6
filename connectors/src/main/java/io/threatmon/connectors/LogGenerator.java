package io.threatmon.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates realistic conversation logs for demos, tests and benchmarks: conversations of several
 * turns (user, assistant, sometimes a system prompt), many users and apps, three days of
 * timestamps with a working-hours rhythm, mostly benign traffic, and attacks of every category —
 * some hidden mid-conversation, some leaks in assistant replies. Deterministic for a seed.
 *
 * <p>Texts come from {@code generator/corpus.jsonl} (a sample of the shared dev set, licences in
 * {@code generator/NOTICE.md}) and {@code generator/own.jsonl} (the project's own). Small
 * variations (greetings, ticket numbers) make messages unique, as real logs are.
 *
 * <pre>{@code
 * LogGenerator g = new LogGenerator(42, 0.05);
 * try (ConversationLogWriter w = ConversationLogWriter.open(Path.of("logs.jsonl"), LogFormat.JSONL)) {
 *     g.generate(100_000, r -> { try { w.write(r); } catch (IOException e) { throw new UncheckedIOException(e); } });
 * }
 * }</pre>
 */
public final class LogGenerator {

    /** 2026-03-02T00:00:00Z, a Monday: the first day of generated traffic. */
    public static final long START = 1772409600000L;
    public static final int DAYS = 3;

    private static final String[] APPS = {"support-bot", "code-assistant", "hr-helpdesk", "sales-copilot",
        "docs-search", "travel-agent", "finance-analyst", "marketing-writer"};
    private static final String[] MODELS = {"gpt-4o", "claude-sonnet", "llama-3-70b", "mistral-large"};
    private static final String[] GREETINGS = {"", "", "", "Hi, ", "Hello! ", "Quick question: ", "Hey there. ", "Please help: "};
    private static final String[] SYSTEM_PROMPTS = {
        "You are a helpful support assistant for Acme Corp. Be concise and never share internal data.",
        "You are a coding assistant. Answer with working code and short explanations.",
        "You are an HR helpdesk assistant. Only answer questions about company policies."};

    private final SplittableRandom random;
    private final double attackRate;
    private final List<String> benign = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private final List<String[]> attacks = new ArrayList<>();
    private final List<String[]> leaks = new ArrayList<>();

    /**
     * @param seed       the same seed gives the same log
     * @param attackRate fraction of all messages that are attacks or leaks, 0-1
     */
    public LogGenerator(long seed, double attackRate) {
        if (!(attackRate >= 0 && attackRate <= 1)) { // NaN too
            throw new IllegalArgumentException("attack rate must be between 0 and 1, not " + attackRate);
        }
        this.random = new SplittableRandom(seed);
        this.attackRate = attackRate;
        load("generator/corpus.jsonl");
        load("generator/own.jsonl");
    }

    private void load(String resource) {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = LogGenerator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("generator corpus " + resource + " missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                String text = n.get("text").asText();
                String category = n.hasNonNull("category") ? n.get("category").asText() : null;
                switch (n.get("kind").asText()) {
                    case "benign" -> benign.add(text);
                    case "assistant_reply" -> replies.add(text);
                    case "attack" -> attacks.add(new String[] {category, text});
                    case "leak_reply" -> leaks.add(new String[] {category, text});
                    default -> throw new IllegalStateException("unknown kind in " + resource + ": " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Emits {@code messages} records, conversation by conversation, in time order per conversation. */
    public void generate(long messages, Consumer<ConversationRecord> out) {
        int users = (int) Math.max(25, Math.min(50_000, messages / 150));
        long emitted = 0;
        long conversation = 0;
        while (emitted < messages) {
            conversation++;
            String convId = String.format("conv-%07d", conversation);
            String user = String.format("user-%05d", random.nextInt(users));
            int appIndex = random.nextInt(APPS.length);
            String app = APPS[appIndex];
            String model = MODELS[appIndex % MODELS.length];
            long t = START + workingHoursOffset();
            int turns = 2 + random.nextInt(7);
            int turn = 0;
            if (random.nextDouble() < 0.1 && emitted < messages) {
                out.accept(record(convId, ++turn, "system", user, app, model, t, SYSTEM_PROMPTS[appIndex % SYSTEM_PROMPTS.length]));
                emitted++;
            }
            for (int k = 0; k < turns && emitted < messages; k++) {
                boolean userTurn = k % 2 == 0;
                t += 5_000 + random.nextInt(90_000);
                String text;
                String role;
                if (userTurn) {
                    role = "user";
                    // About half of the messages are user turns, so attacks there are twice as likely.
                    text = random.nextDouble() < Math.min(1.0, attackRate * 2 * 0.9)
                            ? vary(attacks.get(random.nextInt(attacks.size()))[1])
                            : vary(benign.get(random.nextInt(benign.size())));
                } else {
                    role = random.nextDouble() < 0.03 ? "tool" : "assistant";
                    // Past a rate of 0.55 every user turn is an attack; the replies take the rest.
                    double replyRate = attackRate * 2 * 0.9 <= 1.0 ? attackRate * 2 * 0.1 : Math.min(1.0, 2 * attackRate - 1.0);
                    text = random.nextDouble() < replyRate
                            ? leaks.get(random.nextInt(leaks.size()))[1]
                            : replies.get(random.nextInt(replies.size())) + ticket();
                }
                out.accept(record(convId, ++turn, role, user, app, model, t, text));
                emitted++;
            }
        }
    }

    /** A time over three days, weighted towards 08:00-18:00 UTC on working days. */
    private long workingHoursOffset() {
        int day = random.nextInt(DAYS);
        int hour = random.nextDouble() < 0.8 ? 8 + random.nextInt(10) : random.nextInt(24);
        return day * 86_400_000L + hour * 3_600_000L + random.nextInt(3_600_000);
    }

    private String vary(String text) {
        return GREETINGS[random.nextInt(GREETINGS.length)] + text + ticket();
    }

    private String ticket() {
        return random.nextDouble() < 0.7 ? " (ref " + (10_000 + random.nextInt(90_000)) + ")" : "";
    }

    private static ConversationRecord record(String conv, int turn, String role, String user, String app, String model,
            long t, String text) {
        ConversationRecord r = new ConversationRecord();
        r.timestamp = t;
        r.conversationId = conv;
        r.messageId = conv + "-" + turn;
        r.role = role;
        r.user = user;
        r.app = app;
        r.model = model;
        r.text = text;
        return r;
    }
}
