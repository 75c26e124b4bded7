package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class VapiConfigTest {
    private static final String KEY = "sk-live-0123456789";

    @Test
    void shouldTakeKeyAndAssistantFromTheEnvironment() {
        final VapiConfig config = VapiConfig.builder().environment(Map.of("VAPI_API_KEY", KEY, "VAPI_ASSISTANT_ID", "asst-9")).build();

        assertEquals(KEY, config.apiKey());
        assertEquals("asst-9", config.assistant().id());
        assertEquals("https://api.vapi.ai", config.apiUrl().toString());
        assertEquals(AudioFormat.MULAW_8K, config.audioFormat());
    }

    @Test
    void shouldNeverPrintTheKey() {
        assertFalse(valid().build().toString().contains(KEY));
    }

    @Test
    void shouldNameTheMissingKey() {
        assertMessageNames("VAPI_API_KEY", VapiConfig.builder().assistantId("a"));
    }

    @Test
    void shouldNameTheMissingAssistant() {
        assertMessageNames("VAPI_ASSISTANT_ID", VapiConfig.builder().apiKey(KEY));
    }

    @Test
    void shouldRefuseBothAnAssistantIdAndAnInlineAssistant() {
        assertMessageNames("vapi.assistant", valid().assistantJson("{\"name\":\"x\"}"));
    }

    @Test
    void shouldRefuseAnInlineAssistantThatIsNotAnObject() {
        assertMessageNames("vapi.assistant", VapiConfig.builder().apiKey(KEY).assistantJson("[1]"));
    }

    @Test
    void shouldAcceptAnInlineAssistant() {
        final VapiConfig config = VapiConfig.builder().apiKey(KEY).assistantJson("{\"firstMessage\":\"Hi\"}").build();

        assertFalse(config.assistant().isSaved());
        assertEquals("Hi", config.assistant().inlineJson().path("firstMessage").asText());
    }

    @Test
    void shouldRefuseAnApiUrlThatIsNotHttp() {
        assertMessageNames("--vapi-api-url", valid().apiUrl("ftp://api.vapi.ai"));
        assertMessageNames("--vapi-api-url", valid().apiUrl("not a url"));
    }

    @Test
    void shouldDropATrailingSlashFromTheApiUrl() {
        assertEquals("http://127.0.0.1:4000", valid().apiUrl("http://127.0.0.1:4000/").build().apiUrl().toString());
        final IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
            () -> valid().apiUrl("http://api.vapi.ai").build());
        assertTrue(plain.getMessage().contains("must be https://"), plain.getMessage());
    }

    @Test
    void shouldRefuseALawBecauseVapiDoesNotSpeakIt() {
        assertMessageNames("--agent-format", valid().audioFormat(AudioFormat.ALAW_8K));
    }

    @Test
    void shouldAcceptPcm16At24kHz() {
        assertEquals("pcm_s16le", valid().audioFormat(AudioFormat.PCM16_24K).build().vapiFormatName());
    }

    @Test
    void shouldRefuseADeadlineOutOfRange() {
        assertMessageNames("vapi.connect-deadline-ms", valid().connectDeadlineMs(100));
    }

    @Test
    void shouldRefuseAnAttemptTimeoutLongerThanTheDeadline() {
        assertMessageNames("vapi.create-attempt-timeout-ms", valid().connectDeadlineMs(1_000).createAttemptTimeoutMs(2_000));
    }

    @Test
    void shouldBoundTheIdleApiConnections() {
        assertMessageNames("vapi.api-max-idle-connections", valid().apiMaxIdleConnections(-1));
        assertMessageNames("vapi.api-max-idle-connections", valid().apiMaxIdleConnections(1_025));
        assertEquals(0, valid().apiMaxIdleConnections(0).build().apiMaxIdleConnections());
    }

    @Test
    void shouldRefuseAnApiIdleTimeoutOutOfRange() {
        assertMessageNames("vapi.api-idle-timeout-ms", valid().apiIdleTimeoutMs(999));
        assertMessageNames("vapi.api-idle-timeout-ms", valid().apiIdleTimeoutMs(300_001));
    }

    @Test
    void shouldRefuseADigitMessageThatIsNotJson() {
        assertMessageNames("vapi.dtmf-message", valid().dtmfMessage("caller pressed {digit}"));
    }

    @Test
    void shouldTurnDigitForwardingOffWithAnEmptyMessage() {
        assertTrue(valid().dtmfMessage("").build().dtmfMessage().isEmpty());
    }

    private static VapiConfig.Builder valid() {
        return VapiConfig.builder().apiKey(KEY).assistantId("asst-1");
    }

    private static void assertMessageNames(final String option, final VapiConfig.Builder builder) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(ex.getMessage().contains(option), ex.getMessage());
        assertFalse(ex.getMessage().contains(KEY), ex.getMessage());
    }
}
