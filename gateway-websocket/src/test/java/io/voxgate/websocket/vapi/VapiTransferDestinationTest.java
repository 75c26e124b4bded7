package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

final class VapiTransferDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAnswerATelTargetAsAnE164NumberDestination() {
        assertEquals("{\"destination\":{\"type\":\"number\",\"number\":\"+14155550111\"}}",
            VapiTransferDestination.answer("tel:+1-415-555.0111;phone-context=example.test"));
    }

    @Test
    void shouldAnswerASipTargetAsASipDestination() {
        assertEquals("{\"destination\":{\"type\":\"sip\",\"sipUri\":\"sips:desk@pbx.example.test\"}}",
            VapiTransferDestination.answer("sips:desk@pbx.example.test"));
    }

    @Test
    void shouldReadNumberAndSipDestinationsAndNothingElse() throws Exception {
        assertEquals("tel:+14155550111",
            VapiTransferDestination.targetOf(JSON.readTree("{\"type\":\"number\",\"number\":\"+14155550111\"}")));
        assertEquals("sip:desk@pbx.example.test",
            VapiTransferDestination.targetOf(JSON.readTree("{\"type\":\"sip\",\"sipUri\":\"sip:desk@pbx.example.test\"}")));
        assertNull(VapiTransferDestination.targetOf(JSON.readTree("{\"type\":\"assistant\",\"assistantName\":\"billing\"}")));
        assertNull(VapiTransferDestination.targetOf(JSON.readTree("{\"type\":\"number\",\"number\":42}")));
    }

    @Test
    void shouldReadTheAnnouncementAsAStringOrAMessageContent() throws Exception {
        assertEquals("hold on", VapiTransferDestination.announcementOf(JSON.readTree("{\"message\":\"hold on\"}")));
        assertEquals("one moment",
            VapiTransferDestination.announcementOf(JSON.readTree("{\"message\":{\"type\":\"request-start\",\"content\":\"one moment\"}}")));
        assertNull(VapiTransferDestination.announcementOf(JSON.readTree("{}")));
    }
}
