package io.voxgate.core.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LowpassFilterDesignTest {

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldAttenuateTheWholeStopbandByAtLeast70dB(final RateConversion conversion) {
        final LowpassFilterDesign filter = conversion.filter();
        for (double f = filter.stopbandEdgeHz(); f <= filter.rateHz() / 2.0; f += 1) {
            final double attenuationDb = -Signals.db(filter.magnitude(f));
            assertTrue(attenuationDb >= 70, f + " Hz attenuated by only " + attenuationDb + " dB");
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldKeepPassbandRippleWithinATenthOfADecibel(final RateConversion conversion) {
        final LowpassFilterDesign filter = conversion.filter();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double f = 0; f <= filter.passbandEdgeHz(); f += 1) {
            final double gainDb = Signals.db(filter.magnitude(f));
            min = Math.min(min, gainDb);
            max = Math.max(max, gainDb);
        }
        assertTrue(max - min <= 0.1, "ripple " + (max - min) + " dB");
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldBeSymmetricSoThePhaseIsLinear(final RateConversion conversion) {
        final LowpassFilterDesign filter = conversion.filter();
        assertEquals(2 * filter.delaySamples() + 1, filter.length());
        for (int n = 0; n < filter.length(); n++) {
            assertEquals(filter.coefficient(n), filter.coefficient(filter.length() - 1 - n), 0.0, "tap " + n);
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldBeANyquistFilterWithExactZerosEveryKthTap(final RateConversion conversion) {
        final LowpassFilterDesign filter = conversion.filter();
        final int band = filter.band();
        assertEquals(Math.max(conversion.up(), conversion.down()), band);
        for (int n = 0; n < filter.length(); n++) {
            final int offset = n - filter.delaySamples();
            if (offset == 0) {
                assertEquals(1.0 / band, filter.coefficient(n), 0.0);
            } else if (offset % band == 0) {
                assertEquals(0.0, filter.coefficient(n), 0.0, "tap " + n);
            } else {
                assertTrue(filter.coefficient(n) != 0.0, "tap " + n);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldDelayByAtMost2msAndAWholeNumberOfSamplesAtTheLowerRate(final RateConversion conversion) {
        final LowpassFilterDesign filter = conversion.filter();
        assertTrue(filter.delayMs() <= 2.0, filter.delayMs() + " ms");
        assertEquals(0, filter.delaySamples() % filter.band());
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldHaveUnityGainAtDc(final RateConversion conversion) {
        assertEquals(1.0, conversion.filter().magnitude(0), 1e-3);
    }

    @Test
    void shouldFollowKaisersBetaFormula() {
        assertEquals(5.65326, LowpassFilterDesign.kaiserBeta(60), 1e-5);
        assertEquals(6.97566, LowpassFilterDesign.kaiserBeta(72), 1e-5);
        assertEquals(3.39532, LowpassFilterDesign.kaiserBeta(40), 1e-5);
        assertEquals(0.0, LowpassFilterDesign.kaiserBeta(20), 0.0);
    }

    @Test
    void shouldFollowKaisersOrderEstimate() {
        // 72 dB over 3.4..4.6 kHz at 16 kHz: (72 - 8) / (2.285 * 2 pi 1200 / 16000) = 59.4
        assertEquals(60, LowpassFilterDesign.kaiserOrder(72, 2 * Math.PI * 1_200 / 16_000));
        final LowpassFilterDesign filter = LowpassFilterDesign.nyquistBand(16_000, 2, 3_400, 4_600, 72);
        assertEquals(30, filter.delaySamples());
        assertEquals(1.875, filter.delayMs(), 1e-12);
    }

    @Test
    void shouldComputeTheBesselFunctionI0() {
        assertEquals(1.0, LowpassFilterDesign.besselI0(0), 0.0);
        assertEquals(1.2660658777520082, LowpassFilterDesign.besselI0(1), 1e-15);
        assertEquals(27.239871823604442, LowpassFilterDesign.besselI0(5), 1e-12);
    }

    @Test
    void shouldRejectBandEdgesNotSymmetricAroundTheCutoff() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LowpassFilterDesign.nyquistBand(16_000, 2, 3_400, 4_400, 72));
        assertTrue(e.getMessage().contains("3400.0 Hz / 4400.0 Hz"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LowpassFilterDesign.nyquistBand(16_000, 2, 4_100, 4_600, 72));
        assertThrows(IllegalArgumentException.class, () -> LowpassFilterDesign.nyquistBand(16_000, 2, 3_400, 4_600, 30));
        assertThrows(IllegalArgumentException.class, () -> LowpassFilterDesign.nyquistBand(16_000, 1, 3_400, 4_600, 72));
    }
}
