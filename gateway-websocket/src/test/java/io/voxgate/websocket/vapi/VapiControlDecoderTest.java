package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.agent.AgentEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class VapiControlDecoderTest {
    private final VapiControlDecoder decoder = new VapiControlDecoder(new ObjectMapper());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"user-interrupted\",\"turnId\":\"t1\"}|INTERRUPT",
        "{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"user\",\"turn\":2}|INTERRUPT",
        "{\"type\":\"speech-update\",\"status\":\"stopped\",\"role\":\"user\"}|EVENT",
        "{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"assistant\"}|EVENT",
        "{\"type\":\"transcript\",\"role\":\"user\",\"transcriptType\":\"final\",\"transcript\":\"hi\"}|EVENT",
        "{\"type\":\"transcript\",\"role\":\"user\",\"transcriptType\":\"partial\",\"transcript\":\"h\"}|IGNORED",
        "{\"type\":\"model-output\",\"output\":\"Hello\"}|EVENT",
        "{\"type\":\"status-update\",\"status\":\"in-progress\"}|EVENT",
        "{\"type\":\"status-update\",\"status\":\"ended\",\"endedReason\":\"assistant-ended-call\"}|END",
        "{\"type\":\"end-call\"}|END",
        "{\"type\":\"hang\"}|EVENT",
        "{\"type\":\"conversation-update\",\"messages\":[]}|IGNORED",
        "{\"type\":\"transfer-update\",\"destination\":{\"type\":\"number\",\"number\":\"+14155550111\"}}|TRANSFER",
        "{\"type\":\"transfer-update\",\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:a@b.test\"}}|TRANSFER",
        "{\"type\":\"transfer-update\",\"destination\":{\"type\":\"assistant\",\"assistantName\":\"x\"}}|IGNORED",
        "{\"type\":\"transfer-update\"}|IGNORED",
        "{\"type\":\"something-new\"}|UNKNOWN",
        "{\"kind\":\"user-interrupted\"}|MALFORMED",
        "{\"type\":7}|MALFORMED",
        "[1,2]|MALFORMED",
        "not json|MALFORMED"
    })
    void shouldMapEachMessageToItsAction(final String json, final VapiControlDecoder.Action expected) {
        assertEquals(expected, decoder.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldCarryTheTranscriptTextAndRole() {
        decoder.decode("{\"type\":\"transcript\",\"role\":\"user\",\"transcriptType\":\"final\",\"transcript\":\"book a table\"}"
            .getBytes(StandardCharsets.UTF_8));

        assertEquals(AgentEvent.Kind.TRANSCRIPT, decoder.event().kind());
        assertEquals("user", decoder.event().role());
        assertEquals("book a table", decoder.event().text());
    }

    @Test
    void shouldCarryModelOutputEvenWhenItIsNotText() {
        decoder.decode("{\"type\":\"model-output\",\"output\":{\"tool\":\"x\"}}".getBytes(StandardCharsets.UTF_8));

        assertEquals(AgentEvent.Kind.MODEL_OUTPUT, decoder.event().kind());
        assertEquals("{\"tool\":\"x\"}", decoder.event().text());
    }

    @Test
    void shouldCarryTheEndedReason() {
        decoder.decode("{\"type\":\"status-update\",\"status\":\"ended\",\"endedReason\":\"silence-timed-out\"}"
            .getBytes(StandardCharsets.UTF_8));

        assertEquals("ended: silence-timed-out", decoder.event().text());
    }

    @Test
    void shouldReadANumberDestinationAsATelTargetWithItsMessage() {
        decoder.decode(("{\"type\":\"transfer-update\",\"destination\":{\"type\":\"number\",\"number\":\"+14155550111\","
            + "\"message\":\"Connecting you now\"}}").getBytes(StandardCharsets.UTF_8));

        assertEquals("tel:+14155550111", decoder.transferTarget());
        assertEquals("Connecting you now", decoder.transferAnnouncement());
    }

    @Test
    void shouldReadASipDestinationWithAMessageObject() {
        decoder.decode(("{\"type\":\"transfer-update\",\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:desk@pbx.test\","
            + "\"message\":{\"type\":\"request-start\",\"content\":\"One moment\"}}}").getBytes(StandardCharsets.UTF_8));

        assertEquals("sip:desk@pbx.test", decoder.transferTarget());
        assertEquals("One moment", decoder.transferAnnouncement());
    }
}
