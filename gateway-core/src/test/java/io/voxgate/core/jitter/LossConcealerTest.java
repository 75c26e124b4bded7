package io.voxgate.core.jitter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LossConcealerTest {
    private static final int SAMPLES = 160;

    private static short[] constant(final int value) {
        final short[] pcm = new short[SAMPLES];
        Arrays.fill(pcm, (short) value);
        return pcm;
    }

    @Test
    void shouldFadeTheRepeatedFrameLinearlyToZeroOverThreeFrames() {
        final LossConcealer concealer = new LossConcealer(SAMPLES, 3);
        concealer.onFrame(constant(30_000), 0);
        final short[] faded = new short[3 * SAMPLES];
        for (int k = 0; k < 3; k++) {
            assertTrue(concealer.conceal(faded, k * SAMPLES));
        }
        assertEquals(30_000, faded[0]);
        for (int i = 1; i < faded.length; i++) {
            assertTrue(faded[i] < faded[i - 1], "strictly falling at " + i);
            final double expected = 30_000.0 * (faded.length - i) / faded.length;
            assertEquals(expected, faded[i], 2.0, "linear at " + i);
        }
        assertEquals(20_000, faded[SAMPLES], 1);
        assertEquals(10_000, faded[2 * SAMPLES], 1);
        assertTrue(faded[faded.length - 1] < 100);
    }

    @Test
    void shouldKeepTheWaveformWhileFading() {
        final LossConcealer concealer = new LossConcealer(4, 1);
        concealer.onFrame(new short[] {1000, -1000, 1000, -1000}, 0);
        final short[] out = new short[4];
        concealer.conceal(out, 0);
        assertArrayEquals(new short[] {1000, -750, 500, -250}, out);
    }

    @Test
    void shouldWriteSilenceAfterTheFadeFrames() {
        final LossConcealer concealer = new LossConcealer(SAMPLES, 3);
        concealer.onFrame(constant(12_345), 0);
        final short[] out = constant(7);
        for (int k = 0; k < 3; k++) {
            concealer.conceal(out, 0);
        }
        assertFalse(concealer.conceal(out, 0));
        assertArrayEquals(new short[SAMPLES], out);
        assertEquals(4, concealer.concealedRun());
    }

    @Test
    void shouldStartAFreshFadeAfterAGoodFrame() {
        final LossConcealer concealer = new LossConcealer(SAMPLES, 3);
        concealer.onFrame(constant(100), 0);
        final short[] out = new short[SAMPLES];
        concealer.conceal(out, 0);
        concealer.conceal(out, 0);
        concealer.onFrame(constant(8000), 0);
        assertTrue(concealer.conceal(out, 0));
        assertEquals(8000, out[0]);
        assertEquals(1, concealer.concealedRun());
    }

    @Test
    void shouldConcealWithSilenceAfterASilenceGap() {
        final LossConcealer concealer = new LossConcealer(SAMPLES, 3);
        concealer.onFrame(constant(8000), 0);
        final short[] out = constant(1);
        concealer.silence(out, 0);
        assertArrayEquals(new short[SAMPLES], out);
        assertFalse(concealer.conceal(out, 0));
        assertArrayEquals(new short[SAMPLES], out);
    }

    @Test
    void shouldWriteOnlyItsFrameAtTheOffset() {
        final LossConcealer concealer = new LossConcealer(2, 3);
        concealer.onFrame(new short[] {9, 9, 600, 600, 9}, 2);
        final short[] out = {5, 5, 5, 5, 5};
        concealer.conceal(out, 1);
        assertEquals(5, out[0]);
        assertEquals(600, out[1]);
        assertEquals(5, out[3]);
    }

    @Test
    void shouldConcealWithSilenceWhenFadeFramesIsZero() {
        final LossConcealer concealer = new LossConcealer(SAMPLES, 0);
        concealer.onFrame(constant(8000), 0);
        final short[] out = constant(3);
        assertFalse(concealer.conceal(out, 0));
        assertArrayEquals(new short[SAMPLES], out);
    }

    @Test
    void shouldRejectANonPositiveFrameSize() {
        assertThrows(IllegalArgumentException.class, () -> new LossConcealer(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new LossConcealer(160, -1));
    }
}
