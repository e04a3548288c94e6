package io.threatmon.connectors.siem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format yields exactly one line whatever the alert's text holds, because the file sink writes
 * one event per line and syslog over TCP may be LF-framed: a raw CR or LF would split an event in
 * two. Tricky text goes into every free-text field at once, including the category and rule id.
 */
class OneLineEventTest extends SiemTestBase {

    static List<String> formats() {
        return AlertFormatter.NAMES;
    }

    private static Alert trickyEverywhere() {
        return reference().category("prompt\ninjection|x=y\r\\").rules(List.of("rule\n" + TRICKY), List.of(TRICKY))
                .user(TRICKY).app(TRICKY).model(TRICKY).conversation(TRICKY).excerpt(TRICKY).build();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void shouldWriteOneLineWithoutRawLineBreaks(String format) {
        String event = AlertFormatter.parse(format).format(trickyEverywhere());
        assertFalse(event.contains("\n"), format + ": " + event);
        assertFalse(event.contains("\r"), format + ": " + event);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void shouldKeepNonAsciiTextIntactAsUtf8(String format) {
        String event = AlertFormatter.parse(format).format(reference().user("Привет 🚀").excerpt("Привет 🚀").build());
        String roundTrip = new String(event.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(event, roundTrip);
        assertTrue(event.contains("Привет 🚀") || event.contains("\\u"), format + " should carry the text: " + event);
    }
}
