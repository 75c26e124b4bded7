package io.voxgate.websocket.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TwilioEdgeConfigTest {

    @Test
    void shouldNormaliseThePublicUrlAndDeriveTheStreamBase() {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder().publicUrl("HTTPS://gw.example.com/").authToken("t").build();
        assertEquals("https://gw.example.com", config.publicUrl().toString());
        assertEquals("wss://gw.example.com", config.mediaUrlBase());
    }

    @Test
    void shouldRefusePublicUrlsThatAreNotSchemeHostPort() {
        for (final String bad : new String[] {"gw.example.com", "ftp://gw.example.com", "https://gw.example.com/app",
            "https://user@gw.example.com", "https://gw.example.com?x=1", "https://"}) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> TwilioEdgeConfig.builder().publicUrl(bad), bad);
            assertTrue(ex.getMessage().contains(bad) || ex.getMessage().contains("public URL"), ex.getMessage());
        }
    }

    @Test
    void shouldRequireTheAuthTokenWhileSignaturesAreChecked() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TwilioEdgeConfig.builder().publicUrl("https://gw.example.com").build());
        assertTrue(ex.getMessage().contains("TWILIO_AUTH_TOKEN"), ex.getMessage());
        assertFalse(TwilioEdgeConfig.builder().publicUrl("https://gw.example.com").signatureValidation(false).build()
            .signatureValidation());
    }

    @Test
    void shouldNameAnOutOfRangeOption() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TwilioEdgeConfig.builder().publicUrl("https://gw.example.com").authToken("t").markIntervalMs(5).build());
        assertTrue(ex.getMessage().startsWith("markIntervalMs"), ex.getMessage());
    }

    @Test
    void shouldNeverShowSecrets() {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder().publicUrl("https://gw.example.com").authToken("s3cr3t-token").build();
        assertFalse(config.toString().contains("s3cr3t"));
    }
}
