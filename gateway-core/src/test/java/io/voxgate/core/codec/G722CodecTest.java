package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** {@link G722Encoder} and {@link G722Decoder}: 64 kbit/s mode round trips, state, reset and framing. */
class G722CodecTest {
    private static final int RATE = 16_000;
    private static final int FRAME = 320;
    /** Transmit plus receive QMF: 23 samples of delay. */
    private static final int MAX_DELAY = 40;

    @Test
    void shouldRoundTripAToneAboveTwentyFiveDb() {
        final short[] tone = Tones.tone(RATE, 1_000, RATE, 10_000);
        final short[] decoded = roundTrip(tone, FRAME);
        final double snr = Tones.snrDb(tone, decoded, MAX_DELAY, 1_600);
        assertTrue(snr > 25, "SNR " + snr + " dB");
        assertEquals(Tones.rms(tone, 1_600), Tones.rms(decoded, 1_600), Tones.rms(tone, 1_600) * 0.05, "level kept");
    }

    @Test
    void shouldRoundTripAChirpAcrossTheWidebandAboveTwentyDb() {
        final short[] chirp = Tones.chirp(2 * RATE, 100, 6_800, RATE, 8_000);
        final double snr = Tones.snrDb(chirp, roundTrip(chirp, FRAME), MAX_DELAY, 1_600);
        assertTrue(snr > 20, "SNR " + snr + " dB");
    }

    @Test
    void shouldCodeOneOctetPerTwoSamplesSoTwentyMillisecondsAreOneHundredSixtyOctets() {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[G722Encoder.BYTES_PER_20MS]);
        assertEquals(160, new G722Encoder().encode(new short[FRAME], 0, out, 0, FRAME));
        assertEquals(FRAME, new G722Decoder().decode(out, 0, 160, new short[FRAME], 0));
    }

    @Test
    void shouldGiveTheSameOctetsWhateverTheChunking() {
        final short[] pcm = Tones.chirp(4 * FRAME, 300, 5_000, RATE, 12_000);
        final UnsafeBuffer whole = new UnsafeBuffer(new byte[pcm.length / 2]);
        new G722Encoder().encode(pcm, 0, whole, 0, pcm.length);
        final UnsafeBuffer pieces = new UnsafeBuffer(new byte[pcm.length / 2]);
        final G722Encoder encoder = new G722Encoder();
        int at = 0;
        for (final int chunk : new int[] {2, 318, 160, 480, 320}) {
            encoder.encode(pcm, at, pieces, at / 2, chunk);
            at += chunk;
        }
        assertArrayEquals(whole.byteArray(), pieces.byteArray());
    }

    @Test
    void shouldReturnToTheResetStateOnReset() {
        final short[] speech = Tones.chirp(2 * FRAME, 200, 3_000, RATE, 20_000);
        final short[] probe = Tones.tone(FRAME, 700, RATE, 5_000);
        final UnsafeBuffer fresh = new UnsafeBuffer(new byte[FRAME / 2]);
        new G722Encoder().encode(probe, 0, fresh, 0, FRAME);

        final G722Encoder used = new G722Encoder();
        used.encode(speech, 0, new UnsafeBuffer(new byte[FRAME]), 0, speech.length);
        used.reset();
        final UnsafeBuffer afterReset = new UnsafeBuffer(new byte[FRAME / 2]);
        used.encode(probe, 0, afterReset, 0, FRAME);
        assertArrayEquals(fresh.byteArray(), afterReset.byteArray(), "encoder");

        final short[] freshPcm = new short[FRAME];
        new G722Decoder().decode(fresh, 0, FRAME / 2, freshPcm, 0);
        final G722Decoder decoder = new G722Decoder();
        decoder.decode(new UnsafeBuffer(RandomSamples.codes(FRAME, 7)), 0, FRAME, new short[2 * FRAME], 0);
        decoder.reset();
        final short[] resetPcm = new short[FRAME];
        decoder.decode(fresh, 0, FRAME / 2, resetPcm, 0);
        assertArrayEquals(freshPcm, resetPcm, "decoder");
    }

    @Test
    void shouldStartFromTheRecommendationsScaleFactors() {
        // From reset (DETL = 32, DETH = 8) a zero input lands in the lower quantiser's fourth interval, whose
        // decision levels 35, 72 and 110 all truncate to 0 at that scale, and in the higher one's small interval.
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1]);
        new G722Encoder().encode(new short[2], 0, out, 0, 2);
        assertEquals(3 << 6 | 58, out.getByte(0) & 0xFF);
    }

    @Test
    void shouldDecodeSilenceToNearSilence() {
        final short[] silence = new short[RATE];
        final short[] decoded = roundTrip(silence, FRAME);
        assertTrue(Tones.rms(decoded, FRAME) < 8, "rms " + Tones.rms(decoded, FRAME));
    }

    @Test
    void shouldSurviveFullScaleInputWithoutWrapping() {
        final short[] loud = Tones.tone(RATE / 2, 440, RATE, 32_767);
        final double snr = Tones.snrDb(loud, roundTrip(loud, FRAME), MAX_DELAY, 1_600);
        assertTrue(snr > 15, "SNR " + snr + " dB");
    }

    @Test
    void shouldRefuseAnOddSampleCount() {
        assertThrows(IllegalArgumentException.class,
            () -> new G722Encoder().encode(new short[3], 0, new UnsafeBuffer(new byte[2]), 0, 3));
    }

    @Test
    void shouldRefuseRangesThatDoNotFit() {
        assertThrows(IndexOutOfBoundsException.class,
            () -> new G722Encoder().encode(new short[FRAME], 0, new UnsafeBuffer(new byte[159]), 0, FRAME));
        assertThrows(IndexOutOfBoundsException.class,
            () -> new G722Decoder().decode(new UnsafeBuffer(new byte[160]), 0, 160, new short[319], 0));
    }

    @Test
    void shouldAllocateNothingPerFrame() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        final short[] pcm = Tones.chirp(FRAME, 300, 5_000, RATE, 12_000);
        final short[] out = new short[FRAME];
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[G722Encoder.BYTES_PER_20MS]);
        final G722Encoder encoder = new G722Encoder();
        final G722Decoder decoder = new G722Decoder();
        for (int i = 0; i < 20_000; i++) {
            encoder.encode(pcm, 0, wire, 0, FRAME);
            decoder.decode(wire, 0, G722Encoder.BYTES_PER_20MS, out, 0);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = hotspot.getThreadAllocatedBytes(threadId);
        final int frames = 20_000;
        for (int i = 0; i < frames; i++) {
            encoder.encode(pcm, 0, wire, 0, FRAME);
            decoder.decode(wire, 0, G722Encoder.BYTES_PER_20MS, out, 0);
        }
        final long allocated = hotspot.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < frames / 10, allocated + " bytes over " + frames + " frames");
    }

    private static short[] roundTrip(final short[] pcm, final int chunk) {
        final G722Encoder encoder = new G722Encoder();
        final G722Decoder decoder = new G722Decoder();
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[chunk / 2]);
        final short[] out = new short[pcm.length];
        for (int at = 0; at + chunk <= pcm.length; at += chunk) {
            encoder.encode(pcm, at, wire, 0, chunk);
            decoder.decode(wire, 0, chunk / 2, out, at);
        }
        return out;
    }
}
