package io.threatmon.connectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineChunksTest {

    @TempDir
    Path dir;

    /** A log with valid records, blank lines, CRLF endings, broken JSON and no final newline. */
    private Path messyLog() throws IOException {
        Random random = new Random(11);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            switch (random.nextInt(8)) {
                case 0 -> b.append('\n');
                case 1 -> b.append("{\"text\":\"broken");
                case 2 -> b.append("   ");
                default -> b.append("{\"text\":\"message ").append(i).append(" ").append("x".repeat(random.nextInt(120)))
                        .append("\",\"user\":\"u").append(i % 7).append("\"}");
            }
            if (i < 299) {
                b.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
            }
        }
        Path p = dir.resolve("messy.jsonl");
        Files.writeString(p, b.toString(), StandardCharsets.UTF_8);
        return p;
    }

    private static String describe(ParsedRecord p) {
        return p.isValid()
                ? p.record.line + " " + p.record.text + " " + p.record.user
                : p.deadLetter.line + " dead: " + p.deadLetter.reason;
    }

    @ParameterizedTest(name = "target {0} bytes")
    @ValueSource(longs = {1, 7, 64, 1_000, 5_000, 1_000_000})
    void chunksShouldTileTheFileAtLineStartsAndReadBackAsTheWholeFile(long target) throws IOException {
        Path log = messyLog();
        byte[] bytes = Files.readAllBytes(log);
        List<LineChunks.Chunk> chunks = LineChunks.of(log, target);

        long expectedOffset = 0;
        for (LineChunks.Chunk c : chunks) {
            assertEquals(expectedOffset, c.offset(), "chunks are contiguous");
            assertTrue(c.length() > 0);
            assertTrue(c.offset() == 0 || bytes[(int) c.offset() - 1] == '\n', "a chunk starts at a line start");
            long newlinesBefore = 0;
            for (int i = 0; i < c.offset(); i++) {
                newlinesBefore += bytes[i] == '\n' ? 1 : 0;
            }
            assertEquals(newlinesBefore + 1, c.firstLine(), "first line number of the chunk at " + c.offset());
            assertEquals(bytes.length, c.fileSize());
            expectedOffset += c.length();
        }
        assertEquals(bytes.length, expectedOffset, "chunks cover the whole file");
        if (target >= bytes.length) {
            assertEquals(1, chunks.size());
        } else {
            assertTrue(chunks.size() > 1);
        }

        List<String> whole = new ArrayList<>();
        try (LogReader r = LogReaders.open(log, LogFormat.JSONL, FieldMapping.defaults())) {
            for (ParsedRecord p; (p = r.next()) != null; ) {
                whole.add(describe(p));
            }
        }
        List<String> chunked = new ArrayList<>();
        for (LineChunks.Chunk c : chunks) {
            InputStream in = Files.newInputStream(log);
            in.skipNBytes(c.offset());
            InputStream limited = new java.io.ByteArrayInputStream(in.readNBytes((int) c.length()));
            in.close();
            try (LogReader r = LogReaders.jsonLinesChunk(limited, log.toString(), FieldMapping.defaults(), c.firstLine())) {
                for (ParsedRecord p; (p = r.next()) != null; ) {
                    chunked.add(describe(p));
                }
            }
        }
        assertEquals(whole, chunked);
        assertTrue(whole.stream().anyMatch(s -> s.contains("dead:")), "the fixture has dead letters");
    }

    @Test
    void anEmptyFileHasNoChunksAndTheTargetMustBePositive() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        assertEquals(List.of(), LineChunks.of(empty, 10));
        assertThrows(IllegalArgumentException.class, () -> LineChunks.of(empty, 0));
    }

    @Test
    void aLineLongerThanTheTargetStaysInOneChunk() throws IOException {
        Path log = dir.resolve("long.jsonl");
        String longLine = "{\"text\":\"" + "y".repeat(500) + "\"}";
        Files.writeString(log, "{\"text\":\"a\"}\n" + longLine + "\n{\"text\":\"b\"}\n");
        List<LineChunks.Chunk> chunks = LineChunks.of(log, 20);
        // The first line (13 bytes) is short of the target, so the chunk runs on to the end of the
        // long line; the cut comes only at a line end.
        assertEquals(List.of(0L, 13L + longLine.length() + 1), chunks.stream().map(LineChunks.Chunk::offset).toList());
        assertEquals(List.of(1L, 3L), chunks.stream().map(LineChunks.Chunk::firstLine).toList());
    }
}
