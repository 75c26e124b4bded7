package io.voxgate.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RecordingTapTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 7_000 * MS;

    private final RecordingRing ring = new RecordingRing("/rec", 64 * 1024);
    private final RecordingTap tap = new RecordingTap(ring, "CA1", AudioFormat.MULAW_8K);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);

    /** Records read back from the ring: {type, channel, position} (erase records carry the mask as channel). */
    private List<long[]> drain() {
        final List<long[]> records = new ArrayList<>();
        ring.read((type, buffer, index, length) -> records.add(new long[] {type,
            buffer.getInt(index + RecordingRing.CHANNEL_OFFSET), buffer.getLong(index + RecordingRing.POSITION_OFFSET),
            length - RecordingRing.AUDIO_OFFSET}), 1_000);
        return records;
    }

    @Test
    void shouldLayCallerChunksEndToEndThroughJitterUnderTheTolerance() {
        tap.start(T0);
        final long[] arrivalsMs = {0, 20, 45, 55, 80, 100};
        for (final long at : arrivalsMs) {
            tap.onCallerAudio(frame, 0, 160, T0 + at * MS);
        }

        final List<long[]> records = drain();
        for (int i = 0; i < arrivalsMs.length; i++) {
            assertEquals(RecordingTap.CALLER, records.get(i)[1]);
            assertEquals(160L * i, records.get(i)[2], "chunk " + i);
        }
    }

    @Test
    void shouldLeaveSilenceAtTheSlotsOfAMissingCallerStretch() {
        tap.start(T0);
        tap.onCallerAudio(frame, 0, 160, T0);
        tap.onCallerAudio(frame, 0, 160, T0 + 20 * MS);
        // Four frames (80 ms) never arrive; the next one is placed no earlier than the tolerance behind the clock.
        tap.onCallerAudio(frame, 0, 160, T0 + 120 * MS);

        final List<long[]> records = drain();
        assertEquals(8L * (120 - RecordingTap.CALLER_LATE_TOLERANCE_MS), records.get(2)[2]);
    }

    @Test
    void shouldDropCallerAudioFarAheadOfTheClock() {
        tap.start(T0);
        for (int i = 0; i < 40; i++) {
            tap.onCallerAudio(frame, 0, 160, T0);
        }

        assertEquals(40 - 26, tap.framesDroppedAhead());
        assertEquals(26, drain().size());
    }

    @Test
    void shouldPlaceAgentFramesWhereTheCallerHearsThem() {
        tap.start(T0);
        tap.onAgentFrame(frame, 0, 160, T0 + 300 * MS);

        final long[] record = drain().get(0);
        assertEquals(RecordingTap.AGENT, record[1]);
        assertEquals(2_400, record[2]);
        assertEquals(160, record[3]);
    }

    @Test
    void shouldRecordNothingBeforeStartOrWhilePaused() {
        tap.onCallerAudio(frame, 0, 160, T0);
        tap.start(T0);
        tap.pause(T0 + 1_000 * MS);
        tap.onCallerAudio(frame, 0, 160, T0 + 1_020 * MS);
        tap.onAgentFrame(frame, 0, 160, T0 + 1_020 * MS);
        tap.resume(T0 + 2_000 * MS);
        tap.onCallerAudio(frame, 0, 160, T0 + 2_000 * MS);

        final List<long[]> records = drain();
        assertEquals(2, records.size());
        assertEquals(RecordingRing.ERASE, records.get(0)[0]);
        assertEquals(RecordingTap.BOTH, records.get(0)[1]);
        assertEquals(8_000, records.get(0)[2]);
        assertEquals(16_000, records.get(1)[2]);
    }

    @Test
    void shouldKeepPausedSpansInMillisecondsFromTheStart() {
        tap.start(T0);
        tap.pause(T0 + 1_000 * MS);
        tap.resume(T0 + 2_500 * MS);
        tap.pause(T0 + 3_000 * MS);
        tap.stop(T0 + 3_200 * MS);

        assertEquals("[[1000,2500],[3000,3200]]", tap.pausedSpansJson());
        assertEquals(8L * 3_200, tap.endPosition());
    }

    @Test
    void shouldRefuseImpossibleTransitions() {
        assertFalse(tap.pause(T0));
        assertFalse(tap.resume(T0));
        assertFalse(tap.stop(T0));
        assertTrue(tap.start(T0));
        assertFalse(tap.start(T0));
        assertFalse(tap.resume(T0));
        assertTrue(tap.stop(T0 + MS));
        assertFalse(tap.start(T0 + MS));
        assertSame(RecordingTap.State.STOPPED, tap.state());
    }

    @Test
    void shouldAnnounceARecordingToTheWriterOnceWhenItStarts() {
        assertEquals(null, ring.pollOpened());
        tap.start(T0);

        assertSame(tap, ring.pollOpened());
        assertEquals(null, ring.pollOpened());
    }

    @Test
    void shouldCutTheAgentChannelWhereTheCallerStoppedHearingIt() {
        tap.start(T0);
        tap.onAgentCut(T0 + 500 * MS);

        final long[] record = drain().get(0);
        assertEquals(RecordingRing.ERASE, record[0]);
        assertEquals(1 << RecordingTap.AGENT, record[1]);
        assertEquals(4_000, record[2]);
    }

    @Test
    void shouldNameFilesOnlyWithSafeCharacters() {
        assertEquals("CA0123456789abcdef", RecordingRing.fileNameOf("CA0123456789abcdef"));
        final String hostile = RecordingRing.fileNameOf("../../etc/passwd");
        assertTrue(hostile.matches("[A-Za-z0-9._@-]+"), hostile);
        assertFalse(hostile.contains("/"));
        assertFalse(hostile.startsWith("."), hostile);
        assertEquals("/rec/a_b-" + String.format("%08x", "a/b".hashCode()) + ".wav", ring.pathOf("a/b"));
    }

    @Test
    void shouldCountFramesTheFullRingCannotTake() {
        tap.start(T0);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[4_000]);
        for (int i = 0; i < 40; i++) {
            tap.onAgentFrame(big, 0, 4_000, T0 + i * 20 * MS);
        }

        assertTrue(ring.framesDropped() > 0);
        assertEquals(ring.framesDropped(), tap.framesDroppedFull());
    }
}
