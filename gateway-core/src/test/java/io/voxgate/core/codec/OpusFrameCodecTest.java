package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OpusFrameEncoder} and {@link OpusFrameDecoder}: RFC 7587 mono streams, through every implementation this host
 * runs: Concentus always, libopus where it loads ({@link OpusCodecsTest} fails where {@code libopus0} is installed
 * but did not load, so this class cannot lose the native half unnoticed).
 */
class OpusFrameCodecTest {
    private static final int RATE = 16_000;
    private static final int FRAME = 320;

    static List<Named<OpusCodecs>> implementations() {
        final List<Named<OpusCodecs>> all = new ArrayList<>();
        all.add(Named.of("concentus", OpusCodecs.concentus()));
        if (OpusCodecs.system().implementation() == OpusCodecs.Implementation.LIBOPUS) {
            all.add(Named.of("libopus", OpusCodecs.system()));
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldCarryAToneAtItsFrequencyAndLevel(final OpusCodecs opus) {
        final short[] tone = Tones.tone(RATE, 1_000, RATE, 8_000);
        final short[] decoded = roundTrip(tone, opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false),
            opus.decoder(RATE));
        assertEquals(1_000, Tones.dominantFrequencyHz(decoded, 3_200, RATE, 10), 10);
        final double ratio = Tones.rms(decoded, 3_200) / Tones.rms(tone, 3_200);
        assertTrue(ratio > 0.8 && ratio < 1.2, "level ratio " + ratio);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldDecodeAtTheAgentsRateWhateverTheEncodersRate(final OpusCodecs opus) {
        final short[] tone = Tones.tone(RATE, 700, RATE, 8_000);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = opus.decoder(24_000);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[24_000];
        for (int frame = 0; frame < RATE / FRAME; frame++) {
            final int length = encoder.encode(tone, frame * FRAME, FRAME, packet, 0, packet.capacity());
            assertEquals(480, decoder.decode(packet, 0, length, out, frame * 480, 480));
        }
        assertEquals(700, Tones.dominantFrequencyHz(out, 4_800, 24_000, 10), 10);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldDecodeAFullbandSendersHybridPacketsAtSixteenKilohertz(final OpusCodecs opus) {
        // A 48 kHz sender (a browser, baresip) codes speech as SILK+CELT hybrid; Concentus alone decodes those to
        // silence below 48 kHz, so its decoder decodes at 48 kHz and decimates; libopus decodes them at 16 kHz.
        final short[] tone = Tones.tone(48_000, 1_000, 48_000, 8_000);
        final OpusFrameEncoder fullband = opus.encoder(48_000, 64_000, true);
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[RATE];
        for (int frame = 0; frame < 50; frame++) {
            final int length = fullband.encode(tone, frame * 960, 960, packet, 0, packet.capacity());
            assertEquals(FRAME, decoder.decode(packet, 0, length, out, frame * FRAME, FRAME));
        }
        assertEquals(1_000, Tones.dominantFrequencyHz(out, 3_200, RATE, 10), 10);
        final double ratio = Tones.rms(out, 3_200) / Tones.rms(tone, 9_600);
        assertTrue(ratio > 0.8 && ratio < 1.2, "level ratio " + ratio);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldDecodeAStereoStreamToMono(final OpusCodecs opus) throws Exception {
        // RFC 7587 §3.1: the SDP always says opus/48000/2; a sender may send stereo whatever we asked for.
        final OpusEncoder stereo = new OpusEncoder(48_000, 2, OpusApplication.OPUS_APPLICATION_AUDIO);
        final short[] tone = Tones.tone(48_000, 500, 48_000, 8_000);
        final short[] interleaved = new short[tone.length * 2];
        for (int i = 0; i < tone.length; i++) {
            interleaved[2 * i] = tone[i];
            interleaved[2 * i + 1] = tone[i];
        }
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        final byte[] packet = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
        final short[] out = new short[RATE];
        for (int frame = 0; frame < 50; frame++) {
            final int length = stereo.encode(interleaved, frame * 960 * 2, 960, packet, 0, packet.length);
            assertEquals(FRAME, decoder.decode(new UnsafeBuffer(packet), 0, length, out, frame * FRAME, FRAME));
        }
        assertEquals(500, Tones.dominantFrequencyHz(out, 3_200, RATE, 10), 10);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldConcealALostFrameWithOpusPlcAtTheFramesLength(final OpusCodecs opus) {
        final short[] tone = Tones.tone(RATE, 1_000, RATE, 8_000);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        playFrames(tone, 20, encoder, decoder);
        assertTrue(decoder.concealsLoss());
        final short[] concealed = new short[FRAME];
        assertEquals(FRAME, decoder.conceal(concealed, 0, FRAME));
        assertTrue(Tones.rms(concealed, 0) > 1_000, "PLC continues the tone, rms " + Tones.rms(concealed, 0));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldRebuildALostFrameFromTheNextPacketsFecWhereConcealmentCanOnlyGuess(final OpusCodecs opus) {
        // The pitch changes at the lost frame: concealment can only carry the old tone on, while the next packet's
        // in-band FEC holds a coarse copy of the lost frame itself.
        final int lost = 30;
        final short[] low = Tones.tone(lost * FRAME, 600, RATE, 8_000);
        final short[] high = Tones.tone(RATE, 1_400, RATE, 8_000);
        final short[] signal = new short[lost * FRAME + RATE];
        System.arraycopy(low, 0, signal, 0, low.length);
        System.arraycopy(high, 0, signal, low.length, high.length);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, true);
        final UnsafeBuffer[] packets = new UnsafeBuffer[lost + 2];
        for (int frame = 0; frame < packets.length; frame++) {
            final byte[] bytes = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
            final UnsafeBuffer packet = new UnsafeBuffer(bytes);
            packets[frame] = new UnsafeBuffer(bytes, 0, encoder.encode(signal, frame * FRAME, FRAME, packet, 0, bytes.length));
        }
        final short[] heard = new short[FRAME];
        final short[] rebuilt = new short[FRAME];
        final short[] concealed = new short[FRAME];
        final OpusFrameDecoder reference = opus.decoder(RATE);
        final OpusFrameDecoder withFec = opus.decoder(RATE);
        final OpusFrameDecoder withPlc = opus.decoder(RATE);
        final short[] scratch = new short[FRAME];
        for (int frame = 0; frame < lost; frame++) {
            for (final OpusFrameDecoder decoder : new OpusFrameDecoder[] {reference, withFec, withPlc}) {
                decoder.decode(packets[frame], 0, packets[frame].capacity(), scratch, 0, FRAME);
            }
        }
        assertEquals(FRAME, reference.decode(packets[lost], 0, packets[lost].capacity(), heard, 0, FRAME));
        final UnsafeBuffer next = packets[lost + 1];
        assertEquals(FRAME, withFec.recover(next, 0, next.capacity(), rebuilt, 0, FRAME));
        assertEquals(FRAME, withPlc.conceal(concealed, 0, FRAME));
        final double fecSnr = Tones.snrDb(heard, rebuilt, 0, 0);
        final double plcSnr = Tones.snrDb(heard, concealed, 0, 0);
        // Measured: FEC 15.7 dB (libopus) and better (Concentus) against what the lost packet decodes to; PLC about 1.
        assertTrue(fecSnr > 10 && fecSnr > plcSnr + 10, "FEC " + fecSnr + " dB, PLC " + plcSnr + " dB");
        assertEquals(1_400, Tones.dominantFrequencyHz(rebuilt, 0, RATE, 10), 50, "FEC carries the new pitch");
        assertEquals(600, Tones.dominantFrequencyHz(concealed, 0, RATE, 10), 50, "PLC carries the old pitch on");
        assertEquals(FRAME, withFec.decode(next, 0, next.capacity(), scratch, 0, FRAME), "the next packet still decodes");
        assertEquals(0, withFec.packetsMalformed());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldLeaveALostFrameToConcealmentWhenTheNextPacketCarriesNoFec(final OpusCodecs opus) {
        final short[] tone = Tones.tone(RATE, 1_000, RATE, 8_000);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        playFrames(tone, 10, encoder, decoder);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final int next = encoder.encode(tone, 11 * FRAME, FRAME, packet, 0, packet.capacity());
        assertEquals(-1, decoder.recover(packet, 0, next, new short[FRAME], 0, FRAME));
        assertEquals(0, decoder.packetsMalformed(), "a packet without FEC is not malformed");
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldConcealAFrameBeforeAnyPacketArrived(final OpusCodecs opus) {
        final short[] concealed = new short[FRAME];
        assertEquals(FRAME, opus.decoder(RATE).conceal(concealed, 0, FRAME));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldRefuseAMalformedPacketAndCountIt(final OpusCodecs opus) {
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        // TOC of a code 3 packet (arbitrary frame count) with a frame count byte of 0: RFC 6716 §3.2.5 forbids it.
        final UnsafeBuffer bad = new UnsafeBuffer(new byte[] {(byte) 0x0B, 0});
        assertEquals(-1, decoder.decode(bad, 0, 2, new short[FRAME], 0, FRAME));
        assertEquals(-1, decoder.decode(bad, 0, 0, new short[FRAME], 0, FRAME));
        assertEquals(2, decoder.packetsMalformed());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldDecodeTheNextGoodPacketAfterGarbage(final OpusCodecs opus) {
        final short[] tone = Tones.tone(FRAME * 40, 1_000, RATE, 8_000);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[FRAME];
        final Random random = new Random(7_587);
        final byte[] garbage = new byte[400];
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            random.nextBytes(garbage);
            // A code 3 TOC with a zero frame count is refused by every decoder; the rest is whatever the bytes parse as.
            if (i % 2 == 0) {
                garbage[0] = (byte) (garbage[0] | 0x03);
                garbage[1] = 0;
            }
            final int length = 1 + random.nextInt(garbage.length);
            if (decoder.decode(new UnsafeBuffer(garbage), 0, length, out, 0, FRAME) < 0) {
                refused++;
            }
        }
        assertTrue(refused >= 250, "refused " + refused);
        assertEquals(refused, decoder.packetsMalformed());
        final short[] decoded = new short[tone.length];
        for (int frame = 0; frame < 40; frame++) {
            final int length = encoder.encode(tone, frame * FRAME, FRAME, packet, 0, packet.capacity());
            assertEquals(FRAME, decoder.decode(packet, 0, length, decoded, frame * FRAME, FRAME));
        }
        assertEquals(1_000, Tones.dominantFrequencyHz(decoded, FRAME * 20, RATE, 10), 10);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldReadAnOffHeapPayload(final OpusCodecs opus) {
        final short[] tone = Tones.tone(FRAME * 10, 1_000, RATE, 8_000);
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = opus.decoder(RATE);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(OpusFrameEncoder.MAX_PACKET_BYTES));
        final short[] out = new short[FRAME];
        for (int frame = 0; frame < 10; frame++) {
            final int length = encoder.encode(tone, frame * FRAME, FRAME, direct, 0, direct.capacity());
            assertEquals(FRAME, decoder.decode(direct, 0, length, out, 0, FRAME));
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldKeepTwentyMillisecondPacketsSmallAtThirtyTwoKilobits(final OpusCodecs opus) {
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] tone = Tones.tone(FRAME, 1_000, RATE, 8_000);
        final int length = encoder.encode(tone, 0, FRAME, packet, 0, packet.capacity());
        assertTrue(length > 0 && length <= 80 + 2, "32 kbit/s x 20 ms is 80 octets, was " + length);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldRefuseAFrameSizeOpusDoesNotHave(final OpusCodecs opus) {
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        assertEquals(-1, encoder.encode(new short[FRAME], 0, 100, new UnsafeBuffer(new byte[400]), 0, 400));
        assertEquals(1, encoder.framesRefused());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldRefuseAFrameLongerThanItsArray(final OpusCodecs opus) {
        final OpusFrameEncoder encoder = opus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        assertEquals(-1, encoder.encode(new short[FRAME], FRAME / 2, FRAME, new UnsafeBuffer(new byte[400]), 0, 400));
        assertEquals(1, encoder.framesRefused());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shouldRefuseARateOpusDoesNotHave(final OpusCodecs opus) {
        assertThrows(IllegalArgumentException.class, () -> opus.decoder(44_100));
        assertThrows(IllegalArgumentException.class, () -> opus.encoder(44_100, 32_000, false));
    }

    /** Codes the first {@code frames} frames of {@code pcm} and decodes them, as a call that lost nothing yet. */
    private static void playFrames(final short[] pcm, final int frames, final OpusFrameEncoder encoder,
                                   final OpusFrameDecoder decoder) {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[FRAME];
        for (int frame = 0; frame < frames; frame++) {
            final int length = encoder.encode(pcm, frame * FRAME, FRAME, packet, 0, packet.capacity());
            assertEquals(FRAME, decoder.decode(packet, 0, length, out, 0, FRAME));
        }
    }

    private static short[] roundTrip(final short[] pcm, final OpusFrameEncoder encoder, final OpusFrameDecoder decoder) {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[pcm.length];
        for (int at = 0; at + FRAME <= pcm.length; at += FRAME) {
            final int length = encoder.encode(pcm, at, FRAME, packet, 0, packet.capacity());
            assertTrue(length > 0);
            assertEquals(FRAME, decoder.decode(packet, 0, length, out, at, FRAME));
        }
        return out;
    }
}
