package io.voxgate.core.resample;

/**
 * The supported rate conversions, each a rational ratio L/M with its prototype filter and the polyphase tap
 * tables derived from it.
 *
 * <p>Output sample {@code k} is {@code y[k] = sum_j h[j] u[kM - j]}, where {@code u} is the input stuffed with
 * L - 1 zeros (gain L) at the intermediate rate {@code L * inputRateHz}. With {@code k = qL + r} only the taps
 * {@code j = p_r + iL}, {@code p_r = rM mod L}, meet a non-zero {@code u}, which gives
 * {@code y[qL + r] = sum_i L h[p_r + iL] x[qM + n_r - i]} with {@code n_r = floor(rM / L)}. The input is kept
 * as M deinterleaved streams {@code x[tM + s]}, so for a fixed residue r and tap i the samples needed by
 * consecutive q are consecutive in one stream, and so are those of consecutive taps that land in the same stream.
 * The tables below hold, per residue r, the non-zero taps grouped into runs that read consecutive samples of
 * one stream: a run is (stream s, offset of its oldest sample, coefficients oldest first). Because the filter
 * is a Nyquist filter with K = max(L, M), its zero taps all fall into one (phase, stream) pair, so every residue
 * has at most M runs and the inner loop is a plain dot product over consecutive samples.
 *
 * <p>Filters, one per rate pair and shared by both directions: the cutoff is the lower rate's Nyquist frequency
 * and the transition band is symmetric around it, so the filter is a Nyquist (L or M-th band) filter with
 * exact zero taps. On the 8 kHz side the band is 3.4 kHz to 4.6 kHz: content that folds into 0 to 3.4 kHz
 * when decimating to 8 kHz starts at 4.6 kHz, and images of 0 to 3.4 kHz start at 4.6 kHz when interpolating.
 * Between 16 and 24 kHz it is 7.0 kHz to 9.0 kHz (wideband speech reaches 7 kHz), 48 to 16 kHz alike, 48 to
 * 24 kHz 10 kHz to 14 kHz. The 48 kHz pairs only decimate (Opus is decoded at 48 kHz). The design attenuation is
 * 72 dB: 2 dB of headroom over the 70 dB requirement for the error of Kaiser's length estimate.
 *
 * <p>Immutable tables built at class initialisation; safe on any thread.
 */
enum RateConversion {
    /** 8 to 16 kHz, 2/1. */
    UP_8_TO_16(8_000, 16_000, 3_400.0, 4_600.0),
    /** 16 to 8 kHz, 1/2. */
    DOWN_16_TO_8(16_000, 8_000, 3_400.0, 4_600.0),
    /** 8 to 24 kHz, 3/1. */
    UP_8_TO_24(8_000, 24_000, 3_400.0, 4_600.0),
    /** 24 to 8 kHz, 1/3. */
    DOWN_24_TO_8(24_000, 8_000, 3_400.0, 4_600.0),
    /** 16 to 24 kHz, 3/2. */
    UP_16_TO_24(16_000, 24_000, 7_000.0, 9_000.0),
    /** 24 to 16 kHz, 2/3. */
    DOWN_24_TO_16(24_000, 16_000, 7_000.0, 9_000.0),
    /** 48 to 8 kHz, 1/6: Opus decoded at its full rate, for a narrowband agent. */
    DOWN_48_TO_8(48_000, 8_000, 3_400.0, 4_600.0),
    /** 48 to 16 kHz, 1/3: Opus decoded at its full rate, for a wideband agent. */
    DOWN_48_TO_16(48_000, 16_000, 7_000.0, 9_000.0),
    /** 48 to 24 kHz, 1/2: Opus decoded at its full rate, for a 24 kHz agent. */
    DOWN_48_TO_24(48_000, 24_000, 10_000.0, 14_000.0);

    /** Design stopband attenuation in dB: the 70 dB requirement plus headroom for Kaiser's estimate. */
    static final double DESIGN_ATTENUATION_DB = 72.0;

    private final int inputRateHz;
    private final int outputRateHz;
    private final int up;
    private final int down;
    private final LowpassFilterDesign filter;
    private final int[] runStart;
    private final int[] runStream;
    private final int[] runOffset;
    private final int[] runCoefficientStart;
    private final int[] runLength;
    private final float[] coefficients;
    private final int historySamples;

