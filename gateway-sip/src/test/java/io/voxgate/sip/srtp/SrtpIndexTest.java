package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SrtpIndexTest {
    @Test
    void shouldTakeTheFirstSequenceNumberWithRolloverCounterZero() {
        assertEquals(65_000, SrtpIndex.estimate(-1, 65_000));
    }

    @Test
    void shouldRollOverWhenTheSequenceWrapsFrom65535To0() {
        assertEquals(1L << 16, SrtpIndex.estimate(65_535, 0));
        assertEquals(1, SrtpIndex.rolloverCounter(SrtpIndex.estimate(65_535, 0)));
    }

    @Test
    void shouldKeepTheOldRolloverCounterForALatePacketFromBeforeTheWrap() {
        final long highest = (1L << 16) + 3;
        assertEquals(65_530, SrtpIndex.estimate(highest, 65_530));
    }

    @Test
    void shouldGuessNothingBelowRolloverCounterZero() {
        assertEquals(-1, SrtpIndex.estimate(3, 65_530));
    }

    @Test
    void shouldStayInTheSameRolloverForOrdinaryJumps() {
        final long highest = (5L << 16) + 40_000;
        assertEquals((5L << 16) + 40_100, SrtpIndex.estimate(highest, 40_100));
        assertEquals((5L << 16) + 39_000, SrtpIndex.estimate(highest, 39_000));
    }
}
