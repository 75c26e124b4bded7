package io.voxgate.core.codec;

/**
 * The constants of ITU-T G.722's 64 kbit/s mode: the quadrature mirror filter's 24 coefficients and the sub-band
 * quantisers' decision and reconstruction levels. Each table is the Recommendation's, in its own fixed-point
 * scale; the comments say which block uses it.
 *
 * <p>Immutable; safe on any thread.
 */
final class G722Tables {
    /** Taps of the transmit and receive quadrature mirror filters. */
    static final int TAPS = 24;
    /** QMF coefficients h0..h23 (scaled by 2^13; symmetric, h(i) = h(23 - i)). */
    static final int[] QMF = {
        3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
        3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
    };
    /**
     * 16-bit samples to the codec's 15-bit scale and back (the Recommendation's interface is 14 bits; one bit
     * more, as 16-bit implementations such as ffmpeg's use, keeps streams from either at the same level).
     */
    static final int INPUT_SHIFT = 1;
    /** Transmit QMF: the even and odd sums to a sub-band sample (the coefficients' 2^13 scale). */
    static final int ANALYSIS_SHIFT = 13;
    /** Receive QMF: the sums to an output sample (2^13 scale, times two for the interpolation). */
    static final int SYNTHESIS_SHIFT = 12;

    /** QUANTL decision levels Q6(m), m = 1..29, on the DETL scale divided by 2^12 (index 0 unused). */
    static final int[] LOWER_DECISION = {
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
    };
    /** QUANTL output code ILN(m) for a negative difference in interval m = 1..30. */
    static final int[] LOWER_NEGATIVE_CODE = {
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
    };
    /** QUANTL output code ILP(m) for a non-negative difference in interval m = 1..30. */
    static final int[] LOWER_POSITIVE_CODE = {
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
    };
    /** INVQAL: reconstruction level QM4 of a 4-bit code (Q15 of DETL, times 8 against the decision levels). */
    static final int[] LOWER_INVERSE_4BIT = {
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
    };
    /** INVQBL in mode 1: reconstruction level QM6 of a 6-bit code. */
    static final int[] LOWER_INVERSE_6BIT = {
        -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576,
        -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040,
        -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
    };
    /** QUANTH decision level on the DETH scale divided by 2^12. */
    static final int HIGHER_DECISION = 564;
    /** INVQAH: reconstruction level QM2 of a 2-bit code. */
    static final int[] HIGHER_INVERSE = {-7408, -1616, 7408, 1616};

    private G722Tables() {
    }
}
