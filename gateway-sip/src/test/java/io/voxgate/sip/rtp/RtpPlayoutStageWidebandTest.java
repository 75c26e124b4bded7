package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.core.codec.OpusFrameEncoder;
import io.voxgate.core.codec.Pcm16LittleEndian;
import io.voxgate.core.jitter.JitterBufferConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** {@link RtpPlayoutStage} with a wideband decoder: G.722 on an 8 kHz RTP clock, Opus on 48 kHz. */
class RtpPlayoutStageWidebandTest {
    private static final long FRAME_NS = 20_000_000L;

    private static short[] tone(final int samples, final int rateHz, final int offset) {
        final short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (short) (8_000 * Math.sin(2 * Math.PI * 1_000 * (offset + i) / rateHz));
        }
        return pcm;
    }

    private static short[] tone(final int frequencyHz, final int offset) {
        final short[] pcm = new short[320];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (8_000 * Math.sin(2 * Math.PI * frequencyHz * (offset + i) / 16_000));
        }
        return pcm;
    }

    /** The frequency, in 10 Hz steps, holding most of the power of {@code pcm}. */
    private static double dominantFrequencyHz(final short[] pcm, final int rateHz) {
        double bestHz = 0;
        double bestPower = -1;
        for (double f = 10; f < rateHz / 2.0; f += 10) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < pcm.length; i++) {
                re += pcm[i] * Math.cos(2 * Math.PI * f * i / rateHz);
                im += pcm[i] * Math.sin(2 * Math.PI * f * i / rateHz);
            }
            if (re * re + im * im > bestPower) {
                bestPower = re * re + im * im;
                bestHz = f;
            }
        }
        return bestHz;
    }

    private static double rms(final UnsafeBuffer frame, final int bytes) {
        final short[] pcm = new short[bytes / 2];
        Pcm16LittleEndian.read(frame, 0, pcm, 0, pcm.length);
        double sum = 0;
        for (final short s : pcm) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / pcm.length);
    }

    @Test
    void shouldDecodeG722FromItsEightKilohertzTimestampsIntoSixteenKilohertzPcm() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.builder().slotCapacityBytes(400).build(),
            new G722Decoder(), AudioFormat.PCM16_16K);
        final G722Encoder encoder = new G722Encoder();
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[160]);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[640]);
        int played = 0;
        for (int i = 0; i < 50; i++) {
            encoder.encode(tone(320, 16_000, i * 320), 0, packet, 0, 320);
            stage.offer(7, i, i * 160L, i == 0, packet, 0, 160, i * FRAME_NS);
            final int n = stage.poll(i * FRAME_NS + FRAME_NS / 2);
            if (n > 0) {
                assertEquals(640, n, "20 ms of PCM16 at 16 kHz");
                played++;
                stage.frame().getBytes(0, out, 0, n);
            }
        }
        assertTrue(played > 40, "played " + played);
        assertEquals(0, stage.framesConcealed());
        final double level = rms(out, 640);
        assertTrue(level > 4_500 && level < 6_800, "a -12 dBFS tone plays at its level, rms " + level);
    }

    @Test
    void shouldConcealALostOpusPacketWhoseNextPacketCarriesNoFecWithOpusPlcOnTheFortyEightKilohertzClock() {
        final AudioFormat session = AudioFormat.of(AudioEncoding.PCM16, 16_000, 1, 20);
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.builder().clockRateHz(48_000).slotCapacityBytes(400)
            .build(), OpusCodecs.system().decoder(16_000), session);
        final OpusFrameEncoder encoder = OpusCodecs.system().encoder(16_000, 32_000, false);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[400]);
        final UnsafeBuffer concealed = new UnsafeBuffer(new byte[640]);
        int concealedBytes = 0;
        for (int i = 0; i < 60; i++) {
            final int length = encoder.encode(tone(320, 16_000, i * 320), 0, 320, packet, 0, 400);
            if (i != 30) {
                stage.offer(7, i, i * 960L, i == 0, packet, 0, length, i * FRAME_NS);
            }
            final long before = stage.framesConcealed();
            final int n = stage.poll(i * FRAME_NS + FRAME_NS / 2);
            if (stage.framesConcealed() > before) {
                concealedBytes = n;
                stage.frame().getBytes(0, concealed, 0, n);
            }
        }
        assertEquals(1, stage.framesConcealed());
        assertEquals(0, stage.framesFecDecoded(), "the next packet was there but carried no FEC: concealed, not rebuilt");
        assertEquals(640, concealedBytes);
        assertTrue(rms(concealed, 640) > 1_000, "Opus PLC carries the tone on, rms " + rms(concealed, 640));
        assertEquals(0, stage.framesUndecodable());
    }

    @Test
    void shouldRebuildALostOpusFrameFromTheNextPacketsFecAndCountIt() {
        final AudioFormat session = AudioFormat.of(AudioEncoding.PCM16, 16_000, 1, 20);
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.builder().clockRateHz(48_000).slotCapacityBytes(400)
            .build(), OpusCodecs.system().decoder(16_000), session);
        final OpusFrameEncoder encoder = OpusCodecs.system().encoder(16_000, 32_000, true);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[400]);
        final short[] rebuilt = new short[320];
        for (int i = 0; i < 60; i++) {
            // The pitch changes where the packet is lost: Opus PLC would carry 600 Hz on; the FEC holds 1,400 Hz.
            final int length = encoder.encode(tone(i < 30 ? 600 : 1_400, i * 320), 0, 320, packet, 0, 400);
            if (i != 30) {
                stage.offer(7, i, i * 960L, i == 0, packet, 0, length, i * FRAME_NS);
            }
            final long before = stage.framesConcealed();
            final int n = stage.poll(i * FRAME_NS + FRAME_NS / 2);
            if (stage.framesConcealed() > before) {
                assertEquals(640, n);
                Pcm16LittleEndian.read(stage.frame(), 0, rebuilt, 0, 320);
            }
        }
        assertEquals(1, stage.framesConcealed());
        assertEquals(1, stage.framesFecDecoded());
        assertEquals(1_400, dominantFrequencyHz(rebuilt, 16_000), 50, "the lost frame's own pitch, from its FEC");
    }

    @Test
    void shouldConcealAndCountAnOpusPayloadTheDecoderRefuses() {
        final AudioFormat session = AudioFormat.of(AudioEncoding.PCM16, 16_000, 1, 20);
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.builder().clockRateHz(48_000).build(),
            OpusCodecs.system().decoder(16_000), session);
        final UnsafeBuffer garbage = new UnsafeBuffer(new byte[] {(byte) 0x0B, 0});
        int undecodable = 0;
        for (int i = 0; i < 10; i++) {
            stage.offer(7, i, i * 960L, i == 0, garbage, 0, 2, i * FRAME_NS);
            stage.poll(i * FRAME_NS + FRAME_NS / 2);
            undecodable = (int) stage.framesUndecodable();
        }
        assertTrue(undecodable > 5, "undecodable " + undecodable);
    }

    @Test
    void shouldRefuseADecoderWhoseRateIsNotTheSessions() {
        assertThrows(IllegalArgumentException.class,
            () -> new RtpPlayoutStage(JitterBufferConfig.defaults(), new G722Decoder(), AudioFormat.MULAW_8K));
    }
}
