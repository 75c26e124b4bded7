package io.voxgate.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Pcm16LittleEndianTest {
    private static final int ALL_SAMPLES = 1 << 16;

    @Test
    void shouldWriteTheLowByteFirst() {
        final short[] pcm = {0x1234, (short) 0xABCD};
        final byte[] expected = {0, 0x34, 0x12, (byte) 0xCD, (byte) 0xAB};
        final byte[] array = new byte[5];
        Pcm16LittleEndian.write(pcm, 0, array, 1, 2);
        assertArrayEquals(expected, array);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(5));
        Pcm16LittleEndian.write(pcm, 0, buffer, 1, 2);
        final byte[] written = new byte[5];
        buffer.getBytes(0, written);
        assertArrayEquals(expected, written);
    }

    @Test
    void shouldReadTheLowByteFirst() {
        final byte[] bytes = {0x7F, 0x34, 0x12, (byte) 0xCD, (byte) 0xAB};
        final short[] fromArray = new short[2];
        Pcm16LittleEndian.read(bytes, 1, fromArray, 0, 2);
        assertArrayEquals(new short[] {0x1234, (short) 0xABCD}, fromArray);
        final short[] fromBuffer = new short[3];
        Pcm16LittleEndian.read(new UnsafeBuffer(bytes), 1, fromBuffer, 1, 2);
        assertArrayEquals(new short[] {0, 0x1234, (short) 0xABCD}, fromBuffer);
    }

    @Test
    void shouldAgreeWithAgronaLittleEndianAccessAtAnOddOffset() {
        final byte[] bytes = RandomSamples.codes(2 * 160 + 1, 21);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final short[] samples = new short[160];
        Pcm16LittleEndian.read(buffer, 1, samples, 0, 160);
        for (int i = 0; i < 160; i++) {
            assertEquals(buffer.getShort(1 + 2 * i, ByteOrder.LITTLE_ENDIAN), samples[i], "sample " + i);
        }
    }

    @Test
    void shouldRoundTripEverySampleValueThroughArraysAndBuffers() {
        final short[] every = new short[ALL_SAMPLES];
        for (int i = 0; i < ALL_SAMPLES; i++) {
            every[i] = (short) (Short.MIN_VALUE + i);
        }
        final byte[] bytes = new byte[2 * ALL_SAMPLES + 1];
        Pcm16LittleEndian.write(every, 0, bytes, 1, ALL_SAMPLES);
        final short[] fromArray = new short[ALL_SAMPLES];
        Pcm16LittleEndian.read(bytes, 1, fromArray, 0, ALL_SAMPLES);
        assertArrayEquals(every, fromArray);

        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * ALL_SAMPLES + 3));
        Pcm16LittleEndian.write(every, 0, offHeap, 3, ALL_SAMPLES);
        final short[] fromBuffer = new short[ALL_SAMPLES];
        Pcm16LittleEndian.read(offHeap, 3, fromBuffer, 0, ALL_SAMPLES);
        assertArrayEquals(every, fromBuffer);
    }

    @Test
    void shouldCountTheSamplesInAnEvenByteCount() {
        assertEquals(160, Pcm16LittleEndian.samplesIn(320));
        assertEquals(0, Pcm16LittleEndian.samplesIn(0));
    }

    @Test
    void shouldRejectAnOddByteCountNamingIt() {
        final IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Pcm16LittleEndian.samplesIn(321));
        assertTrue(odd.getMessage().contains("321"), odd.getMessage());
    }

    @Test
    void shouldRejectANegativeByteCountNamingIt() {
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Pcm16LittleEndian.samplesIn(-2));
        assertTrue(negative.getMessage().contains("-2"), negative.getMessage());
    }

    @Test
    void shouldRejectRangesOutsideTheArraysAndBuffersWithoutTouchingThem() {
        final short[] pcm = new short[160];
        final byte[] bytes = new byte[319];
        final IndexOutOfBoundsException tooShort = assertThrows(
            IndexOutOfBoundsException.class, () -> Pcm16LittleEndian.write(pcm, 0, bytes, 0, 160));
        assertTrue(tooShort.getMessage().contains("319"), tooShort.getMessage());
        assertArrayEquals(new byte[319], bytes);
        assertThrows(IndexOutOfBoundsException.class, () -> Pcm16LittleEndian.read(bytes, 0, pcm, 1, 160));
        assertThrows(IndexOutOfBoundsException.class, () -> Pcm16LittleEndian.read(bytes, -1, pcm, 0, 1));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[320]);
        assertThrows(IndexOutOfBoundsException.class, () -> Pcm16LittleEndian.write(pcm, 0, buffer, 1, 160));
        assertThrows(IndexOutOfBoundsException.class, () -> Pcm16LittleEndian.read(buffer, 0, pcm, 0, -1));
    }
}
