package io.voxgate.core.resample;

/**
 * A linear-phase low-pass FIR designed by the windowed-sinc method with a Kaiser window, as the
 * prototype filter of a polyphase resampler.
 *
 * <p>The filter is a Nyquist (K-th band) filter: its cutoff sits at {@code rateHz / (2 K)}, halfway through a
 * transition band placed symmetrically around it, and its centre lies on a whole sample. The sinc then vanishes
 * at every K-th tap away from the centre, so those taps are exactly zero and cost nothing, and the phase of
 * an interpolator by K that lines up with the input samples is a pure delay.
 *
 * <p>Length and window shape follow Kaiser's empirical formulas (J. F. Kaiser, "Nonrecursive digital filter
 * design using the I0-sinh window function", 1974; Oppenheim and Schafer, Discrete-Time Signal Processing,
 * section 7.5.3): {@code beta = 0.1102 (A - 8.7)} for {@code A > 50} dB and order
 * {@code N = (A - 8) / (2.285 dw)} with {@code dw} the transition width in radians per sample. The order is
 * rounded up to an even number whose half (the delay) is a multiple of K, so the outermost taps also fall on
 * zeros and the delay is a whole number of samples at the lower rate {@code rateHz / K}.
 *
 * <p>Computed in double once at setup; immutable afterwards and safe on any thread.
 */
final class LowpassFilterDesign {
    private final int rateHz;
    private final int band;
    private final double passbandEdgeHz;
    private final double stopbandEdgeHz;
    private final double attenuationDb;
    private final double beta;
    private final int delaySamples;
    private final double[] coefficients;

    private LowpassFilterDesign(
        final int rateHz,
        final int band,
        final double passbandEdgeHz,
        final double stopbandEdgeHz,
        final double attenuationDb) {
        this.rateHz = rateHz;
        this.band = band;
        this.passbandEdgeHz = passbandEdgeHz;
        this.stopbandEdgeHz = stopbandEdgeHz;
        this.attenuationDb = attenuationDb;
        this.beta = kaiserBeta(attenuationDb);
        final double transitionRadians = 2.0 * Math.PI * (stopbandEdgeHz - passbandEdgeHz) / rateHz;
        final int kaiserOrder = kaiserOrder(attenuationDb, transitionRadians);
        final int halfOrder = (kaiserOrder + 1) / 2;
        this.delaySamples = ((halfOrder + band - 1) / band) * band;
        this.coefficients = windowedSinc(delaySamples, band, beta);
    }

    /**
     * Designs a K-th band low-pass filter running at {@code rateHz}.
     *
     * @param rateHz         the rate the filter runs at (the resampler's intermediate rate), in Hz
     * @param band           K: the cutoff is {@code rateHz / (2 K)}
     * @param passbandEdgeHz highest frequency that must pass with the design's ripple, in Hz
     * @param stopbandEdgeHz lowest frequency that must be attenuated by {@code attenuationDb}, in Hz
     * @param attenuationDb  design stopband attenuation in dB (positive), at least 50
     * @throws IllegalArgumentException naming the value when the edges are not symmetric around the cutoff or a
     *                                  parameter is out of range
     */
    static LowpassFilterDesign nyquistBand(
        final int rateHz,
        final int band,
        final double passbandEdgeHz,
        final double stopbandEdgeHz,
        final double attenuationDb) {
        if (rateHz <= 0 || band < 2) {
            throw new IllegalArgumentException("rate " + rateHz + " Hz and band " + band + " must be positive, band >= 2");
        }
        final double cutoffHz = rateHz / (2.0 * band);
        if (!(passbandEdgeHz > 0 && passbandEdgeHz < cutoffHz && stopbandEdgeHz > cutoffHz && stopbandEdgeHz < rateHz / 2.0)) {
            throw new IllegalArgumentException("band edges " + passbandEdgeHz + " Hz / " + stopbandEdgeHz
                + " Hz must straddle the cutoff " + cutoffHz + " Hz below Nyquist " + rateHz / 2.0 + " Hz");
        }
        if (Math.abs(passbandEdgeHz + stopbandEdgeHz - 2.0 * cutoffHz) > 1e-9) {
            throw new IllegalArgumentException("band edges " + passbandEdgeHz + " Hz / " + stopbandEdgeHz
                + " Hz are not symmetric around the cutoff " + cutoffHz + " Hz");
        }
        if (!(attenuationDb >= 50 && attenuationDb <= 150)) {
            throw new IllegalArgumentException("design attenuation " + attenuationDb + " dB outside 50..150 dB");
        }
        return new LowpassFilterDesign(rateHz, band, passbandEdgeHz, stopbandEdgeHz, attenuationDb);
    }

