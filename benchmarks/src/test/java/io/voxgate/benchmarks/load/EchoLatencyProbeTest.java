package io.voxgate.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class EchoLatencyProbeTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldHearABurstOfEchoesOneFrameAfterAnotherAtRealTime() {
        final EchoLatencyProbe probe = new EchoLatencyProbe(true);
        probe.register("CA1", 0, 10);
        for (int i = 0; i < 3; i++) {
            probe.onMediaSent("CA1", i, i * 20 * MS);
        }
        // All three echoes arrive together 50 ms after the first was sent: they arrive 50, 30 and 10 ms after their
        // own sending, but the caller plays them one after another, so each is heard 50 ms after it was said.
        for (int i = 0; i < 3; i++) {
            probe.onMediaReceived("CA1", 160, 50 * MS);
        }

        final Histogram roundTrip = probe.roundTripUs();
        final Histogram heard = probe.heardUs();
        assertEquals(10_000, roundTrip.getMinValue(), 10);
        assertEquals(50_000, roundTrip.getMaxValue(), 50);
        assertEquals(3, heard.getTotalCount());
        assertEquals(50_000, heard.getMinValue(), 50);
        assertEquals(50_000, heard.getMaxValue(), 50);
    }

    @Test
    void shouldHearAnEchoOnArrivalOnceThePlayoutHasRunDry() {
        final EchoLatencyProbe probe = new EchoLatencyProbe(true);
        probe.register("CA1", 0, 10);
        probe.onMediaSent("CA1", 0, 0);
        probe.onMediaSent("CA1", 1, 20 * MS);
        probe.onMediaReceived("CA1", 160, 5 * MS);
        // The first echo played from 5 to 25 ms; the second arrives at 100 ms, after a gap, and plays at once.
        probe.onMediaReceived("CA1", 160, 100 * MS);

        final Histogram heard = probe.heardUs();
        assertEquals(5_000, heard.getMinValue(), 5);
        assertEquals(80_000, heard.getMaxValue(), 80);
    }
}
