package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketClosingTest {
    @Test
    void shouldKeepAShortReason() {
        assertEquals("stream stopped", WebSocketClosing.truncate("stream stopped"));
    }

    @Test
    void shouldCutAHugeReasonToTheControlFrameLimitInOneStep() {
        // Cut one character at a time, a 1 MiB reason took minutes; in one step it takes microseconds.
        final String cut = assertTimeoutPreemptively(Duration.ofSeconds(5),
            () -> WebSocketClosing.truncate("y".repeat(1 << 20)));
        assertEquals(WebSocketClosing.MAX_REASON_BYTES, cut.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldNotSplitAMultiByteCharacterAtTheLimit() {
        final String cut = WebSocketClosing.truncate("\u20ac".repeat(100));
        assertEquals(41, cut.length());
        assertEquals("\u20ac".repeat(41), cut);
    }

    @Test
    void shouldTreatAMissingReasonAsEmpty() {
        assertEquals("", WebSocketClosing.truncate(null));
    }
}
