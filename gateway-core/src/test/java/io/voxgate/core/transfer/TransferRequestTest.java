package io.voxgate.core.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransferRequestTest {

    @Test
    void shouldAcceptSipSipsAndTelTargets() {
        assertEquals("sip:desk@pbx.example.test;transport=tcp",
            TransferRequest.of("sip:desk@pbx.example.test;transport=tcp", null, TransferRequest.Origin.OPERATOR).target());
        assertTrue(TransferRequest.of("tel:+1-415-555-0111", "", TransferRequest.Origin.AGENT).targetIsNumber());
        assertFalse(TransferRequest.of("sips:desk@pbx.example.test", "", TransferRequest.Origin.AGENT).targetIsNumber());
    }

    @Test
    void shouldRefuseTargetsThatCouldInjectIntoAHeaderOrTwiml() {
        for (final String bad : new String[] {"", "http://x.test", "sip:", "sip:desk", "sip:a@b>\r\nX: y", "sip:a@b c",
            "sip:\"a\"@b", "tel:<1>", "tel:abc", "sip:" + "a".repeat(300) + "@b"}) {
            assertThrows(IllegalArgumentException.class,
                () -> TransferRequest.of(bad, null, TransferRequest.Origin.OPERATOR), bad);
        }
    }

    @Test
    void shouldRefuseAnAnnouncementWithControlCharactersOrTooLong() {
        assertThrows(IllegalArgumentException.class,
            () -> TransferRequest.of("tel:+14155550111", "a\u0000b", TransferRequest.Origin.OPERATOR));
        assertThrows(IllegalArgumentException.class,
            () -> TransferRequest.of("tel:+14155550111", "a".repeat(501), TransferRequest.Origin.OPERATOR));
    }

    @Test
    void shouldGiveEachRequestItsOwnId() {
        final TransferRequest a = TransferRequest.of("tel:+14155550111", null, TransferRequest.Origin.OPERATOR);
        final TransferRequest b = TransferRequest.of("tel:+14155550111", null, TransferRequest.Origin.OPERATOR);
        assertTrue(a.id().matches("TR[0-9a-f]{16}"), a.id());
        assertFalse(a.id().equals(b.id()));
        assertEquals(a.id(), TransferRequest.forwarded(a.id(), a.target(), "", a.origin()).id());
    }
}
