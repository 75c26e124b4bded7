package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionTimerTest {

    @Test
    void shouldRefreshAtHalfTheIntervalWhenTheGatewayRefreshes() {
        assertEquals(900_000, SessionTimer.delayMs(1800, true));
    }

    @Test
    void shouldEndThirtyTwoSecondsBeforeExpiryOfALongSessionItDoesNotRefresh() {
        assertEquals((1800 - 32) * 1000L, SessionTimer.delayMs(1800, false));
    }

    @Test
    void shouldEndAThirdBeforeExpiryOfAShortSessionItDoesNotRefresh() {
        assertEquals(60_000, SessionTimer.delayMs(90, false));
    }
}
