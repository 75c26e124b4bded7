package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PreConnectBufferTest {

    private static UnsafeBuffer frame(final int length, final int value) {
        final byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return new UnsafeBuffer(b);
    }

    private static List<byte[]> drain(final PreConnectBuffer buffer, final List<Long> timestamps) {
        final List<byte[]> frames = new ArrayList<>();
        buffer.drainTo((audio, offset, length, timestampNs) -> {
            final byte[] copy = new byte[length];
            audio.getBytes(offset, copy);
            frames.add(copy);
            timestamps.add(timestampNs);
        });
        return frames;
    }

    @Test
    void shouldDeliverFramesInArrivalOrderWithTheirBoundariesAndTimes() {
        final PreConnectBuffer buffer = new PreConnectBuffer(1_000, 10);
        buffer.offer(frame(160, 1), 0, 160, 10L);
        buffer.offer(frame(100, 2), 0, 100, 20L);
        buffer.offer(frame(161, 3), 0, 161, 30L);

        final List<Long> times = new ArrayList<>();
        final List<byte[]> frames = drain(buffer, times);

        assertEquals(3, frames.size());
        assertEquals(160, frames.get(0).length);
        assertEquals(100, frames.get(1).length);
        assertEquals(161, frames.get(2).length);
        assertEquals(1, frames.get(0)[159]);
        assertEquals(2, frames.get(1)[0]);
        assertEquals(3, frames.get(2)[160]);
        assertEquals(List.of(10L, 20L, 30L), times);
    }

    @Test
    void shouldKeepTheFirstWordsAndDropTheNewestPastTheBound() {
        final PreConnectBuffer buffer = new PreConnectBuffer(480, 10);
        for (int i = 0; i < 5; i++) {
            assertEquals(i < 3, buffer.offer(frame(160, i), 0, 160, i));
        }

        final List<byte[]> frames = drain(buffer, new ArrayList<>());

        assertEquals(3, frames.size());
        assertEquals(0, frames.get(0)[0]);
        assertEquals(2, frames.get(2)[0]);
        assertEquals(2, buffer.framesDropped());
        assertEquals(320, buffer.bytesDropped());
    }

    @Test
    void shouldDropEverySmallerFrameAfterTheFirstDropSoTheAgentSeesNoGap() {
        final PreConnectBuffer buffer = new PreConnectBuffer(200, 10);
        buffer.offer(frame(160, 1), 0, 160, 0L);
        assertFalse(buffer.offer(frame(160, 2), 0, 160, 1L));

        assertFalse(buffer.offer(frame(20, 3), 0, 20, 2L));

        assertEquals(1, drain(buffer, new ArrayList<>()).size());
    }

    @Test
    void shouldBoundTheNumberOfFrames() {
        final PreConnectBuffer buffer = new PreConnectBuffer(10_000, 2);
        buffer.offer(frame(1, 1), 0, 1, 0L);
        buffer.offer(frame(1, 1), 0, 1, 0L);

        assertFalse(buffer.offer(frame(1, 1), 0, 1, 0L));
        assertEquals(1, buffer.framesDropped());
    }

    @Test
    void shouldAcceptAudioAgainAfterADrain() {
        final PreConnectBuffer buffer = new PreConnectBuffer(160, 10);
        buffer.offer(frame(160, 1), 0, 160, 0L);
        buffer.offer(frame(160, 2), 0, 160, 0L);
        drain(buffer, new ArrayList<>());

        assertTrue(buffer.offer(frame(160, 3), 0, 160, 0L));
        assertEquals(3, drain(buffer, new ArrayList<>()).get(0)[0]);
        assertEquals(0, buffer.frameCount());
    }

    @Test
    void shouldRejectBadSizesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PreConnectBuffer(-1, 1)).getMessage()
            .contains("capacityBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PreConnectBuffer(1, 0)).getMessage()
            .contains("maxFrames"));
    }
}
