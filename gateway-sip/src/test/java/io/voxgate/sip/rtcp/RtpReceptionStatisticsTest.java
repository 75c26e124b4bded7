package io.voxgate.sip.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RtpReceptionStatisticsTest {
    private final RtpReceptionStatistics stats = new RtpReceptionStatistics();

    private void steady(final int seq) {
        stats.onPacket(seq & 0xFFFF, seq * 160L, seq * 160L + 1000);
    }

    @Test
    void shouldCountNoLossAndNoJitterForAPerfectStream() {
        for (int s = 0; s < 100; s++) {
            steady(s);
        }
        assertEquals(0, stats.cumulativeLost());
        assertEquals(0, stats.takeFractionLost());
        assertEquals(99, stats.extendedHighestSequence());
        assertEquals(0, stats.jitter());
    }

    @Test
    void shouldCountLossAndFractionPerReportInterval() {
        for (int s = 0; s < 100; s++) {
            if (s % 4 != 1) {
                steady(s);
            }
        }
        assertEquals(25, stats.cumulativeLost());
        assertEquals(64, stats.takeFractionLost());
        for (int s = 100; s < 200; s++) {
            steady(s);
        }
        assertEquals(0, stats.takeFractionLost());
        assertEquals(25, stats.cumulativeLost());
    }

    @Test
    void shouldExtendTheSequenceAcrossWrapAround() {
        for (int s = 65530; s < 65540; s++) {
            steady(s);
        }
        assertEquals(65536 + 3, stats.extendedHighestSequence());
        assertEquals(0, stats.cumulativeLost());
    }

    @Test
    void shouldCountDuplicatesAsReceivedSoLossCanGoNegative() {
        steady(1);
        steady(2);
        steady(2);
        assertEquals(-1, stats.cumulativeLost());
    }

    @Test
    void shouldEstimateJitterFromTransitVariation() {
        for (int s = 0; s < 2000; s++) {
            final long arrival = s * 160L + (s % 2 == 0 ? 0 : 80);
            stats.onPacket(s, s * 160L, arrival);
        }
        // |D| is 80 every packet: J converges to 80.
        assertEquals(80, stats.jitter(), 1);
    }

    @Test
    void shouldRestartAfterTwoSequentialPacketsFarAway() {
        steady(10);
        steady(11);
        stats.onPacket(40000, 0, 0);
        assertEquals(11, stats.extendedHighestSequence());
        stats.onPacket(40001, 160, 160);
        assertEquals(40001, stats.extendedHighestSequence());
        assertEquals(1, stats.packetsRestarted());
    }
}
