package io.voxgate.websocket.twilio.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.transfer.TransferRequest;
import org.junit.jupiter.api.Test;

class TransferTwimlTest {

    @Test
    void shouldDialANumberInE164ForATelTarget() {
        final String twiml = TransferTwiml.of(TransferRequest.of("tel:+1-415-555-0111;phone-context=x", null,
            TransferRequest.Origin.OPERATOR));

        assertTrue(twiml.contains("<Dial><Number>+14155550111</Number></Dial>"), twiml);
        assertFalse(twiml.contains("<Say"), "no announcement, no Say: " + twiml);
    }

    @Test
    void shouldDialASipUriForASipTarget() {
        final String twiml = TransferTwiml.of(TransferRequest.of("sip:desk@pbx.example.test;transport=tls", null,
            TransferRequest.Origin.AGENT));

        assertTrue(twiml.contains("<Dial><Sip>sip:desk@pbx.example.test;transport=tls</Sip></Dial>"), twiml);
    }

    @Test
    void shouldSayTheAnnouncementFirstWithItsTextEscaped() {
        final String twiml = TransferTwiml.of(TransferRequest.of("tel:+14155550111", "Tom & Jerry <sales>",
            TransferRequest.Origin.OPERATOR));

        assertTrue(twiml.indexOf("<Say>Tom &amp; Jerry &lt;sales&gt;</Say>") < twiml.indexOf("<Dial>"), twiml);
    }

    @Test
    void shouldKeepOnlyDigitsAndALeadingPlusOfANumber() {
        assertEquals("+4930123456", TransferTwiml.number("tel:+49-(30)-123.456"));
        assertEquals("0800123", TransferTwiml.number("tel:0800+123"));
    }
}