    /** Kaiser window shape parameter for a stopband attenuation of {@code attenuationDb} dB. */
    static double kaiserBeta(final double attenuationDb) {
        if (attenuationDb > 50) {
            return 0.1102 * (attenuationDb - 8.7);
        }
        if (attenuationDb >= 21) {
            return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
        }
        return 0.0;
    }

    /** Kaiser's estimate of the filter order (length minus one) for the attenuation and transition width. */
    static int kaiserOrder(final double attenuationDb, final double transitionRadians) {
        return (int) Math.ceil((attenuationDb - 8.0) / (2.285 * transitionRadians));
    }

    /** Zeroth-order modified Bessel function of the first kind, by its power series. */
    static double besselI0(final double x) {
        final double quarterSquare = x * x / 4.0;
        double term = 1.0;
        double sum = 1.0;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= quarterSquare / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static double[] windowedSinc(final int delay, final int band, final double beta) {
        final double[] h = new double[2 * delay + 1];
        final double windowScale = 1.0 / besselI0(beta);
        for (int n = 0; n < h.length; n++) {
            final int offset = n - delay;
            if (offset == 0) {
                h[n] = 1.0 / band;
            } else if (offset % band == 0) {
                // The sinc's own zeros: written as exact zeros so the polyphase tables can drop them.
                h[n] = 0.0;
            } else {
                final double x = Math.PI * offset / band;
                final double ratio = (double) offset / delay;
                final double window = besselI0(beta * Math.sqrt(1.0 - ratio * ratio)) * windowScale;
                h[n] = Math.sin(x) / (Math.PI * offset) * window;
            }
        }
        return h;
    }

    /** Magnitude of the frequency response at {@code frequencyHz}, with unity DC gain meaning 1.0. */
    double magnitude(final double frequencyHz) {
        final double w = 2.0 * Math.PI * frequencyHz / rateHz;
        // Linear phase: the response is a real cosine sum about the centre tap.
        double sum = coefficients[delaySamples];
        for (int k = 1; k <= delaySamples; k++) {
            sum += 2.0 * coefficients[delaySamples + k] * Math.cos(w * k);
        }
        return Math.abs(sum);
    }

    /** The rate the filter runs at, in Hz. */
    int rateHz() {
        return rateHz;
    }

    /** K: the cutoff is {@code rateHz / (2 K)} and every K-th tap from the centre is zero. */
    int band() {
        return band;
    }

    double passbandEdgeHz() {
        return passbandEdgeHz;
    }

    double stopbandEdgeHz() {
        return stopbandEdgeHz;
    }

    double attenuationDb() {
        return attenuationDb;
    }

    double beta() {
        return beta;
    }

    /** Group delay in samples at {@code rateHz}: half the order, exact for a symmetric FIR. */
    int delaySamples() {
        return delaySamples;
    }

    /** Group delay in milliseconds. */
    double delayMs() {
        return delaySamples * 1000.0 / rateHz;
    }

    /** Number of taps (order plus one), zeros included. */
    int length() {
        return coefficients.length;
    }

    /** Tap {@code n}, for {@code 0 <= n < length()}. */
    double coefficient(final int n) {
        return coefficients[n];
    }
}
