package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PacedOutboundQueueTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000_000_000L;

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[160]);

    private static UnsafeBuffer bytes(final int length, final int firstValue) {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (firstValue + i);
        }
        return new UnsafeBuffer(b);
    }

    private int drain(final PacedOutboundQueue queue, final long nowNs) {
        int frames = 0;
        while (queue.poll(nowNs, out, 0) > 0) {
            frames++;
        }
        return frames;
    }

    @Test
    void shouldReleaseAnExactFrameTheMomentItIsOfferedToAnIdleQueue() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(160, 7), 0, 160, T0);

        assertEquals(T0, queue.nextReleaseNs());
        assertEquals(160, queue.poll(T0, out, 0));
        assertEquals(7, out.getByte(0));
        assertEquals((byte) (7 + 159), out.getByte(159));
        assertEquals(0, queue.lastReleaseDelayNs());
    }

    @Test
    void shouldPassEchoFramesArrivingEveryPtimeWithZeroAddedDelay() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        final UnsafeBuffer frame = bytes(160, 0);
        for (int i = 0; i < 1_000; i++) {
            final long nowNs = T0 + i * 20 * MS;
            queue.offer(frame, 0, 160, nowNs);
            assertEquals(160, queue.poll(nowNs, out, 0), "frame " + i);
            assertEquals(0, queue.lastReleaseDelayNs());
        }
    }

    @Test
    void shouldNeverReleaseMoreThanTheLeadAheadOfPlayout() {
        final long leadNs = 80 * MS;
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, leadNs);
        final int totalFrames = 200;
        queue.offer(bytes(160 * totalFrames, 0), 0, 160 * totalFrames, T0);

        long released = 0;
        for (long nowNs = T0; released < totalFrames; nowNs += MS) {
            released += drain(queue, nowNs);
            final long scheduledAheadNs = T0 + released * 20 * MS - nowNs;
            assertTrue(scheduledAheadNs <= leadNs + 20 * MS, "ahead " + scheduledAheadNs + " ns at " + (nowNs - T0));
            final long expected = Math.min(totalFrames, (nowNs - T0 + leadNs) / (20 * MS) + 1);
            assertEquals(expected, released, "released by " + (nowNs - T0) / MS + " ms");
            assertEquals(0, queue.lastReleaseDelayNs());
        }
    }

    @Test
    void shouldReleaseExactlyOneFramePerPtimeOnAbsoluteDeadlinesForAnHourWithLeadZero() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        final UnsafeBuffer chunk = bytes(1_000, 0);
        final Random timerLateness = new Random(42);
        final long frames = 60L * 60 * 50;
        queue.offer(chunk, 0, 1_000, T0);
        for (long k = 0; k < frames; k++) {
            if (queue.pendingBytes() < 2_000) {
                queue.offer(chunk, 0, 1_000, T0 + k * 20 * MS);
            }
            final long dueNs = queue.nextReleaseNs();
            assertEquals(T0 + k * 20 * MS, dueNs, "deadline of frame " + k);
            final long pollNs = dueNs + timerLateness.nextInt(5 * (int) MS);
            assertEquals(0, queue.poll(dueNs - 1, out, 0));
            assertEquals(160, queue.poll(pollNs, out, 0));
            assertEquals(0, queue.poll(pollNs, out, 0), "only one frame per ptime");
        }
        assertEquals(frames, queue.framesReleased());
    }

    @Test
    void shouldDropTheWholeTurnInOneFlush() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        queue.offer(bytes(8_000 + 40, 0), 0, 8_040, T0);
        assertEquals(5, drain(queue, T0));

        assertEquals(46, queue.flush(T0 + MS));

        assertFalse(queue.hasPending());
        assertEquals(Long.MAX_VALUE, queue.nextReleaseNs());
        assertEquals(0, drain(queue, T0 + 10_000 * MS));
        assertEquals(46, queue.framesFlushed());
        assertEquals(1, queue.flushes());
    }

    @Test
    void shouldStartTheTurnAfterAFlushAtTheEndOfTheFramePlayingNow() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        queue.offer(bytes(1_600, 0), 0, 1_600, T0);
        assertEquals(5, drain(queue, T0));
        queue.flush(T0 + 30 * MS);

        assertTrue(queue.callerHearingAudio(T0 + 39 * MS));
        assertFalse(queue.callerHearingAudio(T0 + 40 * MS));
        queue.offer(bytes(160, 0), 0, 160, T0 + 31 * MS);
        assertEquals(T0 + 40 * MS - 80 * MS, queue.nextReleaseNs());
    }

    @Test
    void shouldAnchorANewTurnAtTheEndOfTheAudioStillPlaying() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(160, 0), 0, 160, T0);
        assertEquals(160, queue.poll(T0, out, 0));

        queue.offer(bytes(160, 0), 0, 160, T0 + 5 * MS);

        assertEquals(0, queue.poll(T0 + 5 * MS, out, 0));
        assertEquals(T0 + 20 * MS, queue.nextReleaseNs());
        assertEquals(160, queue.poll(T0 + 20 * MS, out, 0));
    }

    @Test
    void shouldPutTheUnheardReleasedBytesBackInFrontOnAPauseAndReleaseThemFromThatByteOnResume() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        final byte[] turn = new byte[8_000];
        new Random(3).nextBytes(turn);
        queue.offer(new UnsafeBuffer(turn), 0, turn.length, T0);
        assertEquals(5, drain(queue, T0), "the frame playing plus the 80 ms lead");
        final long pauseNs = T0 + 25 * MS;

        assertEquals(600, queue.unplayedReleasedBytes(pauseNs), "75 ms of the 100 ms released not yet played");
        assertEquals(600, queue.pause(pauseNs, 600));
        assertEquals(0, drain(queue, pauseNs + 500 * MS), "nothing while paused");
        assertEquals(Long.MAX_VALUE, queue.nextReleaseNs());
        queue.resume(pauseNs + 500 * MS);

        assertEquals(160, queue.poll(pauseNs + 500 * MS, out, 0));
        for (int i = 0; i < 160; i++) {
            assertEquals(turn[200 + i], out.getByte(i), "byte " + i + " of the first resumed frame");
        }
        assertEquals(1, queue.pauses());
        assertEquals(600, queue.bytesRewound());
    }

    @Test
    void shouldNotCountThePauseOrTheLeadAfterAResumeAsAddedDelay() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        queue.offer(bytes(1_600, 0), 0, 1_600, T0);
        drain(queue, T0);
        queue.pause(T0 + 25 * MS, queue.unplayedReleasedBytes(T0 + 25 * MS));
        queue.offer(bytes(1_600, 0), 0, 1_600, T0 + 100 * MS);
        queue.resume(T0 + 600 * MS);

        long worst = 0;
        while (queue.poll(T0 + 600 * MS, out, 0) > 0) {
            worst = Math.max(worst, queue.lastReleaseDelayNs());
        }
        assertEquals(0, worst);
    }

    @Test
    void shouldCatchUpARealTimeStreamAfterAPauseBySkippingQuietFramesOnly() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        final UnsafeBuffer quiet = new UnsafeBuffer(new byte[160]);
        quiet.setMemory(0, 160, (byte) 0xFF);
        final UnsafeBuffer loud = bytes(160, 0);
        long now = T0;
        queue.offer(loud, 0, 160, now);
        assertEquals(160, queue.poll(now, out, 0));
        queue.pause(now + 5 * MS, 0);
        for (int i = 1; i <= 25; i++) {
            now = T0 + i * 20 * MS;
            queue.offer(i % 5 == 0 ? loud : quiet, 0, 160, now);
        }
        queue.resume(now);

        int released = 0;
        int loudReleased = 0;
        for (int i = 0; i < 50; i++) {
            if (queue.poll(now + i * 20 * MS, out, 0) > 0) {
                released++;
                loudReleased += out.getByte(10) != (byte) 0xFF ? 1 : 0;
            }
        }
        assertEquals(5, loudReleased, "every loud frame is played");
        assertEquals(20, queue.framesSkippedQuiet(), "the 500 ms pause caught up in quiet frames, the last frame kept");
        assertEquals(5, released);
    }

    @Test
    void shouldSkipNothingWhenTheAgentSentItsTurnBeforeThePause() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        final UnsafeBuffer quiet = new UnsafeBuffer(new byte[1_600]);
        quiet.setMemory(0, 1_600, (byte) 0xFF);
        queue.offer(quiet, 0, 1_600, T0);
        drain(queue, T0);
        queue.pause(T0 + 5 * MS, 0);
        queue.resume(T0 + 500 * MS);

        assertEquals(9, drain(queue, T0 + 2_000 * MS));
        assertEquals(0, queue.framesSkippedQuiet());
    }

    @Test
    void shouldPutBackNoMoreThanItRetains() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(1_600, 0), 0, 1_600, T0);
        for (int i = 0; i < 8; i++) {
            drain(queue, T0 + i * 20 * MS);
        }

        assertEquals(queue.retainedBytesMax(), queue.pause(T0 + 160 * MS, 1_600));
        assertEquals(2 * 160, queue.retainedBytesMax(), "lead 0: the frame playing and one more");
    }

    @Test
    void shouldKeepAudioOfferedWhilePausedAndDropEverythingOnAFlush() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(800, 0), 0, 800, T0);
        drain(queue, T0);
        queue.pause(T0 + 5 * MS, 0);
        queue.offer(bytes(800, 0), 0, 800, T0 + 10 * MS);
        assertEquals(1_440, queue.pendingBytes());

        assertEquals(9, queue.flush(T0 + 15 * MS));
        assertFalse(queue.paused());
        assertFalse(queue.hasPending());
    }

    @Test
    void shouldAcceptWhatFitsAndCountTheOverflow() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 100, 0);

        assertEquals(800, queue.offer(bytes(1_000, 0), 0, 1_000, T0));
        assertEquals(0, queue.offer(bytes(10, 0), 0, 10, T0));

        assertEquals(210, queue.bytesDroppedOverflow());
        assertEquals(2, queue.framesDroppedOverflow());
        assertEquals(5, queue.framesQueued());
    }

    @Test
    void shouldHoldAPartialTailUntilTheBytesThatCompleteItArrive() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(100, 0), 0, 100, T0);
        assertEquals(0, queue.poll(T0 + 10 * MS, out, 0));

        queue.offer(bytes(60, 100), 0, 60, T0 + 10 * MS);

        assertEquals(160, queue.poll(T0 + 10 * MS, out, 0));
        for (int i = 0; i < 160; i++) {
            assertEquals((byte) i, out.getByte(i));
        }
        assertEquals(0, queue.lastReleaseDelayNs(), "waiting for the agent's bytes is not gateway delay");
    }

    @Test
    void shouldPadAPartialTailWithSilenceOnceTheAgentPausedForTheHold() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0, 40 * MS);
        queue.offer(bytes(100, 1), 0, 100, T0);

        assertEquals(T0 + 40 * MS, queue.nextReleaseNs());
        assertEquals(0, queue.poll(T0 + 40 * MS - 1, out, 0));
        assertEquals(160, queue.poll(T0 + 40 * MS, out, 0));
        assertEquals(100, out.getByte(99));
        for (int i = 100; i < 160; i++) {
            assertEquals((byte) 0xFF, out.getByte(i));
        }
        assertEquals(1, queue.framesPadded());
        assertFalse(queue.hasPending());
    }

    @Test
    void shouldPadAPartialTailAtItsDeadlineWhenTheTurnIsFinished() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.ALAW_8K, 5_000, 0);
        queue.offer(bytes(260, 1), 0, 260, T0);
        assertEquals(160, queue.poll(T0, out, 0));

        queue.finishTurn();

        assertEquals(T0 + 20 * MS, queue.nextReleaseNs());
        assertEquals(160, queue.poll(T0 + 20 * MS, out, 0));
        assertEquals((byte) 0xD5, out.getByte(100));
        assertEquals((byte) 0xD5, out.getByte(159));
    }

    @Test
    void shouldReportCallerHearingAudioUntilTheReleasedAudioHasPlayed() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        assertFalse(queue.callerHearingAudio(T0));
        queue.offer(bytes(320, 0), 0, 320, T0);
        assertEquals(2, drain(queue, T0));

        assertTrue(queue.callerHearingAudio(T0 + 39 * MS));
        assertFalse(queue.callerHearingAudio(T0 + 40 * MS));
    }

    @Test
    void shouldKeepBytesInOrderAcrossRingWrapAround() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 60, 1_000 * MS);
        final byte[] chunk = new byte[70];
        int nextIn = 0;
        int nextOut = 0;
        for (int round = 0; round < 10_000; round++) {
            final long nowNs = T0 + round * 20 * MS;
            while (queue.pendingBytes() + chunk.length <= queue.capacityBytes()) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) nextIn++;
                }
                queue.offer(new UnsafeBuffer(chunk), 0, chunk.length, nowNs);
            }
            assertEquals(160, queue.poll(nowNs, out, 0));
            for (int i = 0; i < 160; i++) {
                assertEquals((byte) nextOut++, out.getByte(i), "byte " + (nextOut - 1));
            }
        }
        assertEquals(0, queue.bytesDroppedOverflow());
    }

    @Test
    void shouldNotCountPacingAsAddedDelay() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        queue.offer(bytes(1_600, 0), 0, 1_600, T0);
        for (int k = 0; k < 10; k++) {
            assertEquals(160, queue.poll(T0 + k * 20 * MS + 3 * MS, out, 0));
            assertEquals(3 * MS, queue.lastReleaseDelayNs());
        }
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new PacedOutboundQueue(AudioFormat.MULAW_8K, 10, 0)).getMessage().contains("capacityMs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, -1)).getMessage().contains("leadNs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0, 0)).getMessage().contains("partialHoldNs"));
    }

    @Test
    void shouldStartWithOneSecondOfStorageAndGrowToTheCapacityOnlyWhenAnOfferNeedsIt() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 80 * MS);
        assertEquals(8_000, queue.storageBytes());
        assertEquals(40_000, queue.capacityBytes());

        queue.offer(bytes(8_000, 0), 0, 8_000, T0);
        assertEquals(8_000, queue.storageBytes(), "a full second fits without growing");
        queue.offer(bytes(160, 0), 0, 160, T0);
        assertEquals(16_000, queue.storageBytes(), "doubled");
        queue.offer(bytes(40_000, 0), 0, 40_000, T0);

        assertEquals(40_000, queue.storageBytes(), "never beyond the capacity");
        assertEquals(40_000, queue.pendingBytes());
        assertEquals(8_160, queue.bytesDroppedOverflow(), "the rest is a counted drop");
    }

    @Test
    void shouldKeepBytesOrderAndFrameTimesWhenGrowingAWrappedRing() {
        final PacedOutboundQueue queue = new PacedOutboundQueue(AudioFormat.MULAW_8K, 5_000, 0);
        int nextIn = 0;
        final long nowNs = T0;
        // Fill most of the first second, release part of it so the ring's content wraps, then burst past it.
        final byte[] chunk = new byte[160];
        for (int i = 0; i < 45; i++) {
            for (int b = 0; b < chunk.length; b++) {
                chunk[b] = (byte) nextIn++;
            }
            queue.offer(new UnsafeBuffer(chunk), 0, chunk.length, nowNs);
        }
        int nextOut = 0;
        for (int k = 0; k < 40; k++) {
            assertEquals(160, queue.poll(T0 + k * 20 * MS, out, 0));
            nextOut += 160;
        }
        // Late enough that the burst's arrival, not its deadline, is what its frames' delay is measured from.
        final long burstNs = T0 + 2_000 * MS;
        for (int i = 0; i < 90; i++) {
            for (int b = 0; b < chunk.length; b++) {
                chunk[b] = (byte) nextIn++;
            }
            queue.offer(new UnsafeBuffer(chunk), 0, chunk.length, burstNs);
        }
        assertEquals(16_000, queue.storageBytes());

        for (int k = 40; k < 135; k++) {
            final long deadlineNs = T0 + k * 20 * MS;
            final long releaseNs = Math.max(burstNs + 5 * MS, deadlineNs);
            assertEquals(160, queue.poll(releaseNs, out, 0), "frame " + k);
            for (int i = 0; i < 160; i++) {
                assertEquals((byte) nextOut++, out.getByte(i), "byte " + (nextOut - 1));
            }
            final long readyNs = k < 45 ? T0 : burstNs;
            assertEquals(releaseNs - Math.max(readyNs, deadlineNs), queue.lastReleaseDelayNs(),
                "frame " + k + " kept its arrival time across the growth");
        }
        assertFalse(queue.hasPending());
    }
}
