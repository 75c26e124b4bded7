package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OpusInBandFec}: the LBRR flags of RFC 6716 §4.2.3 found through every framing of §3.2, on hand-built packets
 * whose bits say what they carry, on what the encoders produce, and never read outside the packet.
 */
class OpusInBandFecTest {
    /** Configurations of RFC 6716 Table 2. */
    private static final int SILK_WB_20_MS = 9;
    private static final int CELT_FB_20_MS = 31;

    private static int toc(final int config, final boolean stereo, final int code) {
        return config << 3 | (stereo ? 0x4 : 0) | code;
    }

    private static boolean carried(final int... bytes) {
        final byte[] packet = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            packet[i] = (byte) bytes[i];
        }
        return OpusInBandFec.carriedBy(new UnsafeBuffer(packet), 0, packet.length);
    }

    /**
     * Where the flags sit, by SILK frames per Opus frame and channels: the VAD flags, then LBRR, for mid and then side.
     * Each row is a one-frame packet whose first byte sets exactly the bits given.
     */
    @ParameterizedTest(name = "config {0}, stereo {1}, first byte {2}: {3}")
    @CsvSource({
        // 20 ms SILK: VAD, then LBRR.
        "9,  false, 01000000, true",
        "9,  false, 11000000, true",
        "9,  false, 10111111, false",
        // 10 ms SILK: one SILK frame too.
        "0,  false, 01000000, true",
        "0,  false, 10000000, false",
        // 40 ms: two VAD flags first.
        "10, false, 00100000, true",
        "10, false, 11011111, false",
        // 60 ms: three.
        "11, false, 00010000, true",
        "11, false, 11101111, false",
        // Stereo, 20 ms: mid VAD, mid LBRR, side VAD, side LBRR.
        "9,  true,  00010000, true",
        "9,  true,  01000000, true",
        "9,  true,  10101111, false",
        // Stereo, 60 ms: the side channel's LBRR flag is the byte's last bit.
        "11, true,  00000001, true",
        "11, true,  11101110, false",
        // Hybrid (SWB 20 ms): the SILK layer comes first in the range coder.
        "13, false, 01000000, true",
        "13, false, 10000000, false",
    })
    void shouldReadTheLbrrFlagsAfterTheVadFlagsOfEachChannel(final int config, final boolean stereo, final String firstByte,
                                                             final boolean expected) {
        assertEquals(expected, carried(toc(config, stereo, 0), Integer.parseInt(firstByte, 2), 0x55));
    }

    @Test
    void shouldNeverFindLbrrInACeltOnlyPacket() {
        for (int config = 16; config < 32; config++) {
            assertFalse(carried(toc(config, false, 0), 0xFF, 0xFF), "config " + config);
        }
        assertFalse(carried(toc(CELT_FB_20_MS, true, 0), 0xFF));
    }

    @Test
    void shouldReadTheFirstOfTwoEqualFrames() {
        assertTrue(carried(toc(SILK_WB_20_MS, false, 1), 0b0100_0000, 0x00));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 1), 0x00, 0b0100_0000), "only the first frame carries it");
        assertFalse(carried(toc(SILK_WB_20_MS, false, 1), 0b0100_0000, 0x00, 0x00), "an odd payload is malformed");
    }

    @Test
    void shouldReadTheFirstOfTwoFramesAfterItsOneOrTwoByteLength() {
        assertTrue(carried(toc(SILK_WB_20_MS, false, 2), 1, 0b0100_0000, 0x00));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 2), 1, 0x00, 0b0100_0000));
        // 252 + 4 * 0 = 252 bytes: longer than this packet.
        assertFalse(carried(toc(SILK_WB_20_MS, false, 2), 252, 0, 0b0100_0000));
        final int[] twoByteLength = new int[3 + 253];
        twoByteLength[0] = toc(SILK_WB_20_MS, false, 2);
        twoByteLength[1] = 253;
        twoByteLength[2] = 0;
        twoByteLength[3] = 0b0100_0000;
        assertTrue(carried(twoByteLength), "a 253-byte first frame after a two-byte length");
    }

    @Test
    void shouldFindNothingInAnEmptyFirstFrame() {
        // A discontinuous-transmission frame: zero bytes, no SILK header at all.
        assertFalse(carried(toc(SILK_WB_20_MS, false, 2), 0, 0b0100_0000));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x82, 0, 0b0100_0000));
    }

    @Test
    void shouldReadTheFirstFrameOfAConstantBitRateCodeThreePacketPastItsPadding() {
        // Two frames of one byte, padding flag set, padding 3 bytes.
        assertTrue(carried(toc(SILK_WB_20_MS, false, 3), 0x42, 3, 0b0100_0000, 0x00, 0xEE, 0xEE, 0xEE));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x42, 3, 0x00, 0b0100_0000, 0xEE, 0xEE, 0xEE));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x42, 200, 0b0100_0000, 0x00), "padding beyond the packet");
    }

    @Test
    void shouldCountAPaddingLengthOf255As254AndAnotherByte() {
        final int[] packet = new int[2 + 2 + 1 + 254 + 1];
        packet[0] = toc(SILK_WB_20_MS, false, 3);
        packet[1] = 0x41;
        packet[2] = 255;
        packet[3] = 1;
        packet[4] = 0b0100_0000;
        assertTrue(carried(packet), "one frame of one byte, then 255 bytes of padding");
    }

    @Test
    void shouldReadTheFirstFrameOfAVariableBitRateCodeThreePacketAfterItsLengths() {
        // Three frames: lengths 1 and 2 given, the last takes the rest.
        assertTrue(carried(toc(SILK_WB_20_MS, false, 3), 0x83, 1, 2, 0b0100_0000, 0x00, 0x00, 0x00));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x83, 1, 2, 0x00, 0b0100_0000, 0x00, 0x00));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x83, 1), "lengths cut off");
    }

    @Test
    void shouldRefuseAFrameCountOfZeroOrAboveFortyEight() {
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 0x00, 0b0100_0000));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 3), 49, 0b0100_0000));
    }

    @Test
    void shouldFindNothingInAPacketTooShortToHoldAFrame() {
        assertFalse(OpusInBandFec.carriedBy(new UnsafeBuffer(new byte[0]), 0, 0));
        assertFalse(carried(toc(SILK_WB_20_MS, false, 0)));
    }

    @Test
    void shouldReadOnlyInsideTheGivenRangeWhateverTheBytes() {
        // UnsafeBuffer checks bounds: a read past the packet would throw, so answering at all proves it stayed inside.
        final Random random = new Random(6716);
        int found = 0;
        for (int i = 0; i < 200_000; i++) {
            final byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (OpusInBandFec.carriedBy(new UnsafeBuffer(bytes), 0, bytes.length)) {
                found++;
            }
        }
        assertTrue(found > 0, "random SILK packets do set the flag sometimes");
    }

    @Test
    void shouldReadAPacketAtAnOffsetInALargerBuffer() {
        final byte[] bytes = {0x7F, 0x7F, (byte) toc(SILK_WB_20_MS, false, 0), 0b0100_0000, 0x7F};
        assertTrue(OpusInBandFec.carriedBy(new UnsafeBuffer(bytes), 2, 2));
    }

    @ParameterizedTest
    @MethodSource("io.voxgate.core.codec.OpusFrameCodecTest#implementations")
    void shouldFindFecInThePacketsOfAnEncoderAskedForItAndNoneOtherwise(final OpusCodecs opus) {
        final int rate = 16_000;
        final int frame = 320;
        // SILK protects a frame only while its speech activity is high: a steady tone counts as speech for about
        // the first 700 ms, then as a stationary noise (measured, both implementations alike), so 30 frames.
        final int frames = 30;
        final short[] tone = Tones.tone(frames * frame, 1_000, rate, 8_000);
        final OpusFrameEncoder withFec = opus.encoder(rate, OpusFrameEncoder.DEFAULT_BITRATE_BPS, true);
        final OpusFrameEncoder withoutFec = opus.encoder(rate, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
        int carriedWith = 0;
        int carriedWithout = 0;
        for (int i = 0; i < frames; i++) {
            if (OpusInBandFec.carriedBy(packet, 0, withFec.encode(tone, i * frame, frame, packet, 0, packet.capacity()))) {
                carriedWith++;
            }
            if (OpusInBandFec.carriedBy(packet, 0, withoutFec.encode(tone, i * frame, frame, packet, 0, packet.capacity()))) {
                carriedWithout++;
            }
        }
        // The first packet has no packet before it to protect.
        assertEquals(frames - 1, carriedWith, "packets carrying FEC");
        assertEquals(0, carriedWithout);
    }
}
