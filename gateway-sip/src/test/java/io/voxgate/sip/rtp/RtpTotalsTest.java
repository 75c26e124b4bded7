package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.jitter.JitterBufferConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpTotalsTest {
    private static final long FRAME_NS = 20_000_000L;
    private static final UnsafeBuffer FRAME = new UnsafeBuffer(new byte[160]);

    /** 60 packets with #30 held back until long after its slot: one concealed frame, then one late-drop. */
    private static RtpPlayoutStage callWithOneLatePacket() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        for (int i = 0; i < 60; i++) {
            final long now = i * FRAME_NS;
            if (i != 30) {
                stage.offer(7, i, i * 160L, i == 0, FRAME, 0, 160, now);
            }
            stage.poll(now + FRAME_NS / 2);
        }
        stage.offer(7, 30, 30 * 160L, false, FRAME, 0, 160, 60 * FRAME_NS);
        return stage;
    }

    @Test
    void shouldCountALatePacketAsLateAndItsGapAsConcealed() {
        final RtpTotals totals = new RtpTotals();
        totals.add(callWithOneLatePacket().jitter().stats(), 0, 0);
        assertEquals(60, totals.packetsReceived());
        assertEquals(1, totals.packetsLate());
        assertEquals(0, totals.packetsLost());
        assertEquals(1, totals.framesConcealed());
        assertEquals(0, totals.packetsDuplicate());
    }

    @Test
    void shouldSumEveryEndedCall() {
        final RtpTotals totals = new RtpTotals();
        totals.add(callWithOneLatePacket().jitter().stats(), 2, 100);
        totals.add(callWithOneLatePacket().jitter().stats(), 3, 50);
        assertEquals(120, totals.packetsReceived());
        assertEquals(2, totals.packetsLate());
        assertEquals(5, totals.packetsDroppedInvalid());
        assertEquals(150, totals.packetsSent());
    }

    @Test
    void shouldAddOnlyWhatARunningCallCountedSinceItsLastPublication() {
        final RtpTotals totals = new RtpTotals();
        final RtpTotals.Share share = totals.share();
        final RtpPlayoutStage call = callWithOneLatePacket();
        share.publish(call.jitter().stats(), 1, 40, 2);
        share.publish(call.jitter().stats(), 3, 90, 2);
        assertEquals(60, totals.packetsReceived());
        assertEquals(1, totals.packetsLate());
        assertEquals(3, totals.packetsDroppedInvalid());
        assertEquals(90, totals.packetsSent());
        assertEquals(2, totals.ticksSkipped());
    }
}
