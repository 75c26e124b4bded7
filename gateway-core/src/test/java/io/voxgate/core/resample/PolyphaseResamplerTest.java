package io.voxgate.core.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PolyphaseResamplerTest {
    /** Input amplitude of test tones: near full scale, so 70 dB down is well above the 16-bit rounding floor. */
    private static final double AMPLITUDE = 30_000;
    /** Settling time skipped before measuring: far beyond any filter's length. */
    private static final int SETTLE_MS = 20;

    private static PolyphaseResampler resamplerFor(final RateConversion conversion) {
        return PolyphaseResampler.create(conversion.inputRateHz(), conversion.outputRateHz());
    }

    private static int frameSamples(final int rateHz) {
        return rateHz / 50;
    }

    /** Steady-state output of one tone: SETTLE_MS of settling, then exactly one second (1 Hz Goertzel bins). */
    private static short[] steadyStateOutput(final RateConversion conversion, final double frequencyHz, final double amplitude) {
        final int samples = conversion.inputRateHz() * (1000 + 2 * SETTLE_MS) / 1000;
        final short[] out = Signals.resampleWhole(conversion, Signals.tone(frequencyHz, amplitude, conversion.inputRateHz(), samples));
        final int from = conversion.outputRateHz() * SETTLE_MS / 1000;
        return Arrays.copyOfRange(out, from, from + conversion.outputRateHz());
    }

    private static double passbandEdgeHz(final RateConversion conversion) {
        return conversion.filter().passbandEdgeHz();
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldGiveIdenticalSamplesFor20msFramesAndTheWholeSignal(final RateConversion conversion) {
        final short[] in = Signals.noiseAndTone(7, conversion.inputRateHz(), conversion.inputRateHz() * 2);
        final short[] whole = Signals.resampleWhole(conversion, in);

        final PolyphaseResampler resampler = resamplerFor(conversion);
        final int frame = frameSamples(conversion.inputRateHz());
        final short[] framed = new short[whole.length];
        int written = 0;
        for (int offset = 0; offset < in.length; offset += frame) {
            final int n = resampler.process(in, offset, frame, framed, written);
            assertEquals(frameSamples(conversion.outputRateHz()), n, "one 20 ms output frame per 20 ms input frame");
            written += n;
        }
        assertEquals(whole.length, written);
        assertArrayEquals(whole, framed);
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldGiveIdenticalSamplesForRandomChunkSizes(final RateConversion conversion) {
        final short[] in = Signals.noiseAndTone(11, conversion.inputRateHz(), conversion.inputRateHz() * 2);
        final short[] whole = Signals.resampleWhole(conversion, in);
        final Random random = new Random(conversion.ordinal());
        for (int trial = 0; trial < 5; trial++) {
            final PolyphaseResampler resampler = resamplerFor(conversion);
            final short[] chunked = new short[whole.length];
            int consumed = 0;
            int written = 0;
            while (consumed < in.length) {
                // Mostly small and odd sizes (partial cycles), sometimes empty, sometimes longer than a block.
                final int bound = random.nextInt(10) == 0 ? 5_000 : 40;
                final int n = Math.min(in.length - consumed, random.nextInt(bound));
                final int produced = resampler.process(in, consumed, n, chunked, written);
                assertTrue(produced <= resampler.maxOutputSamples(n), "maxOutputSamples bounds every call");
                consumed += n;
                written += produced;
            }
            assertEquals(whole.length, written);
            assertArrayEquals(whole, chunked, "trial " + trial);
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldMatchTheDirectFormDefinitionWithinOneLsb(final RateConversion conversion) {
        final short[] in = Signals.noiseAndTone(3, conversion.inputRateHz(), conversion.inputRateHz() / 4);
        final short[] out = Signals.resampleWhole(conversion, in);
        final double[] reference = Signals.directForm(conversion, in);
        assertEquals(reference.length, out.length);
        for (int k = 0; k < out.length; k++) {
            final double expected = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, reference[k]));
            assertEquals(expected, out[k], 1.0, "sample " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldKeepPassbandRippleWithinATenthOfADecibel(final RateConversion conversion) {
        double minDb = Double.MAX_VALUE;
        double maxDb = -Double.MAX_VALUE;
        for (double f = 100; f <= passbandEdgeHz(conversion); f += 100) {
            final short[] out = steadyStateOutput(conversion, f, AMPLITUDE);
            final double gainDb = Signals.db(Signals.amplitude(out, 0, out.length, f, conversion.outputRateHz()) / AMPLITUDE);
            minDb = Math.min(minDb, gainDb);
            maxDb = Math.max(maxDb, gainDb);
        }
        assertTrue(maxDb - minDb <= 0.1, "ripple " + (maxDb - minDb) + " dB");
        assertTrue(Math.abs(maxDb) <= 0.05 && Math.abs(minDb) <= 0.05, "gain " + minDb + " .. " + maxDb + " dB");
    }

    @ParameterizedTest
    @EnumSource(value = RateConversion.class, names = {"DOWN_16_TO_8", "DOWN_24_TO_8", "DOWN_24_TO_16"})
    void shouldAttenuateTonesThatWouldAliasIntoThePassbandBy70dB(final RateConversion conversion) {
        final double inputRms = AMPLITUDE / Math.sqrt(2);
        for (double f = conversion.filter().stopbandEdgeHz(); f < conversion.inputRateHz() / 2.0; f += 100) {
            final short[] out = steadyStateOutput(conversion, f, AMPLITUDE);
            final double attenuationDb = Signals.db(inputRms / Signals.rms(out, 0, out.length));
            assertTrue(attenuationDb >= 70, f + " Hz attenuated by only " + attenuationDb + " dB");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RateConversion.class, names = {"UP_8_TO_16", "UP_8_TO_24", "UP_16_TO_24"})
    void shouldAttenuateImagesOfPassbandTonesBy70dB(final RateConversion conversion) {
        final int inputRate = conversion.inputRateHz();
        final int outputRate = conversion.outputRateHz();
        final int intermediateRate = inputRate * conversion.up();
        for (double f = 100; f <= passbandEdgeHz(conversion); f += 100) {
            final short[] out = steadyStateOutput(conversion, f, AMPLITUDE);
            for (int m = 1; m * inputRate - f < intermediateRate; m++) {
                for (final double image : new double[] {m * inputRate - f, m * inputRate + f}) {
                    // Zero stuffing puts images at m * fin +- f; decimating to the output rate folds them.
                    final double seen = Signals.fold(image, outputRate);
                    if (image < intermediateRate && Math.abs(seen - f) > 1) {
                        final double attenuationDb = Signals.db(AMPLITUDE / Signals.amplitude(out, 0, out.length, seen, outputRate));
                        assertTrue(attenuationDb >= 70, "image of " + f + " Hz at " + seen + " Hz down only " + attenuationDb + " dB");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"8000, 16000", "8000, 24000", "16000, 24000"})
    void shouldRoundTripABandLimitedSignalWithMoreThan60dBSnr(final int rateHz, final int otherRateHz) {
        final RateConversion there = RateConversion.of(rateHz, otherRateHz);
        final RateConversion back = RateConversion.of(otherRateHz, rateHz);
        final double edge = there.filter().passbandEdgeHz();
        final double[] frequencies = {0.09 * edge, 0.23 * edge, 0.41 * edge, 0.58 * edge, 0.77 * edge, 0.99 * edge};
        final short[] in = Signals.tones(frequencies, 5_000, rateHz, rateHz);
        final short[] out = Signals.resampleWhole(back, Signals.resampleWhole(there, in));

        final double delayMs = there.groupDelayMs() + back.groupDelayMs();
        final int delay = (int) Math.round(delayMs * rateHz / 1000);
        assertEquals(delayMs * rateHz / 1000, delay, 1e-9, "the round-trip delay is a whole number of samples");
        double signal = 0;
        double error = 0;
        for (int n = rateHz * SETTLE_MS / 1000; n < in.length - delay; n++) {
            signal += (double) in[n] * in[n];
            final double e = out[n + delay] - in[n];
            error += e * e;
        }
        final double snrDb = 10 * Math.log10(signal / error);
        // Each pass is within 10^(-72/20) of unity gain in the passband and adds 16-bit rounding (about -90 dB
        // here), so the error stays below about -64 dB; 60 dB leaves margin for the two roundings adding up.
        assertTrue(snrDb >= 60, "round-trip SNR " + snrDb + " dB");
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldDelayAnImpulseByTheDocumentedGroupDelayOfAtMost2ms(final RateConversion conversion) {
        final PolyphaseResampler resampler = resamplerFor(conversion);
        assertTrue(resampler.groupDelayMs() > 0 && resampler.groupDelayMs() <= 2.0, resampler.groupDelayMs() + " ms");

        final int inputRate = conversion.inputRateHz();
        final int outputRate = conversion.outputRateHz();
        final short[] in = new short[inputRate / 10];
        final int impulseAt = inputRate / 100;
        in[impulseAt] = 20_000;
        final short[] out = Signals.resampleWhole(conversion, in);

        final double expectedPeakIndex = (impulseAt / (double) inputRate + resampler.groupDelayMs() / 1000) * outputRate;
        int peak = 0;
        double moment = 0;
        double mass = 0;
        for (int k = 0; k < out.length; k++) {
            peak = Math.abs(out[k]) > Math.abs(out[peak]) ? k : peak;
            moment += (double) k * out[k];
            mass += out[k];
        }
        assertEquals(expectedPeakIndex, peak, 1e-9, "peak of the impulse response");
        final double centroidDelayMs = (moment / mass / outputRate - impulseAt / (double) inputRate) * 1000;
        assertEquals(resampler.groupDelayMs(), centroidDelayMs, 0.005, "delay of the impulse response's centroid");
    }

    @ParameterizedTest
    @EnumSource(value = RateConversion.class, names = {"UP_8_TO_16", "UP_8_TO_24", "UP_16_TO_24"})
    void shouldPassInputSamplesThroughExactlyOnTheOutputsThatLineUpWithThem(final RateConversion conversion) {
        final short[] in = Signals.noiseAndTone(13, conversion.inputRateHz(), conversion.inputRateHz() / 10);
        in[100] = Short.MAX_VALUE;
        in[101] = Short.MIN_VALUE;
        final short[] out = Signals.resampleWhole(conversion, in);
        final int delay = (int) Math.round(conversion.groupDelayMs() * conversion.outputRateHz() / 1000);
        // Input sample n is at time n / inputRate, which is output sample n * L / M when M divides n.
        for (int n = 0; n * conversion.up() / conversion.down() + delay < out.length; n += conversion.down()) {
            assertEquals(in[n], out[n * conversion.up() / conversion.down() + delay], "input sample " + n);
        }
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldSaturateAFullScaleSquareWaveInsteadOfWrapping(final RateConversion conversion) {
        final short[] in = new short[conversion.inputRateHz() / 10];
        for (int n = 0; n < in.length; n++) {
            in[n] = (n / 40) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        final short[] out = Signals.resampleWhole(conversion, in);
        final double[] reference = Signals.directForm(conversion, in);
        int clippedHigh = 0;
        int clippedLow = 0;
        for (int k = 0; k < out.length; k++) {
            final double expected = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, reference[k]));
            assertEquals(expected, out[k], 1.0, "sample " + k + " (unclipped " + reference[k] + ")");
            clippedHigh += reference[k] > Short.MAX_VALUE + 1 ? 1 : 0;
            clippedLow += reference[k] < Short.MIN_VALUE - 1 ? 1 : 0;
        }
        assertTrue(clippedHigh > 0 && clippedLow > 0, "the overshoot really exceeded 16 bits both ways");
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldGroupTheNonZeroTapsOfEachOutputPhaseIntoAtMostOneRunPerStream(final RateConversion conversion) {
        int taps = 0;
        for (int r = 0; r < conversion.up(); r++) {
            final int runs = conversion.runStart(r + 1) - conversion.runStart(r);
            assertTrue(runs >= 1 && runs <= conversion.down(), "residue " + r + " has " + runs + " runs");
            for (int g = conversion.runStart(r); g < conversion.runStart(r + 1); g++) {
                taps += conversion.runLength(g);
            }
        }
        int nonZero = 0;
        for (int j = 0; j < conversion.filter().length(); j++) {
            nonZero += conversion.filter().coefficient(j) != 0.0 ? 1 : 0;
        }
        assertEquals(nonZero, taps, "every non-zero tap is used exactly once");
    }

    @Test
    void shouldReportItsRates() {
        final PolyphaseResampler resampler = PolyphaseResampler.create(24_000, 16_000);
        assertEquals(24_000, resampler.inputRateHz());
        assertEquals(16_000, resampler.outputRateHz());
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldBoundOutputSizeByTheRateRatioRoundedUp(final RateConversion conversion) {
        final PolyphaseResampler resampler = resamplerFor(conversion);
        assertEquals(frameSamples(conversion.outputRateHz()), resampler.maxOutputSamples(frameSamples(conversion.inputRateHz())));
        assertEquals(0, resampler.maxOutputSamples(0));
        assertEquals((conversion.up() + conversion.down() - 1) / conversion.down(), resampler.maxOutputSamples(1), "ceil(L / M)");
        assertEquals(3 * frameSamples(conversion.outputRateHz()), resampler.maxOutputSamples(3 * frameSamples(conversion.inputRateHz())));
    }

    @ParameterizedTest
    @EnumSource(RateConversion.class)
    void shouldForgetHistoryOnReset(final RateConversion conversion) {
        final short[] in = Signals.noiseAndTone(5, conversion.inputRateHz(), conversion.inputRateHz() / 10);
        final short[] expected = Signals.resampleWhole(conversion, in);
        final PolyphaseResampler resampler = resamplerFor(conversion);
        final short[] out = new short[expected.length];
        resampler.process(in, 0, 77, out, 0);
        resampler.reset();
        assertEquals(expected.length, resampler.process(in, 0, in.length, out, 0));
        assertArrayEquals(expected, out);
    }

    @ParameterizedTest
    @CsvSource({"8000, 44100", "11025, 8000", "16000, 16000", "8000, 8000", "0, 8000", "-8000, 16000", "16000, 48000"})
    void shouldRejectUnsupportedRatePairsNamingBothRates(final int inputRateHz, final int outputRateHz) {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> PolyphaseResampler.create(inputRateHz, outputRateHz));
        assertTrue(e.getMessage().contains(inputRateHz + " Hz -> " + outputRateHz + " Hz"), e.getMessage());
    }

    @Test
    void shouldRejectAnOutputArrayTooSmallNamingTheSizesAndKeepItsState() {
        final PolyphaseResampler resampler = PolyphaseResampler.create(8_000, 16_000);
        final short[] in = Signals.noiseAndTone(1, 8_000, 160);
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> resampler.process(in, 0, 160, new short[320], 1));
        assertTrue(e.getMessage().contains("output array of 320 samples from offset 1 has no room for the 320 samples"), e.getMessage());

        final short[] out = new short[320];
        assertEquals(320, resampler.process(in, 0, 160, out, 0));
        assertArrayEquals(Signals.resampleWhole(RateConversion.UP_8_TO_16, in), out, "the rejected call changed nothing");
    }

    @Test
    void shouldRejectAnInputRangeOutsideTheArrayNamingTheSizes() {
        final PolyphaseResampler resampler = PolyphaseResampler.create(16_000, 8_000);
        final short[] out = new short[1_000];
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> resampler.process(new short[320], 10, 320, out, 0));
        assertTrue(e.getMessage().contains("offset 10 + 320 samples lies outside an input array of 320"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> resampler.process(new short[320], -1, 10, out, 0));
        assertThrows(IllegalArgumentException.class, () -> resampler.process(new short[320], 0, -1, out, 0));
    }
}
