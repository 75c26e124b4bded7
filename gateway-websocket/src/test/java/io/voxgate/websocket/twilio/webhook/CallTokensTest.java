package io.voxgate.websocket.twilio.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String CALL = "CA0123456789abcdef0123456789abcdef";
    private final CallTokens tokens = new CallTokens(SECRET, 60);

    @Test
    void shouldVerifyATokenItIssuedUntilItsExpiry() {
        final String token = tokens.issue(CALL, 1_000);
        assertEquals(CallTokens.Verdict.VALID, tokens.verify(CALL, token, 1_000));
        assertEquals(CallTokens.Verdict.VALID, tokens.verify(CALL, token, 1_060));
        assertEquals(CallTokens.Verdict.EXPIRED, tokens.verify(CALL, token, 1_061));
    }

    @Test
    void shouldEmbedTheExpiryInTheVersionedFormat() {
        assertTrue(tokens.issue(CALL, 1_000).startsWith("v1.1060."));
    }

    @Test
    void shouldCallATokenForAnotherCallForged() {
        assertEquals(CallTokens.Verdict.FORGED, tokens.verify("CA999", tokens.issue(CALL, 1_000), 1_000));
    }

    @Test
    void shouldCallATokenWithAnExtendedExpiryForged() {
        final String token = tokens.issue(CALL, 1_000);
        assertEquals(CallTokens.Verdict.FORGED, tokens.verify(CALL, token.replace("v1.1060.", "v1.9999."), 1_000));
    }

    @Test
    void shouldCallATokenFromAnotherSecretForged() {
        final CallTokens other = new CallTokens("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), 60);
        assertEquals(CallTokens.Verdict.FORGED, tokens.verify(CALL, other.issue(CALL, 1_000), 1_000));
    }

    @Test
    void shouldTellMissingFromMalformed() {
        assertEquals(CallTokens.Verdict.MISSING, tokens.verify(CALL, null, 1_000));
        assertEquals(CallTokens.Verdict.MISSING, tokens.verify(CALL, "", 1_000));
        for (final String bad : new String[] {"v1", "v1.", "v2.1060.abc", "v1.x.abc", "v1.1060.***", "garbage"}) {
            assertEquals(CallTokens.Verdict.MALFORMED, tokens.verify(CALL, bad, 1_000), bad);
        }
    }

    @Test
    void shouldRefuseAShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new CallTokens(new byte[8], 60));
    }
}
