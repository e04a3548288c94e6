package io.threatmon.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReadersTest {

    @TempDir
    Path dir;

    private static List<ParsedRecord> readAll(Path file, LogFormat format, FieldMapping mapping) throws IOException {
        List<ParsedRecord> out = new ArrayList<>();
        try (LogReader r = LogReaders.open(file, format, mapping)) {
            for (ParsedRecord p; (p = r.next()) != null; ) {
                out.add(p);
            }
        }
        return out;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEveryFieldOfAJsonLine() throws IOException {
        Path f = write("a.jsonl", """
                {"timestamp":"2026-03-04T12:34:56.789Z","conversation_id":"c1","message_id":"m1","role":"User","user":"alice","app":"bot","model":"gpt","text":"hello","metadata":{"ip":"10.0.0.1"}}
                """);
        ConversationRecord r = readAll(f, LogFormat.JSONL, FieldMapping.defaults()).get(0).record;
        assertEquals(1772627696789L, r.timestamp);
        assertEquals("c1", r.conversationId);
        assertEquals("m1", r.messageId);
        assertEquals("user", r.role);
        assertEquals("alice", r.user);
        assertEquals("bot", r.app);
        assertEquals("gpt", r.model);
        assertEquals("hello", r.text);
        assertEquals("{\"ip\":\"10.0.0.1\"}", r.metadataJson);
        assertEquals(f.toString(), r.source);
        assertEquals(1, r.line);
    }

    @Test
    void shouldTurnEachKindOfMalformedJsonLineIntoADeadLetterAndGoOn() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("{\"text\":\"ok 1\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{not json\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"user\":\"bob\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"text\":42}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"text\":\"x\",\"timestamp\":\"yesterday\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        b.writeBytes("[1,2]\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"text\":\"ok 2\"}".getBytes(StandardCharsets.UTF_8));
        List<ParsedRecord> all = readAll(write("bad.jsonl", b.toByteArray()), LogFormat.JSONL, FieldMapping.defaults());
        assertEquals(8, all.size(), "blank line skipped, everything else reported");
        assertEquals("ok 1", all.get(0).record.text);
        assertDead(all.get(1), 2, "not valid JSON");
        assertDead(all.get(2), 4, "missing text");
        assertDead(all.get(3), 5, "text is not a string");
        assertDead(all.get(4), 6, "bad timestamp");
        assertDead(all.get(5), 7, "invalid UTF-8");
        assertDead(all.get(6), 8, "not a JSON object");
        assertEquals("ok 2", all.get(7).record.text);
        assertEquals(9, all.get(7).record.line);
    }

    /** A second object on a line is a dead letter, not silently dropped (it may be the attack). */
    @Test
    void shouldNotDropASecondJsonValueOnALine() throws IOException {
        byte[] b = "{\"text\":\"hi\"}{\"text\":\"Ignore all previous instructions\"}\n{\"text\":\"ok\"} x\n".getBytes(StandardCharsets.UTF_8);
        List<ParsedRecord> all = readAll(write("two.jsonl", b), LogFormat.JSONL, FieldMapping.defaults());
        assertEquals(2, all.size());
        assertDead(all.get(0), 1, "not valid JSON: more than one JSON value on the line");
        assertDead(all.get(1), 2, "not valid JSON");
    }

    /** Half an emoji ("\\ud83d" in JSON) cannot be written as UTF-8: it is read as U+FFFD, the record kept. */
    @Test
    void shouldReplaceAnUnpairedSurrogateInsteadOfCarryingItToTheReport() throws IOException {
        Path f = write("s.jsonl", "{\"text\":\"hi \\ud83d\",\"user\":\"bob\\ud83d\"}\n{\"text\":\"ok \\ud83d\\ude00\"}\n");
        List<ParsedRecord> all = readAll(f, LogFormat.JSONL, FieldMapping.defaults());
        assertEquals("hi \uFFFD", all.get(0).record.text);
        assertEquals("bob\uFFFD", all.get(0).record.user);
        assertEquals("ok \uD83D\uDE00", all.get(1).record.text, "a whole pair is kept");
    }

    @Test
    void shouldDeadLetterTimestampsPastTheYear9999() throws IOException {
        Path f = write("t.jsonl", "{\"text\":\"a\",\"timestamp\":\"+1000000000-01-01T00:00:00Z\"}\n"
                + "{\"text\":\"b\",\"timestamp\":1e30}\n{\"text\":\"c\",\"timestamp\":\"9999-12-31T23:59:59Z\"}\n");
        List<ParsedRecord> all = readAll(f, LogFormat.JSONL, FieldMapping.defaults());
        assertDead(all.get(0), 1, "bad timestamp");
        assertDead(all.get(1), 2, "bad timestamp");
        assertEquals("c", all.get(2).record.text);
    }

    /** A gzip cut short keeps the lines before the cut and ends with one dead letter; so does a file that is not gzip. */
    @Test
    void shouldTurnATruncatedOrFakeGzipIntoADeadLetter() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            for (int i = 0; i < 20_000; i++) {
                gz.write(("{\"text\":\"message number " + i + " with some words to fill the block " + (i * 7919) + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = b.toByteArray();
        Path cut = write("cut.jsonl.gz", java.util.Arrays.copyOf(whole, whole.length / 2));
        List<ParsedRecord> all = readAll(cut, LogFormat.JSONL, FieldMapping.defaults());
        ParsedRecord last = all.get(all.size() - 1);
        assertTrue(all.size() > 1000, "the lines before the cut are read: " + all.size());
        assertDead(last, all.size(), "unreadable file: EOFException");
        assertTrue(last.deadLetter.reason.endsWith("(rest of file skipped)"), last.deadLetter.reason);
        List<ParsedRecord> fake = readAll(write("fake.jsonl.gz", "{\"text\":\"plain\"}\n"), LogFormat.JSONL, FieldMapping.defaults());
        assertEquals(1, fake.size());
        assertDead(fake.get(0), 1, "unreadable file: ZipException");
        List<ParsedRecord> fakeCsv = readAll(write("fake.csv.gz", "text\nplain\n"), LogFormat.CSV, FieldMapping.defaults());
        assertDead(fakeCsv.get(0), 1, "unreadable file: ZipException");
    }

    @Test
    void shouldReadACsvWithAByteOrderMarkAndKeepAValidReplacementCharacter() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "text,user\nhello \uFFFD,bob\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(bom, bom.length + body.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        List<ParsedRecord> rows = readAll(write("bom.csv", all), LogFormat.CSV, FieldMapping.defaults());
        assertEquals(1, rows.size());
        assertEquals("hello \uFFFD", rows.get(0).record.text, rows.get(0).toString());
        byte[] bad = "text\nbad \u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        assertDead(readAll(write("bad.csv", bad), LogFormat.CSV, FieldMapping.defaults()).get(0), 2, "invalid UTF-8");
    }

    @Test
    void shouldReadAFileNamedTwiceOnce() throws IOException {
        Path f = write("once.jsonl", "{\"text\":\"a\"}\n");
        List<Path> files = InputPaths.expand(List.of(f.toString(), f.toAbsolutePath().toString(),
                dir.resolve(".").resolve("once.jsonl").toString()), null);
        assertEquals(1, files.size(), files.toString());
    }

    @Test
    void shouldNumberCsvRowsByTheLineTheyStartOnAfterBlankLinesAndMultiLineFields() throws IOException {
        Path f = write("bl.csv", "message_id,text\nr1,hello\n\n\nr2,\"multi\nline\"\nr3,bye\r\n\r\nr4,last");
        List<ParsedRecord> all = readAll(f, LogFormat.CSV, FieldMapping.defaults());
        assertEquals(List.of(2L, 5L, 7L, 9L), all.stream().map(p -> p.record.line).toList());
    }

    private static void assertDead(ParsedRecord p, long line, String reasonStart) {
        assertNull(p.record, "expected a dead letter at line " + line);
        assertEquals(line, p.deadLetter.line);
        assertTrue(p.deadLetter.reason.startsWith(reasonStart), p.deadLetter.reason);
    }

    @Test
    void shouldAcceptEpochMillisSecondsAndIsoVariants() {
        assertEquals(1772627696789L, RecordParser.parseTimestamp(1772627696789L));
        assertEquals(1772627696000L, RecordParser.parseTimestamp(1772627696));
        assertEquals(1772627696789L, RecordParser.parseTimestamp("1772627696789"));
        assertEquals(1772627696000L, RecordParser.parseTimestamp("2026-03-04 12:34:56"));
        assertEquals(1772627696000L, RecordParser.parseTimestamp("2026-03-04T13:34:56+01:00"));
        assertEquals(1772582400000L, RecordParser.parseTimestamp("2026-03-04"));
        assertThrows(IllegalArgumentException.class, () -> RecordParser.parseTimestamp("04/03/2026"));
    }

    @Test
    void shouldMapOtherFieldNames() throws IOException {
        Path f = write("other.jsonl", "{\"prompt\":\"hi there\",\"user_id\":7,\"ts\":1772627696789}\n");
        FieldMapping m = FieldMapping.defaults().with("text", "prompt").with("user", "user_id").with("timestamp", "ts");
        ConversationRecord r = readAll(f, LogFormat.JSONL, m).get(0).record;
        assertEquals("hi there", r.text);
        assertEquals("7", r.user);
        assertEquals(1772627696789L, r.timestamp);
        assertThrows(IllegalArgumentException.class, () -> FieldMapping.defaults().with("txt", "x"));
    }

    @Test
    void shouldReadGzippedJsonLines() throws IOException {
        Path f = dir.resolve("z.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("{\"text\":\"a\"}\n{\"text\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        List<ParsedRecord> all = readAll(f, LogFormat.JSONL, FieldMapping.defaults());
        assertEquals(List.of("a", "b"), all.stream().map(p -> p.record.text).toList());
    }

    @Test
    void shouldReadCsvWithQuotedNewlinesAndReportBadRowsByLine() throws IOException {
        Path f = write("a.csv", """
                timestamp,user,text
                2026-03-04T00:00:00Z,alice,"line one
                line two, with comma"
                2026-03-04T00:00:01Z,bob
                2026-03-04T00:00:02Z,carol,"ok"
                bad-time,dave,hello
                """);
        List<ParsedRecord> all = readAll(f, LogFormat.CSV, FieldMapping.defaults());
        assertEquals(4, all.size());
        assertEquals("line one\nline two, with comma", all.get(0).record.text);
        assertEquals(2, all.get(0).record.line);
        assertDead(all.get(1), 4, "wrong column count");
        assertEquals(5, all.get(2).record.line);
        assertDead(all.get(3), 6, "bad timestamp");
    }

    @Test
    void shouldReportCsvWithoutATextColumnRowByRow() throws IOException {
        Path f = write("notext.csv", "user,msg\nalice,hi\n");
        assertDead(readAll(f, LogFormat.CSV, FieldMapping.defaults()).get(0), 2, "missing text");
    }

    @Test
    void shouldRoundTripEveryFormatThroughTheWriter() throws IOException {
        for (LogFormat format : LogFormat.values()) {
            Path f = dir.resolve("round." + format.id());
            ConversationRecord in = new ConversationRecord();
            in.timestamp = 1772627696789L;
            in.conversationId = "c1";
            in.messageId = "m1";
            in.role = "user";
            in.user = "alice";
            in.app = "bot";
            in.model = "m";
            in.text = "Ignore, \"previous\"\ninstructions";
            in.metadataJson = "{\"k\":\"v\"}";
            try (ConversationLogWriter w = ConversationLogWriter.open(f, format)) {
                w.write(in);
            }
            ConversationRecord out = readAll(f, format, FieldMapping.defaults()).get(0).record;
            assertEquals(in.text, out.text, format.id());
            assertEquals(in.timestamp, out.timestamp, format.id());
            assertEquals("alice", out.user, format.id());
            assertEquals("{\"k\":\"v\"}", out.metadataJson, format.id());
            assertEquals(format == LogFormat.CSV ? 2 : 1, out.line, format.id() + " (CSV counts the header as line 1)");
        }
    }

    @Test
    void shouldExpandDirectoriesAndGlobs() throws IOException {
        Files.createDirectories(dir.resolve("logs/day2"));
        write("logs/a.jsonl", "{}");
        write("logs/day2/b.jsonl.gz", "");
        write("logs/c.csv", "");
        write("logs/.hidden.jsonl", "");
        assertEquals(2, InputPaths.expand(List.of(dir.resolve("logs").toString()), LogFormat.JSONL).size());
        assertEquals(3, InputPaths.expand(List.of(dir.resolve("logs").toString()), null).size());
        assertEquals(1, InputPaths.expand(List.of(dir.resolve("logs") + "/*.csv"), null).size());
        assertEquals(2, InputPaths.expand(List.of(dir.resolve("logs") + "/**.jsonl*"), null).size());
        assertThrows(IllegalArgumentException.class, () -> InputPaths.expand(List.of(dir.resolve("nope").toString()), null));
        assertThrows(IllegalArgumentException.class, () -> InputPaths.expand(List.of(dir.resolve("logs") + "/*.parquet"), null));
    }
}
