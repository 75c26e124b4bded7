package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The soak's flatness figures and verdict. */
class SoakVerdictTest {
    private static final long MIB = 1_048_576;

    /** Samples every 10 s for {@code minutes}: heap after GC and direct as given functions of seconds. */
    private static List<SoakSample> samples(final int minutes, final LongUnaryOperator heap,
                                            final LongUnaryOperator direct) {
        final List<SoakSample> out = new ArrayList<>();
        for (long t = 0; t <= minutes * 60L; t += 10) {
            out.add(new SoakSample(t, 100, heap.applyAsLong(t) * 2, heap.applyAsLong(t), direct.applyAsLong(t), 500 * MIB));
        }
        return out;
    }

    @Test
    void shouldFindTheSlopeOfALineInBytesPerMinute() {
        final List<SoakSample> line = samples(10, t -> 100 * MIB + t * 1_000, t -> 0);
        assertEquals(60_000, SoakVerdict.slopePerMinute(line, SoakSample::heapAfterGcBytes), 1e-6);
    }

    @Test
    void shouldFindNoSlopeInAFlatSeriesWithSymmetricNoise() {
        final List<SoakSample> noisy = samples(10, t -> 100 * MIB + ((t / 10) % 2 == 0 ? MIB : -MIB), t -> 0);
        assertTrue(Math.abs(SoakVerdict.slopePerMinute(noisy, SoakSample::heapAfterGcBytes)) < 0.05 * MIB);
    }

    @Test
    void shouldSkipUnknownValuesAndGiveNanWithFewerThanTwoKnown() {
        final List<SoakSample> some = List.of(new SoakSample(0, 0, 0, -1, 0, 0), new SoakSample(60, 0, 0, 10, 0, 0),
            new SoakSample(120, 0, 0, 20, 0, 0));
        assertEquals(10, SoakVerdict.slopePerMinute(some, SoakSample::heapAfterGcBytes), 1e-9);
        assertTrue(Double.isNaN(SoakVerdict.slopePerMinute(some.subList(0, 2), SoakSample::heapAfterGcBytes)));
    }

    /** A flat heap as collections leave it: never the same figure twice, within a few KiB. */
    private static long flat(final long t) {
        return 200 * MIB + (t / 10) % 3 * 4_096;
    }

    @Test
    void shouldPassAFlatRunWithAnEmptyRegistry() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, SoakVerdictTest::flat, t -> 64 * MIB), 600, 500, 0);
        assertEquals("pass", v.verdict(), v.reason());
        assertEquals(200 * MIB, v.heapFirstMinuteBytes(), 8_192);
        assertEquals(200 * MIB, v.heapLastMinuteBytes(), 8_192);
        assertEquals(300, v.halfFromSeconds(), 1e-9);
    }

    @Test
    void shouldGiveNoVerdictWhenNoCollectionRanInTheSecondHalf() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, t -> 200 * MIB, t -> 64 * MIB), 600, 500, 0);
        assertEquals("inconclusive", v.verdict());
        assertTrue(v.reason().contains("ZCollectionInterval"), v.reason());
    }

    @Test
    void shouldIgnoreTheRampBecauseOnlyTheSecondHalfCounts() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, t -> t < 120 ? t * MIB : 120 * MIB + flat(t) - 200 * MIB, t -> 64 * MIB),
            600, 500, 0);
        assertEquals("pass", v.verdict(), v.reason());
        assertTrue(v.heapLastMinuteBytes() > v.heapFirstMinuteBytes());
    }

    @Test
    void shouldFailAHeapGrowingFasterThanItsLimit() {
        // 500 calls ending per minute: the limit is 500 KiB/min, the floor 1 MiB/min; 2 MiB/min is over both.
        final SoakVerdict v = SoakVerdict.judge(samples(10, t -> 200 * MIB + t * 2 * MIB / 60, t -> 64 * MIB), 600, 500, 0);
        assertEquals("fail", v.verdict());
        assertTrue(v.reason().contains("heap"), v.reason());
        assertEquals(2 * MIB, v.heapSlopeBytesPerMin(), 1);
    }

    @Test
    void shouldScaleTheLimitWithTheCallsEndedPerMinute() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, t -> 200 * MIB + t * 2 * MIB / 60, t -> 64 * MIB), 600, 4_096, 0);
        assertEquals(4 * MIB, v.heapLimitBytesPerMin(), 1e-6);
        assertEquals("pass", v.verdict(), v.reason());
    }

    @Test
    void shouldFailDirectMemoryGrowingFasterThanItsLimit() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, SoakVerdictTest::flat, t -> 64 * MIB + t * 3 * MIB / 60), 600, 100, 0);
        assertEquals("fail", v.verdict());
        assertTrue(v.reason().contains("direct"), v.reason());
    }

    @Test
    void shouldFailWhenCallsAreLeftInTheRegistry() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, SoakVerdictTest::flat, t -> 64 * MIB), 600, 500, 2);
        assertEquals("fail", v.verdict());
        assertTrue(v.reason().contains("2 calls left"), v.reason());
    }

    @Test
    void shouldGiveNoVerdictOnARunTooShortToTellEvenWhenItsFewSamplesClimb() {
        final SoakVerdict v = SoakVerdict.judge(samples(1, t -> 200 * MIB + t * MIB, t -> 64 * MIB), 60, 500, 0);
        assertEquals("inconclusive", v.verdict(), v.reason());
    }

    @Test
    void shouldFailCallsLeftInTheRegistryEvenOnAShortRun() {
        assertEquals("fail", SoakVerdict.judge(samples(1, t -> 200 * MIB, t -> 64 * MIB), 60, 500, 1).verdict());
    }

    @Test
    void shouldLeaveOutTheSamplesOfTheDrainAfterTheSustainedPart() {
        // Kept up 10 minutes, then two minutes of drain in which the heap falls: the drain must not read as a trend.
        final SoakVerdict v = SoakVerdict.judge(samples(12, t -> t <= 600 ? 200 * MIB : 200 * MIB - (t - 600) * MIB, t -> 64 * MIB),
            600, 500, 0);
        assertEquals(0, v.heapSlopeBytesPerMin(), 1e-6);
        assertEquals("inconclusive", v.verdict(), "constant to the byte: no collection ran");
        assertEquals(300, v.halfFromSeconds(), 1e-9);
    }

    @Test
    void shouldGiveNoVerdictWhenTheHeapAfterCollectionIsUnknown() {
        final SoakVerdict v = SoakVerdict.judge(samples(10, t -> -1, t -> 64 * MIB), 600, 500, 0);
        assertEquals("inconclusive", v.verdict(), v.reason());
    }
}
