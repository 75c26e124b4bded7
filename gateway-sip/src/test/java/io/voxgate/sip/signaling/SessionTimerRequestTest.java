package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SessionTimerRequestTest {

    @Test
    void shouldLetATimerCapableCallerRefreshUnlessItAsksTheGatewayTo() {
        final SessionTimerRequest uac = SessionTimerRequest.of("1800;refresher=uac", true);
        assertEquals(1800, uac.intervalS);
        assertFalse(uac.uasRefreshes);
        assertFalse(SessionTimerRequest.of("1800", true).uasRefreshes);
        assertTrue(SessionTimerRequest.of("1800; refresher=UAS", true).uasRefreshes);
    }

    @Test
    void shouldMakeTheGatewayRefreshWhenTheCallerDoesNotSupportTimers() {
        assertTrue(SessionTimerRequest.of("900;refresher=uac", false).uasRefreshes);
    }

    @Test
    void shouldIgnoreAbsentOrUnparseableValues() {
        assertNull(SessionTimerRequest.of(null, true));
        assertNull(SessionTimerRequest.of("soon", true));
    }
}
