package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the libopus codec promises: it understands Concentus both ways (two independent builds of the codec),
 * decodes a fullband sender straight at 8 kHz, and allocates nothing per frame.
 */
class LibOpusCodecTest {
    private static final int RATE = 16_000;
    private static final int FRAME = 320;

    private final OpusCodecs libopus = OpusCodecs.system();

    @BeforeEach
    void requireLibopus() {
        assumeTrue(libopus.implementation() == OpusCodecs.Implementation.LIBOPUS,
            "libopus did not load: " + libopus.fallbackReason().orElse(""));
    }

    @Test
    void shouldDecodeWhatConcentusEncodes() {
        assertToneSurvives(OpusCodecs.concentus().encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false),
            libopus.decoder(RATE));
    }

    @Test
    void shouldBeDecodedByConcentus() {
        assertToneSurvives(libopus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false),
            OpusCodecs.concentus().decoder(RATE));
    }

    @Test
    void shouldDecodeAFullbandSenderStraightAtEightKilohertz() {
        final short[] tone = Tones.tone(48_000, 1_000, 48_000, 8_000);
        final OpusFrameEncoder fullband = OpusCodecs.concentus().encoder(48_000, 64_000, true);
        final OpusFrameDecoder decoder = libopus.decoder(8_000);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[8_000];
        for (int frame = 0; frame < 50; frame++) {
            final int length = fullband.encode(tone, frame * 960, 960, packet, 0, packet.capacity());
            assertEquals(160, decoder.decode(packet, 0, length, out, frame * 160, 160));
        }
        assertEquals(1_000, Tones.dominantFrequencyHz(out, 1_600, 8_000, 10), 10);
        final double ratio = Tones.rms(out, 1_600) / Tones.rms(tone, 9_600);
        assertTrue(ratio > 0.8 && ratio < 1.2, "level ratio " + ratio);
    }

    @Test
    void shouldAllocateNothingPerFrame() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        final short[] pcm = Tones.chirp(FRAME, 300, 5_000, RATE, 12_000);
        final short[] out = new short[FRAME];
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final OpusFrameEncoder encoder = libopus.encoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final OpusFrameDecoder decoder = libopus.decoder(RATE);
        // Warm-up: the first few thousand calls allocate a little while the JIT compiles (24 KB once, then a few
        // hundred bytes); from about 10,000 calls of each on, a measured stretch counts zero bytes.
        for (int i = 0; i < 5_000; i++) {
            frame(encoder, decoder, pcm, wire, out, i);
        }
        final long threadId = Thread.currentThread().getId();
        hotspot.getThreadAllocatedBytes(threadId);
        // The fewest bytes of five rounds: a late compilation's few hundred bytes can land in a round, while anything
        // a frame allocates shows in every round, a thousand times over (Concentus: about 100 MB a round).
        final int frames = 1_000;
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            final long before = hotspot.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < frames; i++) {
                frame(encoder, decoder, pcm, wire, out, i);
            }
            fewest = Math.min(fewest, hotspot.getThreadAllocatedBytes(threadId) - before);
        }
        assertTrue(fewest < frames / 10, fewest + " bytes over " + frames + " frames");
    }

    /** One tick of a call: encode, decode, and every tenth frame a concealment as if a packet were lost. */
    private static void frame(final OpusFrameEncoder encoder, final OpusFrameDecoder decoder, final short[] pcm,
                              final UnsafeBuffer wire, final short[] out, final int i) {
        final int length = encoder.encode(pcm, 0, FRAME, wire, 0, wire.capacity());
        decoder.decode(wire, 0, length, out, 0, FRAME);
        if (i % 10 == 0) {
            decoder.conceal(out, 0, FRAME);
        }
    }

    private static void assertToneSurvives(final OpusFrameEncoder encoder, final OpusFrameDecoder decoder) {
        final short[] tone = Tones.tone(RATE, 1_000, RATE, 8_000);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        final short[] out = new short[tone.length];
        for (int at = 0; at + FRAME <= tone.length; at += FRAME) {
            final int length = encoder.encode(tone, at, FRAME, packet, 0, packet.capacity());
            assertTrue(length > 0);
            assertEquals(FRAME, decoder.decode(packet, 0, length, out, at, FRAME));
        }
        assertEquals(1_000, Tones.dominantFrequencyHz(out, 3_200, RATE, 10), 10);
        final double ratio = Tones.rms(out, 3_200) / Tones.rms(tone, 3_200);
        assertTrue(ratio > 0.8 && ratio < 1.2, "level ratio " + ratio);
    }
}
