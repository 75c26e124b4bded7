package io.voxgate.sip.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.FrameEncoder;
import io.voxgate.core.codec.OpusFrameEncoder;
import io.voxgate.core.codec.OpusInBandFec;
import io.voxgate.sip.sdp.OpusPeerParameters;
import io.voxgate.sip.sdp.RtpAudioCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The Opus bit rate the gateway sends at, by the agent's rate and what the peer's fmtp asked. */
class WidebandCodecsTest {
    private static final OpusPeerParameters FEC = new OpusPeerParameters(0, true, 0);

    @Test
    void shouldSendTheDefaultRateToAPeerThatAskedNothing() {
        assertEquals(OpusFrameEncoder.DEFAULT_BITRATE_BPS, WidebandCodecs.opusBitrateBps(24_000, OpusPeerParameters.NONE));
    }

    @Test
    void shouldKeepTheDefaultRateForFecFromAnAgentOfSixteenKilohertzOrLess() {
        assertEquals(OpusFrameEncoder.DEFAULT_BITRATE_BPS, WidebandCodecs.opusBitrateBps(16_000, FEC));
        assertEquals(OpusFrameEncoder.DEFAULT_BITRATE_BPS, WidebandCodecs.opusBitrateBps(8_000, FEC));
    }

    @Test
    void shouldMakeRoomForFecFromATwentyFourKilohertzAgent() {
        assertEquals(WidebandCodecs.OPUS_FEC_SUPER_WIDEBAND_BITRATE_BPS, WidebandCodecs.opusBitrateBps(24_000, FEC));
    }

    @Test
    void shouldNeverExceedThePeersMaxAverageBitrate() {
        assertEquals(20_000, WidebandCodecs.opusBitrateBps(16_000, new OpusPeerParameters(0, false, 20_000)));
        assertEquals(36_000, WidebandCodecs.opusBitrateBps(24_000, new OpusPeerParameters(0, true, 36_000)));
        assertEquals(OpusFrameEncoder.DEFAULT_BITRATE_BPS,
            WidebandCodecs.opusBitrateBps(16_000, new OpusPeerParameters(0, false, 128_000)), "a cap above ours changes nothing");
    }

    @Test
    void shouldCodeFecForATwentyFourKilohertzAgentWhenThePeerAskedForIt() {
        // At the default 32 kbit/s libopus codes this agent's speech hybrid with no room for the redundancy.
        final AudioFormat superWideband = AudioFormat.of(AudioEncoding.PCM16, 24_000, 1, 20);
        final FrameEncoder encoder = WidebandCodecs.encoder(RtpAudioCodec.OPUS, superWideband, FEC);
        final short[] pcm = new short[480];
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        int carried = 0;
        for (int frame = 0; frame < 20; frame++) {
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) (8_000 * Math.sin(2 * Math.PI * 1_000 * (frame * pcm.length + i) / 24_000.0));
            }
            if (OpusInBandFec.carriedBy(packet, 0, encoder.encode(pcm, 0, pcm.length, packet, 0, packet.capacity()))) {
                carried++;
            }
        }
        // The first packet has nothing before it to protect.
        assertTrue(carried >= 15, carried + " of 20 packets carry FEC");
    }
}
