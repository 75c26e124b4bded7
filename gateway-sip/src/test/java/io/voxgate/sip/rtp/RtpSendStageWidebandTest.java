package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** {@link RtpSendStage} for a codec that codes silence as a frame and may run a 48 kHz RTP clock (Opus). */
class RtpSendStageWidebandTest {
    private final RecordingPacketSink sink = new RecordingPacketSink();

    private RtpSendStage opusStage(final byte[] silence) {
        final RtpSendStage s = new RtpSendStage(sink, RtpSendStage.IdlePolicy.SEND_SILENCE, 0x0BADCAFE, 100, 0L, 960, 111,
            silence);
        s.telephoneEventPayloadType(126);
        return s;
    }

    @Test
    void shouldRepeatTheCodecsSilenceFrameOnIdleTicksOnItsClock() {
        final byte[] silence = new byte[80];
        for (int i = 0; i < silence.length; i++) {
            silence[i] = (byte) (i * 3 + 1);
        }
        final RtpSendStage s = opusStage(silence);
        for (int i = 0; i < 3; i++) {
            s.beginTick();
            s.endTick();
        }
        assertEquals(3, sink.packets.size());
        for (int i = 0; i < 3; i++) {
            final RtpPacketFlyweight p = sink.packet(i);
            assertEquals(111, p.payloadType());
            assertEquals(i * 960L, p.timestamp(), "48 kHz clock: 960 per 20 ms");
            final byte[] payload = new byte[p.payloadLength()];
            p.buffer().getBytes(p.payloadOffset(), payload);
            assertArrayEquals(silence, payload);
        }
        assertEquals(3, s.silencePacketsSent());
    }

    @Test
    void shouldHoldADigitForItsDurationOnAFortyEightKilohertzClock() {
        final RtpSendStage s = opusStage(new byte[10]);
        assertTrue(s.queueDigit('5', 60));
        for (int i = 0; i < 6; i++) {
            s.beginTick();
            s.endTick();
        }
        final int[] durations = new int[6];
        for (int i = 0; i < 6; i++) {
            final RtpPacketFlyweight p = sink.packet(i);
            assertEquals(126, p.payloadType());
            durations[i] = p.buffer().getShort(p.payloadOffset() + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        // 60 ms is three 20 ms ticks whatever the clock: 960, 1920, 2880 units, then three end packets.
        assertArrayEquals(new int[] {960, 1_920, 2_880, 2_880, 2_880, 2_880}, durations);
        assertEquals(1, s.digitsSent());
    }
}
