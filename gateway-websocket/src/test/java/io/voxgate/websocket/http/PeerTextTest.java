package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerTextTest {
    @Test
    void shouldKeepShortPrintableTextAsIs() {
        assertEquals("CA123 stream-error: bad", PeerText.of("CA123 stream-error: bad"));
    }

    @Test
    void shouldReplaceLineBreaksAndEscapesSoNoLineCanBeForged() {
        assertEquals("a??INFO fake??[31m\u00e9?", PeerText.of("a\r\nINFO fake\u0000\u001b[31m\u00e9\u202e"));
    }

    @Test
    void shouldCutLongTextInOneStepAndNoteItsLength() {
        final String text = PeerText.of("x".repeat(60 * 1024));
        assertEquals("x".repeat(PeerText.DEFAULT_MAX_CHARS) + "...(61440 chars)", text);
    }

    @Test
    void shouldNotSplitASurrogatePairAtTheCut() {
        final String text = PeerText.of("ab\uD83D\uDE00cd", 3);
        assertTrue(text.startsWith("ab..."), text);
    }

    @Test
    void shouldSayNullForMissingText() {
        assertEquals("null", PeerText.of(null));
    }
}
