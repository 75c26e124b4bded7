package io.voxgate.websocket.twilio.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamAuthenticationTest {

    @Test
    void shouldParseTheLauncherSpellingsOfStreamAuthentication() {
        assertEquals(StreamAuthentication.EITHER, StreamAuthentication.parse("either"));
        assertEquals(StreamAuthentication.BOTH, StreamAuthentication.parse("BOTH"));
        assertThrows(IllegalArgumentException.class, () -> StreamAuthentication.parse("maybe"));
    }

    @Test
    void shouldRequireTheTokenExactlyWhenTheModeSaysSo() {
        assertTrue(StreamAuthentication.EITHER.tokenRequired(false));
        assertFalse(StreamAuthentication.EITHER.tokenRequired(true));
        assertTrue(StreamAuthentication.TOKEN.tokenRequired(true));
        assertTrue(StreamAuthentication.BOTH.tokenRequired(true));
        assertFalse(StreamAuthentication.SIGNATURE.tokenRequired(false));
        assertTrue(StreamAuthentication.SIGNATURE.signatureRequired());
        assertFalse(StreamAuthentication.EITHER.signatureRequired());
    }
}
