package io.voxgate.core.codec;

/**
 * The adaptive part of one G.722 sub-band ADPCM coder (ITU-T G.722 §3 and §6.2), shared by encoder and decoder:
 * the quantiser scale factor (blocks LOGSCL/SCALEL for the lower band, LOGSCH/SCALEH for the higher), the
 * two-pole six-zero adaptive predictor (UPPOL1, UPPOL2, UPZERO, FILTEP, FILTEZ) and its delay line (DELAYA).
 * Encoder and decoder run the very same state machine on the same quantised difference, which is why they track
 * each other; every operation is the Recommendation's 16-bit fixed-point one, with its saturation, so this side
 * stays in step with any conforming coder at the other end.
 *
 * <p>Fixed point: predictor coefficients are Q14 (16,384 is 1.0), signals are on the codec's 15-bit scale.
 *
 * <p>Threading: confined to its coder's thread. Nothing allocates.
 */
final class G722SubBand {
    /** Lower band: log scale factor adaptation weights W_L, indexed by the 4-bit code's magnitude class. */
    private static final int[] LOWER_LOG_WEIGHTS = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    /** Lower band: the magnitude class (0..7) of each 4-bit code (RIL) for {@link #LOWER_LOG_WEIGHTS}. */
    private static final int[] LOWER_MAGNITUDE_CLASS = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    /** Higher band: log scale factor adaptation weights W_H, indexed by {@link #HIGHER_MAGNITUDE_CLASS}. */
    private static final int[] HIGHER_LOG_WEIGHTS = {0, -214, 798};
    /** Higher band: the magnitude class of each 2-bit code (IH). */
    private static final int[] HIGHER_MAGNITUDE_CLASS = {2, 1, 2, 1};
    /** Log scale factor ceilings: 18,432 (lower) and 22,528 (higher) keep DET within the tables' range. */
    private static final int LOWER_LOG_MAX = 18_432;
    private static final int HIGHER_LOG_MAX = 22_528;
    /**
     * Antilog table of the scale factor: {@code 2048 * 2^(i/32)} rounded, i = 0..31, the mantissa of
     * {@code DET = 2^(NB/2048)} (block SCALEL).
     */
    private static final int[] ANTILOG = {
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    };
    /** Leakage factor 1 - 2^-7 of the log scale factor and of pole 2, Q15. */
    private static final int LEAK_7_Q15 = 32_512;
    /** Leakage factor 1 - 2^-8 of pole 1 and the zeros, Q15. */
    private static final int LEAK_8_Q15 = 32_640;

    private final boolean lower;
    /** Log scale factor (NBL or NBH). */
    private int logScale;
    /** Quantiser scale factor (DETL or DETH). */
    private int scale;
    /** Pole predictor coefficients a1, a2 (Q14). */
    private int pole1;
    private int pole2;
    /** Zero predictor coefficients b1..b6 (Q14), index 1..6. */
    private final int[] zero = new int[7];
    /** Quantised difference signal d(n-1)..d(n-6), index 1..6. */
    private final int[] difference = new int[7];
    /** Partially reconstructed signal p(n-1), p(n-2). */
    private int partial1;
    private int partial2;
    /** Reconstructed signal r(n-1), r(n-2). */
    private int reconstructed1;
    private int reconstructed2;
    /** Zero section output of the current estimate (SZ). */
    private int zeroEstimate;
    /** The signal estimate (SL or SH) for the next sample. */
    private int estimate;

    /** A band in its reset state. */
    G722SubBand(final boolean lower) {
        this.lower = lower;
        reset();
    }

    /** The Recommendation's reset state (§6.2.1.1): all zero, DETL = 32, DETH = 8. */
    void reset() {
        logScale = 0;
        scale = lower ? 32 : 8;
        pole1 = 0;
        pole2 = 0;
        for (int i = 0; i < zero.length; i++) {
            zero[i] = 0;
            difference[i] = 0;
        }
        partial1 = 0;
        partial2 = 0;
        reconstructed1 = 0;
        reconstructed2 = 0;
        zeroEstimate = 0;
        estimate = 0;
    }

