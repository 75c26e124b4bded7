package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MuLawCodecTest {
    private static final int FRAME = 160;
    private static final int PAD = 7;

    @Test
    void shouldEncodeEveryLinearSampleAsTheG191Reference() {
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final int expected = G711Reference.linearToMuLaw(pcm);
            final int actual = MuLawCodec.INSTANCE.encode((short) pcm) & 0xFF;
            assertEquals(expected, actual, "pcm " + pcm);
        }
    }

    @Test
    void shouldDecodeEveryCodeAsTheG191Reference() {
        for (int code = 0; code < 256; code++) {
            assertEquals(G711Reference.muLawToLinear(code), MuLawCodec.INSTANCE.decode((byte) code), "code " + code);
        }
    }

    @Test
    void shouldDecodeTheAnchorValues() {
        assertEquals(0, MuLawCodec.INSTANCE.decode((byte) 0xFF));
        assertEquals(0, MuLawCodec.INSTANCE.decode((byte) 0x7F));
        assertEquals(-32124, MuLawCodec.INSTANCE.decode((byte) 0x00));
        assertEquals(32124, MuLawCodec.INSTANCE.decode((byte) 0x80));
    }

    @Test
    void shouldEncodeSilenceAsPositiveZeroAndFoldNegativesByOnesComplement() {
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), MuLawCodec.INSTANCE.encode((short) 0));
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), MuLawCodec.INSTANCE.encode((short) 3));
        assertEquals((byte) 0x7F, MuLawCodec.INSTANCE.encode((short) -1));
        assertEquals((byte) 0x7F, MuLawCodec.INSTANCE.encode((short) -4));
        assertEquals((byte) 0x7E, MuLawCodec.INSTANCE.encode((short) -5));
    }

    @Test
    void shouldIgnoreTheTwoBitsBelowTheFourteenItQuantises() {
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            assertEquals(MuLawCodec.INSTANCE.encode((short) (pcm & ~3)), MuLawCodec.INSTANCE.encode((short) pcm), "pcm " + pcm);
        }
    }

    @Test
    void shouldReencodeEveryDecodedLevelToItsOwnCodeExceptNegativeZero() {
        for (int code = 0; code < 256; code++) {
            final short level = MuLawCodec.INSTANCE.decode((byte) code);
            final byte reencoded = MuLawCodec.INSTANCE.encode(level);
            assertEquals(level, MuLawCodec.INSTANCE.decode(reencoded), "code " + code);
            final int expectedCode = code == 0x7F ? 0xFF : code;
            assertEquals(expectedCode, reencoded & 0xFF, "code " + code);
        }
    }

    @Test
    void shouldDecodeEncodedSamplesToANonDecreasingStaircase() {
        int previous = Integer.MIN_VALUE;
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final int level = MuLawCodec.INSTANCE.decode(MuLawCodec.INSTANCE.encode((short) pcm));
            assertTrue(level >= previous, "pcm " + pcm + " decoded to " + level + " below " + previous);
            previous = level;
        }
    }

    @Test
    void shouldKeepQuantisationErrorWithinHalfAStepOfTheSegmentOrSaturate() {
        final int fullScale = MuLawCodec.INSTANCE.decode((byte) 0x80);
        for (int pcm = Short.MIN_VALUE; pcm <= Short.MAX_VALUE; pcm++) {
            final byte code = MuLawCodec.INSTANCE.encode((short) pcm);
            final int level = MuLawCodec.INSTANCE.decode(code);
            final int halfStep = G711Reference.muLawHalfStep(code & 0xFF);
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
        MuLawCodec.INSTANCE.encode(pcm, PAD, out, 3, FRAME);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(MuLawCodec.INSTANCE.encode(pcm[PAD + i]), out[3 + i], "sample " + i);
        }
        assertEquals(0, out[2]);
        assertEquals(0, out[3 + FRAME]);
    }

    @Test
    void shouldDecodeArraysLikeScalars() {
        final byte[] in = RandomSamples.codes(FRAME + 2 * PAD, 2);
        final short[] out = new short[FRAME + 2 * PAD];
        MuLawCodec.INSTANCE.decode(in, PAD, out, 5, FRAME);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(MuLawCodec.INSTANCE.decode(in[PAD + i]), out[5 + i], "sample " + i);
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
            MuLawCodec.INSTANCE.decode(buffers[b], PAD - shifts[b], out, 0, FRAME);
            for (int i = 0; i < FRAME; i++) {
                assertEquals(MuLawCodec.INSTANCE.decode(codes[PAD + i]), out[i], "buffer " + b + " sample " + i);
            }
        }
    }

    @Test
    void shouldEncodeIntoHeapAndOffHeapBuffersLikeScalars() {
        final short[] pcm = RandomSamples.pcm(FRAME, 4);
        final byte[] expected = new byte[FRAME + 2 * PAD];
        MuLawCodec.INSTANCE.encode(pcm, 0, expected, PAD, FRAME);
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[FRAME + 2 * PAD]);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME + 2 * PAD));
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {heap, offHeap}) {
            MuLawCodec.INSTANCE.encode(pcm, 0, buffer, PAD, FRAME);
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
            IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.encode(pcm, 1, codes, 0, FRAME));
        assertTrue(tooLong.getMessage().contains("160"), tooLong.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.encode(pcm, 0, codes, -1, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.decode(codes, 0, pcm, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.decode(codes, 0, pcm, 151, 10));
    }

    @Test
    void shouldRejectRangesOutsideTheBuffersWithoutTouchingThem() {
        final short[] pcm = new short[FRAME];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FRAME]);
        final IndexOutOfBoundsException tooLong = assertThrows(
            IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.encode(pcm, 0, buffer, 1, FRAME));
        assertTrue(tooLong.getMessage().contains("160"), tooLong.getMessage());
        assertEquals(0, buffer.getByte(1));
        assertThrows(IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.decode(buffer, -1, pcm, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> MuLawCodec.INSTANCE.decode(buffer, 0, pcm, 1, FRAME));
    }
}
