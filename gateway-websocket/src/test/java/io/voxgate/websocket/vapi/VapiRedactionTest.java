package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

final class VapiRedactionTest {
    private static final String CALL_ID = "7420f27a-30fd-4f49-a995-5549ae7cc00d";

    @Test
    void shouldCutASocketUrlToSchemeAndHost() {
        assertEquals("connect to wss://api.vapi.ai/<redacted> failed",
            VapiRedaction.redact("connect to wss://api.vapi.ai/" + CALL_ID + "/transport failed"));
    }

    @Test
    void shouldCutPlainWsUrlsWithPortAndQuery() {
        assertEquals("ws://127.0.0.1:4000/<redacted>", VapiRedaction.redact("ws://127.0.0.1:4000/abc/transport?x=1"));
    }

    @Test
    void shouldReplaceBearerTokens() {
        assertEquals("Authorization: Bearer <redacted>", VapiRedaction.redact("Authorization: Bearer sk-123"));
    }

    @Test
    void shouldReplaceGivenSecretsAnywhere() {
        final String text = VapiRedaction.redact("call " + CALL_ID + " key sk-123", CALL_ID, "sk-123", null, "");

        assertFalse(text.contains(CALL_ID));
        assertFalse(text.contains("sk-123"));
    }

    @Test
    void shouldShortenCallIdsForLogs() {
        assertEquals("7420f27a...", VapiRedaction.callIdForLog(CALL_ID));
        assertEquals(VapiRedaction.REDACTED, VapiRedaction.callIdForLog("short"));
        assertEquals("-", VapiRedaction.callIdForLog(null));
    }

    @Test
    void shouldTurnNullIntoEmpty() {
        assertEquals("", VapiRedaction.redact(null));
    }
}
