package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ALawCodecTest {
    private static final int FRAME = 160;
    private static final int PAD = 7;

    @Test
    void shouldEncodeEveryLinearSampleAsTheG191Reference() {
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final int expected = G711Reference.linearToALaw(pcm);
            final int actual = ALawCodec.INSTANCE.encode((short) pcm) & 0xFF;
            assertEquals(expected, actual, "pcm " + pcm);
        }
    }

    @Test
    void shouldDecodeEveryCodeAsTheG191Reference() {
        for (int code = 0; code < 256; code++) {
            assertEquals(G711Reference.aLawToLinear(code), ALawCodec.INSTANCE.decode((byte) code), "code " + code);
        }
    }

    @Test
    void shouldDecodeTheAnchorValues() {
        assertEquals(8, ALawCodec.INSTANCE.decode((byte) 0xD5));
        assertEquals(-8, ALawCodec.INSTANCE.decode((byte) 0x55));
        assertEquals(32256, ALawCodec.INSTANCE.decode((byte) 0xAA));
        assertEquals(-32256, ALawCodec.INSTANCE.decode((byte) 0x2A));
    }

    @Test
    void shouldEncodeSilenceAsTheSmallestPositiveLevelAndFoldNegativesByOnesComplement() {
        assertEquals(ALawCodec.INSTANCE.silenceByte(), ALawCodec.INSTANCE.encode((short) 0));
        assertEquals(ALawCodec.INSTANCE.silenceByte(), ALawCodec.INSTANCE.encode((short) 15));
        assertEquals((byte) 0x55, ALawCodec.INSTANCE.encode((short) -1));
        assertEquals((byte) 0x55, ALawCodec.INSTANCE.encode((short) -16));
        assertEquals((byte) 0x54, ALawCodec.INSTANCE.encode((short) -17));
    }

    @Test
    void shouldIgnoreTheThreeBitsBelowTheThirteenItQuantises() {
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            assertEquals(ALawCodec.INSTANCE.encode((short) (pcm & ~7)), ALawCodec.INSTANCE.encode((short) pcm), "pcm " + pcm);
        }
    }

    @Test
    void shouldReencodeEveryDecodedLevelToItsOwnCode() {
        for (int code = 0; code < 256; code++) {
            assertEquals(code, ALawCodec.INSTANCE.encode(ALawCodec.INSTANCE.decode((byte) code)) & 0xFF, "code " + code);
        }
    }

    @Test
    void shouldDecodeEncodedSamplesToANonDecreasingStaircase() {
        int previous = Integer.MIN_VALUE;
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final int level = ALawCodec.INSTANCE.decode(ALawCodec.INSTANCE.encode((short) pcm));
            assertTrue(level >= previous, "pcm " + pcm + " decoded to " + level + " below " + previous);
            previous = level;
        }
    }

    @Test
    void shouldKeepQuantisationErrorWithinHalfAStepOfTheSegmentOrSaturate() {
        final int fullScale = ALawCodec.INSTANCE.decode((byte) 0xAA);
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final byte code = ALawCodec.INSTANCE.encode((short) pcm);
            final int level = ALawCodec.INSTANCE.decode(code);
            final int halfStep = G711Reference.aLawHalfStep(code & 0xFF);
            if (Math.abs(pcm) <= fullScale + halfStep) {
                assertTrue(Math.abs(level - pcm) <= halfStep, "pcm " + pcm + " decoded to " + level);
            } else {
                assertEquals(pcm > 0 ? fullScale : -fullScale, level, "pcm " + pcm);
            }
        }
    }

    @Test
    void shouldEncodeArraysLikeScalars() {
        final short[] pcm = RandomSamples.pcm(FRAME + 2 * PAD, 1);
        final byte[] out = new byte[FRAME + 2 * PAD];
        ALawCodec.INSTANCE.encode(pcm, PAD, out, 3, FRAME);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(ALawCodec.INSTANCE.encode(pcm[PAD + i]), out[3 + i], "sample " + i);
        }
        assertEquals(0, out[2]);
        assertEquals(0, out[3 + FRAME]);
    }

    @Test
    void shouldDecodeArraysLikeScalars() {
        final byte[] in = RandomSamples.codes(FRAME + 2 * PAD, 2);
        final short[] out = new short[FRAME + 2 * PAD];
        ALawCodec.INSTANCE.decode(in, PAD, out, 5, FRAME);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(ALawCodec.INSTANCE.decode(in[PAD + i]), out[5 + i], "sample " + i);
        }
        assertEquals(0, out[4]);
        assertEquals(0, out[5 + FRAME]);
    }

    @Test
    void shouldDecodeHeapAndOffHeapBuffersLikeScalars() {
        final byte[] codes = RandomSamples.codes(FRAME + 2 * PAD, 3);
        final ByteBuffer direct = ByteBuffer.allocateDirect(codes.length);
        direct.put(codes);
        final UnsafeBuffer[] buffers = {new UnsafeBuffer(codes), new UnsafeBuffer(direct), new UnsafeBuffer(codes, 2, FRAME + PAD)};
        final int[] shifts = {0, 0, 2};
        for (int b = 0; b < buffers.length; b++) {
            final short[] out = new short[FRAME];
            ALawCodec.INSTANCE.decode(buffers[b], PAD - shifts[b], out, 0, FRAME);
            for (int i = 0; i < FRAME; i++) {
                assertEquals(ALawCodec.INSTANCE.decode(codes[PAD + i]), out[i], "buffer " + b + " sample " + i);
            }
        }
    }

    @Test
    void shouldEncodeIntoHeapAndOffHeapBuffersLikeScalars() {
        final short[] pcm = RandomSamples.pcm(FRAME, 4);
        final byte[] expected = new byte[FRAME + 2 * PAD];
        ALawCodec.INSTANCE.encode(pcm, 0, expected, PAD, FRAME);
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[FRAME + 2 * PAD]);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME + 2 * PAD));
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {heap, offHeap}) {
            ALawCodec.INSTANCE.encode(pcm, 0, buffer, PAD, FRAME);
            final byte[] actual = new byte[FRAME + 2 * PAD];
            buffer.getBytes(0, actual);
            assertArrayEquals(expected, actual);
        }
    }

    @Test
    void shouldRejectRangesOutsideTheArraysNamingTheValues() {
        final short[] pcm = new short[FRAME];
        final byte[] codes = new byte[FRAME];
        final IndexOutOfBoundsException tooLong = assertThrows(
            IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.encode(pcm, 1, codes, 0, FRAME));
        assertTrue(tooLong.getMessage().contains("160"), tooLong.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.encode(pcm, 0, codes, -1, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.decode(codes, 0, pcm, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.decode(codes, 0, pcm, 151, 10));
    }

    @Test
    void shouldRejectRangesOutsideTheBuffersWithoutTouchingThem() {
        final short[] pcm = new short[FRAME];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FRAME]);
        final IndexOutOfBoundsException tooLong = assertThrows(
            IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.encode(pcm, 0, buffer, 1, FRAME));
        assertTrue(tooLong.getMessage().contains("160"), tooLong.getMessage());
        assertEquals(0, buffer.getByte(1));
        assertThrows(IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.decode(buffer, -1, pcm, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ALawCodec.INSTANCE.decode(buffer, 0, pcm, 1, FRAME));
    }
}
