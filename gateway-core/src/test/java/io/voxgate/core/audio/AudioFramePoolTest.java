package io.voxgate.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AudioFramePoolTest {

    @Test
    void shouldReturnNullAndCountAMissWhenEmpty() {
        final AudioFramePool pool = new AudioFramePool(1, 160);
        assertNotNull(pool.acquire());
        assertNull(pool.acquire());
        assertEquals(1, pool.misses());
    }

    @Test
    void shouldReuseAReleasedFrame() {
        final AudioFramePool pool = new AudioFramePool(1, 160);
        final AudioFrame frame = pool.acquire();
        frame.release();
        assertSame(frame, pool.acquire());
        assertEquals(0, pool.misses());
    }

    @Test
    void shouldIgnoreAndCountADoubleRelease() {
        final AudioFramePool pool = new AudioFramePool(2, 160);
        final AudioFrame frame = pool.acquire();
        frame.release();
        frame.release();
        assertEquals(1, pool.doubleReleases());
        assertEquals(2, pool.available());
    }

    @Test
    void shouldCopyBytesIn() {
        final AudioFramePool pool = new AudioFramePool(1, 4);
        final byte[] src = {9, 1, 2, 3, 9};
        final AudioFrame frame = pool.acquire().set(AudioFormat.MULAW_8K, new UnsafeBuffer(src), 1, 3, 42L);
        assertEquals(3, frame.length());
        assertEquals(42L, frame.timestampNs());
        assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(frame.array(), 3));
    }

    @Test
    void shouldRejectMoreBytesThanTheFrameHolds() {
        final AudioFramePool pool = new AudioFramePool(1, 4);
        final AudioFrame frame = pool.acquire();
        assertThrows(IllegalArgumentException.class, () -> frame.fill(AudioFormat.MULAW_8K, 5, 0L));
    }

    @Test
    void shouldRejectANonPositiveSize() {
        assertThrows(IllegalArgumentException.class, () -> new AudioFramePool(0, 160));
        assertThrows(IllegalArgumentException.class, () -> new AudioFramePool(4, 0));
    }
}
