package io.threatmon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** publish splits its input on bytes, as the audit job reads a log: lines go to Kafka exactly as written. */
class PublishLinesTest {

    @Test
    void shouldSplitOnNewlinesOnlyAndKeepEveryByte() throws IOException {
        byte[] file = {'{', '"', 't', '"', ':', '"', (byte) 0xFF, '"', '}', '\n', '{', '}', '\r', '[', ']', '\r', '\n', 'x'};
        InputStream in = new ByteArrayInputStream(file);
        assertArrayEquals(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xFF, '"', '}'}, PublishCommand.readLine(in),
                "an invalid UTF-8 byte is sent as it is, not replaced by U+FFFD");
        assertArrayEquals(new byte[] {'{', '}', '\r', '[', ']'}, PublishCommand.readLine(in),
                "a lone CR does not split a line; the CR before the newline is dropped");
        assertArrayEquals(new byte[] {'x'}, PublishCommand.readLine(in), "a last line without a newline");
        assertNull(PublishCommand.readLine(in));
    }
}
