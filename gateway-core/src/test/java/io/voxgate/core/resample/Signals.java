package io.voxgate.core.resample;

import java.util.Random;

/** Test signals and the measurements the resampler's specification is written in. */
final class Signals {
    private Signals() {
    }

    /** {@code amplitude * sin(2 pi f n / rate)} rounded to PCM16. */
    static short[] tone(final double frequencyHz, final double amplitude, final int rateHz, final int samples) {
        final short[] s = new short[samples];
        for (int n = 0; n < samples; n++) {
            s[n] = (short) Math.round(amplitude * Math.sin(2.0 * Math.PI * frequencyHz * n / rateHz));
        }
        return s;
    }

    /** Sum of equal-amplitude tones with staggered phases, rounded to PCM16. */
    static short[] tones(final double[] frequenciesHz, final double amplitudeEach, final int rateHz, final int samples) {
        final short[] s = new short[samples];
        for (int n = 0; n < samples; n++) {
            double v = 0;
            for (int i = 0; i < frequenciesHz.length; i++) {
                v += amplitudeEach * Math.sin(2.0 * Math.PI * frequenciesHz[i] * n / rateHz + i * 0.7);
            }
            s[n] = (short) Math.round(v);
        }
        return s;
    }

    /** White noise in +-{@code noiseAmplitude} plus a tone, rounded to PCM16. */
    static short[] noiseAndTone(final long seed, final int rateHz, final int samples) {
        final Random random = new Random(seed);
        final short[] s = new short[samples];
        for (int n = 0; n < samples; n++) {
            final double v = 12_000 * Math.sin(2.0 * Math.PI * 1_234.5 * n / rateHz) + (random.nextDouble() * 2 - 1) * 12_000;
            s[n] = (short) Math.round(v);
        }
        return s;
    }

    /** Amplitude of the component at {@code frequencyHz} over {@code x[from, from + length)}, by Goertzel's algorithm. */
    static double amplitude(final short[] x, final int from, final int length, final double frequencyHz, final int rateHz) {
        final double w = 2.0 * Math.PI * frequencyHz / rateHz;
        final double coefficient = 2.0 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int n = 0; n < length; n++) {
            final double s0 = x[from + n] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        final double real = s1 - s2 * Math.cos(w);
        final double imaginary = s2 * Math.sin(w);
        return 2.0 * Math.hypot(real, imaginary) / length;
    }

    static double rms(final short[] x, final int from, final int length) {
        double sum = 0;
        for (int n = from; n < from + length; n++) {
            sum += (double) x[n] * x[n];
        }
        return Math.sqrt(sum / length);
    }

    static double db(final double ratio) {
        return 20.0 * Math.log10(ratio);
    }

    /** {@code frequency} folded into {@code [0, rateHz / 2]}, as sampling at {@code rateHz} sees it. */
    static double fold(final double frequencyHz, final int rateHz) {
        final double f = Math.abs(frequencyHz) % rateHz;
        return f > rateHz / 2.0 ? rateHz - f : f;
    }

    /** Resamples a whole signal in one call on a fresh resampler. */
    static short[] resampleWhole(final RateConversion conversion, final short[] in) {
        final PolyphaseResampler resampler = PolyphaseResampler.create(conversion.inputRateHz(), conversion.outputRateHz());
        final short[] out = new short[resampler.maxOutputSamples(in.length)];
        final int written = resampler.process(in, 0, in.length, out, 0);
        return java.util.Arrays.copyOf(out, written);
    }

    /**
     * The textbook definition, in double: zero-stuff by L, convolve with the prototype filter, keep every M-th
     * sample, round and saturate. Independent of the polyphase tables and the streaming bookkeeping.
     */
    static double[] directForm(final RateConversion conversion, final short[] in) {
        final int up = conversion.up();
        final int down = conversion.down();
        final LowpassFilterDesign filter = conversion.filter();
        final int outputs = (int) ((in.length * (long) up + down - 1) / down);
        final double[] y = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            double sum = 0;
            for (int j = 0; j < filter.length(); j++) {
                final long m = (long) k * down - j;
                if (m >= 0 && m % up == 0) {
                    sum += up * filter.coefficient(j) * in[(int) (m / up)];
                }
            }
            y[k] = sum;
        }
        return y;
    }
}