    /** The predicted value of the next sub-band sample (SL or SH). */
    int estimate() {
        return estimate;
    }

    /** The current quantiser scale factor (DETL or DETH). */
    int scale() {
        return scale;
    }

    /**
     * Moves the band on by one sample, given the quantised difference the code stands for ({@code dq}: DLT or
     * DH) and the code's magnitude index (the 4-bit RIL for the lower band, the 2-bit IH for the higher).
     */
    void update(final int dq, final int code) {
        adaptScale(code);
        final int reconstructed = saturate(estimate + dq);
        final int partial = saturate(dq + zeroEstimate);
        adaptPoles(partial);
        adaptZeros(dq);
        for (int i = 6; i > 1; i--) {
            difference[i] = difference[i - 1];
        }
        difference[1] = dq;
        partial2 = partial1;
        partial1 = partial;
        reconstructed2 = reconstructed1;
        reconstructed1 = reconstructed;
        predict();
    }

    /** LOGSCL/LOGSCH then SCALEL/SCALEH: the log scale factor leaks and moves by the code's weight. */
    private void adaptScale(final int code) {
        final int weight = lower ? LOWER_LOG_WEIGHTS[LOWER_MAGNITUDE_CLASS[code]]
            : HIGHER_LOG_WEIGHTS[HIGHER_MAGNITUDE_CLASS[code]];
        final int max = lower ? LOWER_LOG_MAX : HIGHER_LOG_MAX;
        logScale = Math.min(Math.max(((logScale * LEAK_7_Q15) >> 15) + weight, 0), max);
        final int mantissa = ANTILOG[(logScale >> 6) & 31];
        final int shift = (lower ? 8 : 10) - (logScale >> 11);
        scale = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
    }

    /** UPPOL2 then UPPOL1: sign-sign adaptation of the two poles on the partially reconstructed signal. */
    private void adaptPoles(final int partial) {
        final boolean sign0 = partial < 0;
        final boolean sign1 = partial1 < 0;
        final boolean sign2 = partial2 < 0;
        // f(a1) = 4 a1, its saturation is the Recommendation's |a1| > 1/2 clamp.
        final int fourPole1 = saturate(pole1 << 2);
        final int toward1 = (sign0 == sign1 ? -fourPole1 : fourPole1) >> 7;
        final int toward2 = sign0 == sign2 ? 128 : -128;
        int next2 = saturate(toward1 + toward2 + ((pole2 * LEAK_7_Q15) >> 15));
        next2 = Math.min(Math.max(next2, -12_288), 12_288);
        int next1 = saturate((sign0 == sign1 ? 192 : -192) + ((pole1 * LEAK_8_Q15) >> 15));
        final int bound = 15_360 - next2;
        next1 = Math.min(Math.max(next1, -bound), bound);
        pole2 = next2;
        pole1 = next1;
    }

    /** UPZERO: sign-sign adaptation of the six zeros; a zero difference only leaks them. */
    private void adaptZeros(final int dq) {
        final int step = dq == 0 ? 0 : 128;
        final boolean sign0 = dq < 0;
        for (int i = 1; i <= 6; i++) {
            final int toward = sign0 == difference[i] < 0 ? step : -step;
            zero[i] = saturate(toward + ((zero[i] * LEAK_8_Q15) >> 15));
        }
    }

    /** FILTEP and FILTEZ: the next estimate from the new coefficients and the shifted delay line. */
    private void predict() {
        int zeros = 0;
        for (int i = 1; i <= 6; i++) {
            zeros = saturate(zeros + ((zero[i] * saturate(difference[i] << 1)) >> 15));
        }
        final int poles = saturate(((pole1 * saturate(reconstructed1 << 1)) >> 15)
            + ((pole2 * saturate(reconstructed2 << 1)) >> 15));
        zeroEstimate = zeros;
        estimate = saturate(poles + zeros);
    }

    /** The Recommendation's LIMIT: clamp to the signed 16-bit range. */
    static int saturate(final int value) {
        return Math.min(Math.max(value, Short.MIN_VALUE), Short.MAX_VALUE);
    }
}