    RateConversion(final int inputRateHz, final int outputRateHz, final double passbandEdgeHz, final double stopbandEdgeHz) {
        this.inputRateHz = inputRateHz;
        this.outputRateHz = outputRateHz;
        final int gcd = gcd(inputRateHz, outputRateHz);
        this.up = outputRateHz / gcd;
        this.down = inputRateHz / gcd;
        final int intermediateRateHz = inputRateHz * up;
        this.filter = LowpassFilterDesign.nyquistBand(
            intermediateRateHz, Math.max(up, down), passbandEdgeHz, stopbandEdgeHz, DESIGN_ATTENUATION_DB);

        // Non-zero taps per residue as (stream, offset, coefficient), sorted by stream then offset: runs fall out.
        final int maxTaps = filter.length() * up;
        final int[] stream = new int[maxTaps];
        final int[] offset = new int[maxTaps];
        final double[] coefficient = new double[maxTaps];
        final int[] runFirstTap = new int[maxTaps + 1];
        final int[] residueFirstRun = new int[up + 1];
        int taps = 0;
        int runs = 0;
        int maxLag = 0;
        for (int r = 0; r < up; r++) {
            residueFirstRun[r] = runs;
            final int phase = r * down % up;
            final int newest = r * down / up;
            final int first = taps;
            for (int s = 0; s < down; s++) {
                for (int i = filter.length(); i >= 0; i--) {
                    final int j = phase + i * up;
                    final int lag = newest - i;
                    if (j < filter.length() && filter.coefficient(j) != 0.0 && Math.floorMod(lag, down) == s) {
                        stream[taps] = s;
                        offset[taps] = Math.floorDiv(lag, down);
                        coefficient[taps] = up * filter.coefficient(j);
                        maxLag = Math.max(maxLag, i);
                        final boolean continuesRun = taps > first && stream[taps - 1] == s && offset[taps - 1] == offset[taps] - 1;
                        if (!continuesRun) {
                            runFirstTap[runs++] = taps;
                        }
                        taps++;
                    }
                }
            }
        }
        residueFirstRun[up] = runs;
        runFirstTap[runs] = taps;
        this.runStart = residueFirstRun;
        this.runStream = new int[runs];
        this.runOffset = new int[runs];
        this.runCoefficientStart = new int[runs];
        this.runLength = new int[runs];
        this.coefficients = new float[taps];
        for (int g = 0; g < runs; g++) {
            final int t = runFirstTap[g];
            runStream[g] = stream[t];
            runOffset[g] = offset[t];
            runCoefficientStart[g] = t;
            runLength[g] = runFirstTap[g + 1] - t;
        }
        for (int t = 0; t < taps; t++) {
            coefficients[t] = (float) coefficient[t];
        }
        // Stream samples a pending output may still reach back to, plus one for a partly filled cycle.
        this.historySamples = (maxLag + down - 1) / down + 2;
    }

    /**
     * The conversion between two rates.
     *
     * @throws IllegalArgumentException naming both rates when the pair is not supported
     */
    static RateConversion of(final int inputRateHz, final int outputRateHz) {
        for (final RateConversion conversion : values()) {
            if (conversion.inputRateHz == inputRateHz && conversion.outputRateHz == outputRateHz) {
                return conversion;
            }
        }
        throw new IllegalArgumentException("unsupported resampling " + inputRateHz + " Hz -> " + outputRateHz
            + " Hz (supported: 8000<->16000, 8000<->24000, 16000<->24000, 48000->8000/16000/24000; equal rates need no "
            + "resampler)");
    }

    private static int gcd(final int a, final int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    int inputRateHz() {
        return inputRateHz;
    }

    int outputRateHz() {
        return outputRateHz;
    }

    /** L: the interpolation factor. */
    int up() {
        return up;
    }

    /** M: the decimation factor. */
    int down() {
        return down;
    }

    LowpassFilterDesign filter() {
        return filter;
    }

    /** Group delay of the conversion in milliseconds: the filter's, which runs at the intermediate rate. */
    double groupDelayMs() {
        return filter.delayMs();
    }

    /** Samples per stream kept behind the newest complete cycle. */
    int historySamples() {
        return historySamples;
    }

    /** Index of residue {@code r}'s first run; {@code runStart(up())} is the number of runs. */
    int runStart(final int r) {
        return runStart[r];
    }

    /** The stream run {@code g} reads. */
    int runStream(final int g) {
        return runStream[g];
    }

    /** Stream offset, relative to the output's cycle, of the oldest sample run {@code g} reads. */
    int runOffset(final int g) {
        return runOffset[g];
    }

    /** Index in {@link #coefficient} of run {@code g}'s first (oldest-sample) coefficient. */
    int runCoefficientStart(final int g) {
        return runCoefficientStart[g];
    }

    int runLength(final int g) {
        return runLength[g];
    }

    /** Number of non-zero taps over all residues. */
    int coefficientCount() {
        return coefficients.length;
    }

    /** Coefficient {@code t} (gain L included), in run order. */
    float coefficient(final int t) {
        return coefficients[t];
    }
}
