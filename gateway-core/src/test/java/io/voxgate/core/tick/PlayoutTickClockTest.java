package io.voxgate.core.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlayoutTickClockTest {
    private static final long PERIOD_NS = 20_000_000L;
    private static final long START_NS = 1_000_000_000L;

    private final PlayoutTickClock clock = new PlayoutTickClock(PERIOD_NS, 3, START_NS);

    /** Runs the due ticks as a call does and returns their nominal times. */
    private long[] wake(final long nowNs) {
        final int due = clock.due(nowNs);
        final long[] times = new long[due];
        for (int i = 0; i < due; i++) {
            times[i] = clock.tickNs();
            clock.advance();
        }
        return times;
    }

    @Test
    void shouldRunNothingBeforeTheFirstTick() {
        assertEquals(0, wake(START_NS - 1).length);
        assertEquals(0, clock.ticksRun());
    }

    @Test
    void shouldRunOneTickPerPeriodOnNominalTimesWhenOnTime() {
        for (int n = 0; n < 100; n++) {
            // Woken anywhere within the period, up to just before the next tick: one tick at its nominal time.
            final long[] times = wake(START_NS + n * PERIOD_NS + (n * 7_919L) % PERIOD_NS);
            assertEquals(1, times.length);
            assertEquals(START_NS + n * PERIOD_NS, times[0]);
        }
        assertEquals(100, clock.ticksRun());
        assertEquals(0, clock.ticksSkipped());
    }

    @Test
    void shouldRunNothingOnAnExtraWakeUpWithinTheSamePeriod() {
        assertEquals(1, wake(START_NS + 5_000_000L).length);
        assertEquals(0, wake(START_NS + 6_000_000L).length);
    }

    @Test
    void shouldCatchUpUpToThreeTicksBackToBackOnTheirNominalTimes() {
        wake(START_NS);
        final long[] times = wake(START_NS + 3 * PERIOD_NS + 1);
        assertEquals(3, times.length);
        assertEquals(START_NS + PERIOD_NS, times[0]);
        assertEquals(START_NS + 2 * PERIOD_NS, times[1]);
        assertEquals(START_NS + 3 * PERIOD_NS, times[2]);
        assertEquals(0, clock.ticksSkipped());
        assertEquals(0, clock.resyncs());
    }

    @Test
    void shouldSkipToTheNewestDueTickAndCountTheSkippedOnesWhenFurtherBehind() {
        wake(START_NS);
        final long nowNs = START_NS + 10 * PERIOD_NS + 7_000_000L;
        final long[] times = wake(nowNs);
        assertEquals(1, times.length);
        assertEquals(START_NS + 10 * PERIOD_NS, times[0], "the tick run is the newest due, within one period of now");
        assertEquals(9, clock.lastSkipped());
        assertEquals(9, clock.ticksSkipped());
        assertEquals(1, clock.resyncs());
        assertEquals(1, wake(START_NS + 11 * PERIOD_NS).length, "on time again after the resync");
    }

    @Test
    void shouldNeverBeMoreThanThreeTicksBehindRealTimeAfterAnyWakeUp() {
        long nowNs = START_NS;
        for (int n = 0; n < 1_000; n++) {
            // Irregular wake-ups from on time to 400 ms late.
            nowNs += (n * 104_729L) % 400_000_000L;
            wake(nowNs);
            final long behindNs = nowNs - clock.tickNs();
            assertTrue(behindNs < 0, "the next tick lies in the future after a wake-up");
            assertTrue(clock.tickNs() - nowNs <= PERIOD_NS, "and no more than one period ahead");
        }
        assertEquals(clock.ticksRun() + clock.ticksSkipped(), (clock.tickNs() - START_NS) / PERIOD_NS,
            "every period was either run or skipped, none twice");
    }

    @Test
    void shouldRefuseANonPositivePeriodOrCatchUp() {
        assertThrows(IllegalArgumentException.class, () -> new PlayoutTickClock(0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new PlayoutTickClock(PERIOD_NS, 0, 0));
    }
}
