package io.voxgate.core.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitterBufferConfigTest {

    @Test
    void shouldDefaultToG711AtTwentyMillisecondsAndTwentyToTwoHundredMillisecondsOfDelay() {
        final JitterBufferConfig c = JitterBufferConfig.defaults();
        assertEquals(8000, c.clockRateHz());
        assertEquals(160, c.frameTicks());
        assertEquals(20, c.minDelayMs());
        assertEquals(200, c.maxDelayMs());
        assertEquals(40, c.initialDelayMs());
        assertEquals(32, c.capacityFrames());
    }

    @Test
    void shouldSizeCapacityAsAPowerOfTwoCoveringTwiceTheMaximumDelay() {
        for (int maxMs = 0; maxMs <= 2000; maxMs += 10) {
            final int capacity = JitterBufferConfig.builder().minDelayMs(0).initialDelayMs(0).maxDelayMs(maxMs).build()
                .capacityFrames();
            assertEquals(1, Integer.bitCount(capacity));
            assertTrue(capacity >= 2 * ((maxMs + 19) / 20) + 8);
        }
    }

    @Test
    void shouldNameMinDelayWhenItExceedsMaxDelay() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> JitterBufferConfig.builder().minDelayMs(100).maxDelayMs(60).initialDelayMs(60).build());
        assertTrue(e.getMessage().contains(JitterBufferConfig.MIN_DELAY_MS), e.getMessage());
    }

    @Test
    void shouldNameInitialDelayWhenOutsideTheBounds() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> JitterBufferConfig.builder().initialDelayMs(500).build());
        assertTrue(e.getMessage().contains(JitterBufferConfig.INITIAL_DELAY_MS), e.getMessage());
    }

    @Test
    void shouldNameEveryOtherOptionOutOfRange() {
        assertNamed(JitterBufferConfig.CLOCK_RATE_HZ, JitterBufferConfig.builder().clockRateHz(0));
        assertNamed(JitterBufferConfig.PTIME_MS, JitterBufferConfig.builder().ptimeMs(0));
        assertNamed(JitterBufferConfig.PTIME_MS, JitterBufferConfig.builder().clockRateHz(44_100).ptimeMs(21));
        assertNamed(JitterBufferConfig.MAX_DELAY_MS, JitterBufferConfig.builder().maxDelayMs(5000));
        assertNamed(JitterBufferConfig.SLOT_CAPACITY_BYTES, JitterBufferConfig.builder().slotCapacityBytes(0));
        assertNamed(JitterBufferConfig.MAX_CONCEALED_FRAMES, JitterBufferConfig.builder().maxConcealedFrames(-1));
        assertNamed(JitterBufferConfig.SPEECH_ADAPT_INTERVAL_MS, JitterBufferConfig.builder().speechAdaptIntervalMs(-1));
        assertNamed(JitterBufferConfig.DELAY_QUANTILE, JitterBufferConfig.builder().delayQuantile(1.0));
        assertNamed(JitterBufferConfig.DELAY_QUANTILE, JitterBufferConfig.builder().delayQuantile(Double.NaN));
    }

    private static void assertNamed(final String option, final JitterBufferConfig.Builder builder) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }
}
