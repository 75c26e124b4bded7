package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class G711TranscoderTest {
    private static final int FRAME = 160;
    private static final int PAD = 5;
    private static final G711Transcoder MU_TO_A = G711Transcoder.between(MuLawCodec.INSTANCE, ALawCodec.INSTANCE);
    private static final G711Transcoder A_TO_MU = G711Transcoder.between(ALawCodec.INSTANCE, MuLawCodec.INSTANCE);

    @Test
    void shouldConvertEveryMuLawCodeAsDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            final byte muLaw = (byte) code;
            final byte aLaw = MU_TO_A.convert(muLaw);
            assertEquals(ALawCodec.INSTANCE.encode(MuLawCodec.INSTANCE.decode(muLaw)), aLaw, "code " + code);
            assertEquals(G711Reference.linearToALaw(G711Reference.muLawToLinear(code)), aLaw & 0xFF, "code " + code);
        }
    }

    @Test
    void shouldConvertEveryALawCodeAsDecodeThenEncode() {
        for (int code = 0; code < 256; code++) {
            final byte aLaw = (byte) code;
            final byte muLaw = A_TO_MU.convert(aLaw);
            assertEquals(MuLawCodec.INSTANCE.encode(ALawCodec.INSTANCE.decode(aLaw)), muLaw, "code " + code);
            assertEquals(G711Reference.linearToMuLaw(G711Reference.aLawToLinear(code)), muLaw & 0xFF, "code " + code);
        }
    }

    @Test
    void shouldConvertArraysLikeScalars() {
        final byte[] in = RandomSamples.codes(FRAME + 2 * PAD, 11);
        final byte[] toALaw = new byte[FRAME + 2 * PAD];
        final byte[] toMuLaw = new byte[FRAME + 2 * PAD];
        MU_TO_A.convert(in, PAD, toALaw, 1, FRAME);
        A_TO_MU.convert(in, PAD, toMuLaw, 2, FRAME);
        for (int i = 0; i < FRAME; i++) {
            assertEquals(MU_TO_A.convert(in[PAD + i]), toALaw[1 + i], "sample " + i);
            assertEquals(A_TO_MU.convert(in[PAD + i]), toMuLaw[2 + i], "sample " + i);
        }
        assertEquals(0, toALaw[1 + FRAME]);
        assertEquals(0, toMuLaw[1]);
    }

    @Test
    void shouldConvertHeapAndOffHeapBuffersLikeArrays() {
        final byte[] in = RandomSamples.codes(FRAME + 2 * PAD, 12);
        final byte[] expectedALaw = new byte[FRAME + 2 * PAD];
        final byte[] expectedMuLaw = new byte[FRAME + 2 * PAD];
        MU_TO_A.convert(in, PAD, expectedALaw, PAD, FRAME);
        A_TO_MU.convert(in, PAD, expectedMuLaw, PAD, FRAME);
        final ByteBuffer directIn = ByteBuffer.allocateDirect(in.length);
        directIn.put(in);
        for (final UnsafeBuffer source : new UnsafeBuffer[] {new UnsafeBuffer(in), new UnsafeBuffer(directIn)}) {
            final UnsafeBuffer aLaw = new UnsafeBuffer(ByteBuffer.allocateDirect(in.length));
            final UnsafeBuffer muLaw = new UnsafeBuffer(new byte[in.length]);
            MU_TO_A.convert(source, PAD, aLaw, PAD, FRAME);
            A_TO_MU.convert(source, PAD, muLaw, PAD, FRAME);
            assertArrayEquals(expectedALaw, bytesOf(aLaw));
            assertArrayEquals(expectedMuLaw, bytesOf(muLaw));
        }
    }

    @Test
    void shouldConvertInPlace() {
        final byte[] codes = RandomSamples.codes(FRAME, 13);
        final byte[] expected = new byte[FRAME];
        MU_TO_A.convert(codes, 0, expected, 0, FRAME);
        MU_TO_A.convert(codes, 0, codes, 0, FRAME);
        assertArrayEquals(expected, codes);
        final UnsafeBuffer buffer = new UnsafeBuffer(RandomSamples.codes(FRAME, 14));
        final byte[] expectedMuLaw = new byte[FRAME];
        A_TO_MU.convert(bytesOf(buffer), 0, expectedMuLaw, 0, FRAME);
        A_TO_MU.convert(buffer, 0, buffer, 0, FRAME);
        assertArrayEquals(expectedMuLaw, bytesOf(buffer));
    }

    @Test
    void shouldRejectRangesOutsideTheArraysAndBuffersNamingTheValues() {
        final byte[] codes = new byte[FRAME];
        final IndexOutOfBoundsException tooLong = assertThrows(
            IndexOutOfBoundsException.class, () -> MU_TO_A.convert(codes, 0, new byte[FRAME - 1], 0, FRAME));
        assertTrue(tooLong.getMessage().contains("159"), tooLong.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> A_TO_MU.convert(codes, -1, codes, 0, 1));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FRAME]);
        assertThrows(IndexOutOfBoundsException.class, () -> MU_TO_A.convert(buffer, 1, buffer, 0, FRAME));
        assertThrows(IndexOutOfBoundsException.class, () -> A_TO_MU.convert(buffer, 0, buffer, 0, -1));
    }

    private static byte[] bytesOf(final UnsafeBuffer buffer) {
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    @Test
    void shouldRefuseToTranscodeALawToItselfOrToAWideEncoding() {
        assertThrows(IllegalArgumentException.class, () -> G711Transcoder.between(MuLawCodec.INSTANCE, MuLawCodec.INSTANCE));
        assertThrows(IllegalArgumentException.class, () -> G711Transcoder.between(ALawCodec.INSTANCE, Pcm16Codec.INSTANCE));
    }
}
