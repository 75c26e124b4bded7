package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.audio.AudioFormat;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PreConnectBufferTest {

    /** Four 20 ms mu-law frames, as the call session sizes it. */
    private static final int FRAME_CAPACITY = 4 * AudioFormat.MULAW_8K.bytesPerFrame();

    private static PreConnectBuffer buffer(final int capacityBytes, final int maxFrames) {
        return new PreConnectBuffer(AudioFormat.MULAW_8K, capacityBytes, maxFrames, FRAME_CAPACITY);
    }

    private static UnsafeBuffer frame(final int length, final int value) {
        final byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
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
        final PreConnectBuffer buffer = buffer(1_000, 10);
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
        final PreConnectBuffer buffer = buffer(480, 10);
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
        final PreConnectBuffer buffer = buffer(200, 10);
        buffer.offer(frame(160, 1), 0, 160, 0L);
        assertFalse(buffer.offer(frame(160, 2), 0, 160, 1L));

        assertFalse(buffer.offer(frame(20, 3), 0, 20, 2L));

        assertEquals(1, drain(buffer, new ArrayList<>()).size());
    }

    @Test
    void shouldBoundTheNumberOfFrames() {
        final PreConnectBuffer buffer = buffer(10_000, 2);
        buffer.offer(frame(1, 1), 0, 1, 0L);
        buffer.offer(frame(1, 1), 0, 1, 0L);

        assertFalse(buffer.offer(frame(1, 1), 0, 1, 0L));
        assertEquals(1, buffer.framesDropped());
    }

    @Test
    void shouldAcceptAudioAgainAfterADrain() {
        final PreConnectBuffer buffer = buffer(160, 10);
        buffer.offer(frame(160, 1), 0, 160, 0L);
        buffer.offer(frame(160, 2), 0, 160, 0L);
        drain(buffer, new ArrayList<>());

        assertTrue(buffer.offer(frame(160, 3), 0, 160, 0L));
        assertEquals(3, drain(buffer, new ArrayList<>()).get(0)[0]);
        assertEquals(0, buffer.frameCount());
    }

    @Test
    void shouldHandOnAFrameLongerThanAPooledFrameAsItsPiecesInOrderWithItsTime() {
        final PreConnectBuffer buffer = new PreConnectBuffer(AudioFormat.MULAW_8K, 1_000, 10, 100);
        final byte[] audio = new byte[250];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        buffer.offer(new UnsafeBuffer(audio), 0, 250, 7L);
        assertEquals(1, buffer.frameCount());

        final List<Long> times = new ArrayList<>();
        final List<byte[]> pieces = new ArrayList<>();
        final int delivered = buffer.drainTo((src, offset, length, timestampNs) -> {
            final byte[] copy = new byte[length];
            src.getBytes(offset, copy);
            pieces.add(copy);
            times.add(timestampNs);
        });

        assertEquals(1, delivered);
        assertEquals(List.of(100, 100, 50), pieces.stream().map(p -> p.length).toList());
        assertArrayEquals(audio, concat(pieces));
        assertEquals(List.of(7L, 7L, 7L), times);
    }

    @Test
    void shouldDropALongFrameWholeWhenItNeedsMorePooledFramesThanAreFree() {
        final PreConnectBuffer buffer = new PreConnectBuffer(AudioFormat.MULAW_8K, 1_000, 3, 100);
        buffer.offer(frame(100, 1), 0, 100, 0L);

        assertFalse(buffer.offer(frame(300, 2), 0, 300, 1L));
        assertFalse(buffer.offer(frame(10, 3), 0, 10, 2L));

        assertEquals(2, buffer.framesDropped());
        assertEquals(310, buffer.bytesDropped());
        assertEquals(1, buffer.frameCount());
        assertEquals(100, buffer.byteCount());
        assertEquals(2, buffer.pool().available());
        assertEquals(0, buffer.pool().misses());
    }

    @Test
    void shouldReturnEveryFrameToThePoolWhenCleared() {
        final PreConnectBuffer buffer = new PreConnectBuffer(AudioFormat.MULAW_8K, 1_000, 4, 100);
        buffer.offer(frame(250, 1), 0, 250, 0L);
        buffer.offer(frame(100, 2), 0, 100, 0L);
        assertEquals(0, buffer.pool().available());

        buffer.clear();

        assertEquals(4, buffer.pool().available());
        assertEquals(0, buffer.frameCount());
        assertEquals(0, buffer.byteCount());
        assertEquals(0, drain(buffer, new ArrayList<>()).size());
        assertTrue(buffer.offer(frame(400, 3), 0, 400, 0L));
    }

    @Test
    void shouldStopDeliveringAndReturnEveryFrameWhenTheSinkClears() {
        final PreConnectBuffer buffer = buffer(1_000, 4);
        for (int i = 0; i < 4; i++) {
            buffer.offer(frame(160, i), 0, 160, i);
        }
        final List<Integer> seen = new ArrayList<>();

        final int delivered = buffer.drainTo((audio, offset, length, timestampNs) -> {
            seen.add((int) audio.getByte(offset));
            buffer.clear();
        });

        assertEquals(1, delivered);
        assertEquals(List.of(0), seen);
        assertEquals(4, buffer.pool().available());
        assertEquals(0, buffer.pool().doubleReleases());
        assertEquals(0, buffer.frameCount());
    }

    @Test
    void shouldDropWholeAndCountAPoolMissWhenTheSinkOffersWhileItsFrameIsLent() {
        final PreConnectBuffer buffer = new PreConnectBuffer(AudioFormat.MULAW_8K, 1_000, 3, 100);
        buffer.offer(frame(100, 1), 0, 100, 0L);
        buffer.offer(frame(100, 2), 0, 100, 1L);
        final boolean[] keptInSink = new boolean[1];
        final List<Integer> seen = new ArrayList<>();

        final int delivered = buffer.drainTo((audio, offset, length, timestampNs) -> {
            seen.add((int) audio.getByte(offset));
            if (seen.size() == 1) {
                // Two ring slots are free but the pool has one frame: the other is the one lent to this sink.
                keptInSink[0] = buffer.offer(frame(150, 3), 0, 150, 2L);
            }
        });

        assertFalse(keptInSink[0]);
        assertEquals(2, delivered);
        assertEquals(List.of(1, 2), seen);
        assertEquals(1, buffer.framesDropped());
        assertEquals(1, buffer.pool().misses());
        assertEquals(3, buffer.pool().available());
        assertEquals(0, buffer.pool().doubleReleases());
    }

    @Test
    void shouldDeliverExactlyWhatItKeptAndNeverMissThePoolOverManyFillDrainCycles() {
        final int capacityBytes = 2_000;
        final int maxFrames = 16;
        final PreConnectBuffer buffer = new PreConnectBuffer(AudioFormat.MULAW_8K, capacityBytes, maxFrames, 160);
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] source = new byte[700];
        long expectedDropped = 0;
        long expectedKept = 0;
        for (int cycle = 0; cycle < 2_000; cycle++) {
            final List<byte[]> kept = new ArrayList<>();
            final List<Long> keptTimes = new ArrayList<>();
            boolean dropping = false;
            int pooledFrames = 0;
            int bytes = 0;
            final int offers = random.nextInt(1, 40);
            for (int i = 0; i < offers; i++) {
                final int length = random.nextInt(1, source.length + 1);
                random.nextBytes(source);
                final int pieces = (length + 159) / 160;
                final boolean fits = !dropping && pooledFrames + pieces <= maxFrames && bytes + length <= capacityBytes;

                assertEquals(fits, buffer.offer(new UnsafeBuffer(source), 0, length, cycle * 1_000L + i));

                if (fits) {
                    kept.add(Arrays.copyOf(source, length));
                    keptTimes.add(cycle * 1_000L + i);
                    pooledFrames += pieces;
                    bytes += length;
                    expectedKept++;
                } else {
                    dropping = true;
                    expectedDropped++;
                }
            }
            assertEquals(kept.size(), buffer.frameCount());
            assertEquals(bytes, buffer.byteCount());
            final List<byte[]> delivered = new ArrayList<>();
            final List<Long> deliveredTimes = new ArrayList<>();
            final int frames = buffer.drainTo((audio, offset, length, timestampNs) -> {
                final byte[] copy = new byte[length];
                audio.getBytes(offset, copy);
                // Pieces of one caller frame share its arrival time: join them back to compare with what was offered.
                if (!deliveredTimes.isEmpty() && deliveredTimes.get(deliveredTimes.size() - 1) == timestampNs) {
                    delivered.set(delivered.size() - 1, concat(List.of(delivered.get(delivered.size() - 1), copy)));
                } else {
                    delivered.add(copy);
                    deliveredTimes.add(timestampNs);
                }
            });
            assertEquals(kept.size(), frames);
            assertEquals(keptTimes, deliveredTimes);
            for (int i = 0; i < kept.size(); i++) {
                assertArrayEquals(kept.get(i), delivered.get(i), "cycle " + cycle + " frame " + i);
            }
            assertEquals(maxFrames, buffer.pool().available(), "cycle " + cycle);
        }
        assertEquals(0, buffer.pool().misses());
        assertEquals(0, buffer.pool().doubleReleases());
        assertEquals(expectedKept, buffer.framesBuffered());
        assertEquals(expectedDropped, buffer.framesDropped());
        assertTrue(expectedDropped > 0 && expectedKept > 0);
    }

    @Test
    void shouldAllocateNothingPerOfferOrDrain() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        final PreConnectBuffer buffer = buffer(2_000 * AudioFormat.MULAW_8K.bytesPerMs(), 200);
        final UnsafeBuffer speech = new UnsafeBuffer(new byte[700]);
        final long[] bytesSeen = new long[1];
        final AudioSink sink = (audio, offset, length, timestampNs) -> bytesSeen[0] += audio.getByte(offset + length - 1) + length;
        final Runnable cycle = () -> {
            // A 2 s connect of 20 ms frames, one long chunk that is split, and overflow drops past the bound.
            for (int i = 0; i < 110; i++) {
                buffer.offer(speech, 0, i == 50 ? 700 : 160, i);
            }
            buffer.drainTo(sink);
        };
        for (int i = 0; i < 2_000; i++) {
            cycle.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = hotspot.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 10_000; i++) {
            cycle.run();
        }
        final long allocated = hotspot.getThreadAllocatedBytes(threadId) - before;

        // One object per offer would be at least 16 B x 1,100,000 offers; the measuring bean may allocate a few
        // one-off kilobytes on this thread, so the bound is a tenth of a byte per offer.
        final long offers = 10_000L * 110;
        assertTrue(allocated < offers / 10, allocated + " bytes allocated over " + offers + " offers");
        assertTrue(buffer.framesDropped() > 0);
        assertEquals(0, buffer.pool().misses());
        assertTrue(bytesSeen[0] > 0);
    }

    @Test
    void shouldRejectBadSizesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer(-1, 1)).getMessage()
            .contains("capacityBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer(1, 0)).getMessage()
            .contains("maxFrames"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new PreConnectBuffer(AudioFormat.MULAW_8K, 1, 1, 0)).getMessage().contains("frameCapacityBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new PreConnectBuffer(null, 1, 1, 1)).getMessage().contains("format"));
    }

    private static byte[] concat(final List<byte[]> parts) {
        final byte[] out = new byte[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (final byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Test
    void shouldGiveUpItsStorageOnReleaseAndCountLaterOffersAsDrops() {
        final PreConnectBuffer buffer = buffer(1_000, 10);
        buffer.offer(frame(160, 1), 0, 160, 10L);

        buffer.release();

        assertTrue(buffer.released());
        assertEquals(0, buffer.frameCount());
        assertEquals(null, buffer.pool(), "the pooled frames can be collected");
        assertFalse(buffer.offer(frame(160, 2), 0, 160, 20L));
        assertEquals(1, buffer.framesDropped());
        assertEquals(0, buffer.drainTo((audio, offset, length, timestampNs) -> { }));
    }
}
