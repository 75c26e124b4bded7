package io.voxgate.core.jitter;

import static io.voxgate.core.jitter.TraceReplay.FRAME_NS;
import static io.voxgate.core.jitter.TraceReplay.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Arrival-trace replays: seeded network models against a 20 ms playout clock. Each test states the order,
 * added delay and counters the buffer must deliver for its network condition.
 */
class JitterBufferTraceTest {
    private static final int SSRC = 0x5EED;
    private static final long FIRST_POLL_NS = 7 * MS;

    private static JitterBuffer buffer() {
        return new JitterBuffer(JitterBufferConfig.defaults());
    }

    private static List<TraceReplay.Packet> stream(final int count) {
        return TraceReplay.continuous(count, SSRC, 1000, 100_000L, FRAME_NS);
    }

    private static TraceReplay.Result replay(final List<TraceReplay.Packet> packets, final TraceReplay.Network network) {
        return TraceReplay.replay(buffer(), packets, network, 42L, FIRST_POLL_NS);
    }

    @Test
    void shouldPlayEveryPacketInOrderAtTheMinimumDelayOnAQuietNetwork() {
        final TraceReplay.Result r = replay(stream(1500), TraceReplay.fixed(30 * MS));

        assertEquals(1500, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.stats.packetsFlushed() <= 1, r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(0, r.stats.framesLost());
        assertEquals(0, r.stats.packetsLate());
        assertTrue(r.stats.targetDelayMs() <= 20.0, r::toString);
        // Settles at [target, target + 1.25 frames): the last second is at most 45 ms.
        final List<Long> tail = r.addedDelayNs.subList(1000, r.addedDelayNs.size());
        assertTrue(tail.stream().allMatch(d -> d >= 20 * MS && d < 45 * MS), r::toString);
    }

    @Test
    void shouldRestoreOrderWhenAdjacentPacketsSwap() {
        final TraceReplay.Result r = replay(stream(1500), (p, random, arrival) -> {
            // Every 7th packet is overtaken by its successor (arrives 25 ms late).
            arrival.accept(p.sendNs + 10 * MS + (p.index % 7 == 3 ? 25 * MS : 0));
        });

        assertEquals(1500, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertTrue(r.stats.packetsReordered() > 150, r::toString);
        assertEquals(0, r.stats.framesLost(), r::toString);
    }

    @Test
    void shouldRestoreOrderWhenPacketsAreDisplacedByTwoOrThree() {
        final TraceReplay.Result r = replay(stream(3000), (p, random, arrival) -> {
            final int displaced = random.nextInt(20) == 0 ? 2 + random.nextInt(2) : 0;
            arrival.accept(p.sendNs + 10 * MS + displaced * FRAME_NS + 5 * MS * Math.min(displaced, 1));
        });

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertTrue(r.stats.packetsReordered() > 100, r::toString);
        // 2.5 % of packets wait 65 ms, beyond the 97 % quantile; the peak tracker still saves most of them.
        assertTrue(r.stats.packetsLate() < 3000 / 100, r::toString);
        assertEquals(3000, r.played.size() + r.stats.packetsLate() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.stats.framesInserted() + r.stats.framesRemoved() < 20, r::toString);
        assertTrue(r.maxAddedDelayMs() <= 200 + 45, r::toString);
    }

    @Test
    void shouldConcealRandomLossAndCountEveryLostFrame() {
        final Set<Integer> dropped = new HashSet<>();
        final TraceReplay.Result r = replay(stream(3000), (p, random, arrival) -> {
            if (random.nextDouble() < 0.05 && p.index > 0 && p.index < 2999) {
                dropped.add(p.index);
            } else {
                arrival.accept(p.sendNs + 20 * MS);
            }
        });

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(3000 - dropped.size(), r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertEquals(dropped.size(), r.stats.framesLost(), r::toString);
        assertEquals(0, r.stats.packetsLate(), r::toString);
        // Each isolated loss is one concealed frame (or, rarely, skipped to lower the delay); three more conceal
        // the end of the stream.
        assertTrue(r.status(PlayoutStatus.CONCEALED) >= dropped.size() - r.stats.framesRemoved() + 3, r::toString);
        assertTrue(r.status(PlayoutStatus.CONCEALED) <= dropped.size() + r.stats.framesInserted() + 3, r::toString);
    }

    @Test
    void shouldConcealThreeFramesOfABurstOfTenThenReportSilence() {
        final TraceReplay.Result r = replay(stream(1010), (p, random, arrival) -> {
            if (p.index % 200 < 190) {
                arrival.accept(p.sendNs + 20 * MS);
            }
        });

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(50, r.stats.framesLost(), r::toString);
        assertEquals(3, r.maxConcealedRun, r::toString);
        // Three per burst, and three more when the stream ends.
        assertEquals(5 * 3 + 3, r.status(PlayoutStatus.CONCEALED), r::toString);
        assertTrue(r.status(PlayoutStatus.SILENCE) >= 5 * 7 - r.stats.framesRemoved(), r::toString);
    }

    @Test
    void shouldPlayInOrderAcrossTheSequenceNumberWrap() {
        final TraceReplay.Result r = TraceReplay.replay(buffer(),
            TraceReplay.continuous(500, SSRC, 65530, 100_000L, FRAME_NS), TraceReplay.uniform(10 * MS, 15 * MS),
            7L, FIRST_POLL_NS);

        assertEquals(500, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(0, r.stats.resyncs() + r.stats.packetsSequenceJump() + r.stats.framesLost(), r::toString);
    }

    @Test
    void shouldPlayInOrderAcrossTheTimestampWrap() {
        final TraceReplay.Result r = TraceReplay.replay(buffer(),
            TraceReplay.continuous(500, SSRC, 20, (1L << 32) - 800, FRAME_NS), TraceReplay.uniform(10 * MS, 15 * MS),
            7L, FIRST_POLL_NS);

        assertEquals(500, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(0, r.stats.resyncs() + r.stats.timestampsBackward() + r.stats.timestampJumps(), r::toString);
    }

    @Test
    void shouldAdaptToUniformJitterAndKeepLateLossUnderOnePercent() {
        final TraceReplay.Result r = replay(stream(15_000), TraceReplay.uniform(30 * MS, 60 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        // Late loss after the first 10 s (adaptation): under 1 %.
        final int adapted = 500;
        final Set<Integer> playedSet = new HashSet<>(r.played);
        long missingAfterAdaptation = 0;
        for (int i = adapted; i < 15_000; i++) {
            if (!playedSet.contains(i)) {
                missingAfterAdaptation++;
            }
        }
        assertTrue(missingAfterAdaptation < (15_000 - adapted) / 100, () -> "late " + r);
        assertTrue(r.stats.targetDelayMs() >= 55 && r.stats.targetDelayMs() <= 80, r::toString);
        final List<Long> settled = r.addedDelayNs.subList(adapted, r.addedDelayNs.size());
        final double meanMs = settled.stream().mapToLong(Long::longValue).average().orElse(0) / MS;
        assertTrue(meanMs > 25 && meanMs < 60, () -> "mean " + meanMs + " " + r);
        assertTrue(settled.stream().allMatch(d -> d <= 110 * MS), r::toString);
    }

    @Test
    void shouldRecoverFromDelaySpikesRaisingThenLoweringTheTarget() {
        // Every 20 s the network freezes for 300 ms and then releases the queued packets at once.
        final long periodNs = 20_000 * MS;
        final long freezeNs = 300 * MS;
        final TraceReplay.Result r = replay(stream(3000), (p, random, arrival) -> {
            final long base = p.sendNs + 20 * MS + (long) (random.nextDouble() * 10 * MS);
            final long phase = (base % periodNs) - 10_000 * MS;
            arrival.accept(phase >= 0 && phase < freezeNs ? base - phase + freezeNs : base);
        });

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertTrue(r.stats.packetsLate() > 0 && r.stats.packetsLate() < 3 * 15, r::toString);
        final int spikePoll = (int) ((10_000 * MS + freezeNs) / FRAME_NS) + 2;
        final long before = r.targetDelayNsPerPoll.get(spikePoll - 30);
        final long after = r.targetDelayNsPerPoll.get(spikePoll + 5);
        final long decayed = r.targetDelayNsPerPoll.get(spikePoll + 500);
        assertTrue(before <= 40 * MS, () -> "before " + before);
        assertTrue(after >= 150 * MS, () -> "after " + after);
        assertTrue(decayed <= 60 * MS, () -> "decayed " + decayed);
        assertTrue(r.maxAddedDelayMs() <= 200 + 45, r::toString);
    }

    @Test
    void shouldNeitherOverflowNorDrainWhenTheSenderClockRunsFast() {
        final TraceReplay.Result r = replay(
            TraceReplay.continuous(30_000, SSRC, 1, 0, FRAME_NS - FRAME_NS / 1000), TraceReplay.uniform(20 * MS, 10 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertDelayBounded(r);
        // 10 min at +0.1 % is 30 frames too many: the buffer drops about that many, one at a time.
        assertTrue(r.stats.framesRemoved() >= 25 && r.stats.framesRemoved() <= 40, r::toString);
        assertEquals(0, r.stats.packetsLate(), r::toString);
    }

    @Test
    void shouldNeitherOverflowNorDrainWhenTheSenderClockRunsSlow() {
        final TraceReplay.Result r = replay(
            TraceReplay.continuous(30_000, SSRC, 1, 0, FRAME_NS + FRAME_NS / 1000), TraceReplay.uniform(20 * MS, 10 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertDelayBounded(r);
        assertEquals(30_000, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.stats.framesInserted() >= 25 && r.stats.framesInserted() <= 40, r::toString);
    }

    private static void assertDelayBounded(final TraceReplay.Result r) {
        final List<Long> settled = r.addedDelayNs.subList(500, r.addedDelayNs.size());
        assertTrue(settled.stream().allMatch(d -> d >= 0 && d <= 80 * MS), r::toString);
        final List<Long> current = r.currentDelayNsPerPoll.subList(500, r.currentDelayNsPerPoll.size() - 100);
        assertTrue(current.stream().allMatch(d -> d >= 10 * MS && d <= 80 * MS), r::toString);
    }

    @Test
    void shouldDropAndCountDuplicates() {
        final int[] duplicated = {0};
        final TraceReplay.Result r = replay(stream(2000), (p, random, arrival) -> {
            arrival.accept(p.sendNs + 20 * MS);
            if (random.nextInt(10) == 0) {
                duplicated[0]++;
                arrival.accept(p.sendNs + 20 * MS + (long) (random.nextDouble() * 100 * MS));
            }
        });

        assertEquals(2000, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(duplicated[0], r.stats.packetsDuplicate(), r::toString);
        assertEquals(duplicated[0], r.offers(OfferResult.DUPLICATE), r::toString);
    }

    @Test
    void shouldResetAndPlayTheNewSourceOnSsrcChange() {
        final List<TraceReplay.Packet> packets = stream(1000);
        for (final TraceReplay.Packet p : packets.subList(500, 1000)) {
            p.ssrc = 0xBEEF;
            p.sequence = (40_000 + p.index) & 0xFFFF;
            p.timestamp = 9_000_000L + p.index * 160L;
        }
        final TraceReplay.Result r = replay(packets, TraceReplay.uniform(20 * MS, 20 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(1, r.stats.ssrcChanges(), r::toString);
        assertEquals(1, r.offers(OfferResult.SSRC_CHANGED), r::toString);
        // The old source's unplayed frames are flushed (at most the delay's worth) and the new one plays through.
        assertTrue(r.stats.packetsFlushed() <= 5, r::toString);
        assertEquals(1000, r.played.size() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.played.containsAll(List.of(500, 501, 999)), r::toString);
    }

    @Test
    void shouldResyncOnceWhenTheSequenceJumpsByThousands() {
        final List<TraceReplay.Packet> packets = stream(1000);
        for (final TraceReplay.Packet p : packets.subList(500, 1000)) {
            p.sequence = (p.sequence + 5000) & 0xFFFF;
        }
        final TraceReplay.Result r = replay(packets, TraceReplay.uniform(20 * MS, 20 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(1, r.stats.packetsSequenceJump(), r::toString);
        assertEquals(1, r.stats.resyncs(), r::toString);
        assertTrue(r.played.containsAll(List.of(499, 501, 502, 999)), r::toString);
        assertTrue(r.played.size() >= 1000 - 5, r::toString);
    }

    @Test
    void shouldResyncWhenTheSequenceJumpsBeyondTheBufferButWithinTheDropoutLimit() {
        final List<TraceReplay.Packet> packets = stream(1000);
        for (final TraceReplay.Packet p : packets.subList(500, 1000)) {
            p.sequence = (p.sequence + 1000) & 0xFFFF;
        }
        final TraceReplay.Result r = replay(packets, TraceReplay.uniform(20 * MS, 20 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(0, r.stats.packetsSequenceJump(), r::toString);
        assertEquals(1, r.stats.resyncs(), r::toString);
        assertTrue(r.played.containsAll(List.of(499, 500, 501, 999)), r::toString);
    }

    @Test
    void shouldDropOneThenResyncWhenTheTimestampGoesBackwards() {
        final List<TraceReplay.Packet> packets = stream(1000);
        for (final TraceReplay.Packet p : packets.subList(500, 1000)) {
            p.timestamp = (p.timestamp - 80_000) & 0xFFFF_FFFFL;
        }
        final TraceReplay.Result r = replay(packets, TraceReplay.uniform(20 * MS, 20 * MS));

        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(1, r.stats.timestampsBackward(), r::toString);
        assertEquals(1, r.stats.resyncs(), r::toString);
        assertTrue(r.played.containsAll(List.of(499, 501, 999)), r::toString);
        assertTrue(r.played.size() >= 1000 - 5, r::toString);
    }

    @Test
    void shouldPlayTalkspurtsWithoutConcealingSilenceGapsBeyondTheCap() {
        final List<TraceReplay.Packet> packets = TraceReplay.talkspurts(new Random(3), 60, 30, 150, 10, 100);
        final TraceReplay.Result r = replay(packets, TraceReplay.uniform(20 * MS, 30 * MS));

        assertEquals(packets.size(), r.played.size() + r.stats.packetsLate() + r.stats.packetsFlushed(), r::toString);
        assertTrue(r.stats.packetsLate() <= packets.size() / 100, r::toString);
        assertTrue(r.playedInStrictOrder(), r::toString);
        assertEquals(0, r.stats.framesLost(), r::toString);
        assertTrue(r.maxConcealedRun <= 3, r::toString);
        // At most the cap of concealment at each of the 60 talkspurt ends.
        assertTrue(r.status(PlayoutStatus.CONCEALED) <= 60 * 3, r::toString);
        // Each talkspurt's first frame plays, so every talkspurt resumes cleanly.
        final List<Integer> firsts = new ArrayList<>();
        for (final TraceReplay.Packet p : packets) {
            if (p.marker) {
                firsts.add(p.index);
            }
        }
        assertTrue(r.played.containsAll(firsts), r::toString);
        assertTrue(r.maxAddedDelayMs() <= 200 + 45, r::toString);
    }
}
