package io.voxgate.core.resample;

import java.util.Arrays;

/**
 * Streaming polyphase resampler of mono PCM16 between 8, 16 and 24 kHz (ratios 2/1, 1/2, 3/1, 1/3, 3/2, 2/3).
 *
 * <p><b>Streaming.</b> Filter history is kept across calls, so the output depends only on the input sequence,
 * never on how it was cut into calls: a signal given in 20 ms frames, in any other chunks, or whole yields
 * exactly the same samples. After {@code n} input samples in total, {@code ceil(n * out / in)} output samples
 * have been produced; for 20 ms frames that is exactly one 20 ms output frame per call.
 *
 * <p><b>Filter.</b> A Kaiser-windowed sinc designed for 72 dB stopband attenuation (70 dB required), with a
 * transition band of 3.4 to 4.6 kHz for the pairs with 8 kHz and 7.0 to 9.0 kHz between 16 and 24 kHz; see
 * {@link RateConversion}. Passband ripple is about 0.005 dB. The output lags the input by
 * {@link #groupDelayMs()}: 1.875 ms for the pairs with 8 kHz and 1.125 ms between 16 and 24 kHz, a whole number
 * of samples at both rates. The filter starts from silence, so the first {@code groupDelayMs} of output is the
 * filter filling.
 *
 * <p><b>Arithmetic.</b> Samples are filtered in float and rounded to the nearest 16-bit value, saturating at
 * -32768 and 32767 (a filter's overshoot on a full-scale edge clips, never wraps). The interpolators' phase that
 * lines up with the input (the Nyquist filter's unit centre tap) copies input samples instead of filtering them.
 *
 * <p><b>Cost.</b> A scalar kernel: eight outputs at a time over each run of taps (see {@code convolve}). Per
 * 20 ms frame, JMH median on a shared 2-core AMD EPYC (AVX-512), JDK 17: about 1.5 us for 8 to 16 kHz and
 * 16 to 8 kHz, 2.5 us to 3.5 us for the other pairs; JDK 25 alike. Fixed-point and auto-vectorised forms were
 * measured and rejected: Q15 coefficients cannot meet the one-LSB match to the float definition, and C2 on
 * JDK 17 vectorises none of the forms tried (see {@code convolve}).
 *
 * <p><b>Threading and ownership.</b> Not thread-safe: one instance per direction per call, confined to the
 * call's thread. {@link #process} allocates nothing and takes no lock; it reads the caller's input and writes
 * the caller's output array, keeping no reference to either.
 */
public final class PolyphaseResampler {
    /** Input cycles (M input samples each) filtered per block: 60 ms at any supported rate, the longest ptime. */
    private static final int BLOCK_CYCLES = 480;

    private final RateConversion conversion;
    private final int up;
    private final int down;
    private final int history;
    private final int capacity;
    private final int[] runStart;
    private final float[][] runSource;
    private final int[] runOffset;
    private final int[] runCoefficientStart;
    private final int[] runLength;
    private final float[] coefficients;
    /** Per residue: whether its only tap is a unit tap, so its outputs are input samples, delayed. */
    private final boolean[] pureDelay;
    private final float[][] streams;

    /** Input samples consumed since creation or reset. */
    private long inputCount;
    /** Output samples produced since creation or reset; always {@code ceil(inputCount * up / down)}. */
    private long outputCount;
    /** Stream sample index held at position 0 of every stream buffer. */
    private long streamOrigin;

    private PolyphaseResampler(final RateConversion conversion) {
        this.conversion = conversion;
        this.up = conversion.up();
        this.down = conversion.down();
        this.history = conversion.historySamples();
        this.capacity = history + BLOCK_CYCLES + 1;
        this.streams = new float[down][capacity];
        this.runStart = new int[up + 1];
        for (int r = 0; r <= up; r++) {
            runStart[r] = conversion.runStart(r);
        }
        final int runs = runStart[up];
        this.runSource = new float[runs][];
        this.runOffset = new int[runs];
        this.runCoefficientStart = new int[runs];
        this.runLength = new int[runs];
        for (int g = 0; g < runs; g++) {
            runSource[g] = streams[conversion.runStream(g)];
            runOffset[g] = conversion.runOffset(g);
            runCoefficientStart[g] = conversion.runCoefficientStart(g);
            runLength[g] = conversion.runLength(g);
        }
        this.coefficients = new float[conversion.coefficientCount()];
        for (int t = 0; t < coefficients.length; t++) {
            coefficients[t] = conversion.coefficient(t);
        }
        this.pureDelay = new boolean[up];
        for (int r = 0; r < up; r++) {
            final int g = runStart[r];
            pureDelay[r] = runStart[r + 1] == g + 1 && runLength[g] == 1 && coefficients[runCoefficientStart[g]] == 1.0f;
        }
        reset();
    }

    /**
     * Creates a resampler for one direction of one call.
     *
     * @param inputRateHz  8000, 16000 or 24000; or 48000 towards any of those
     * @param outputRateHz 8000, 16000 or 24000, different from {@code inputRateHz} (equal rates need no
     *                     resampler: pipelines pass such audio through untouched)
     * @throws IllegalArgumentException naming both rates when the pair is not supported
     */
    public static PolyphaseResampler create(final int inputRateHz, final int outputRateHz) {
        return new PolyphaseResampler(RateConversion.of(inputRateHz, outputRateHz));
    }

    /**
     * Resamples {@code inSamples} samples from {@code in[inOffset..]} into {@code out[outOffset..]}.
     *
     * @return the number of samples written, at most {@link #maxOutputSamples(int) maxOutputSamples(inSamples)}
     * @throws IllegalArgumentException naming the sizes when the input range lies outside {@code in} or when
     *                                  {@code out} has no room for the samples this call produces
     */
    public int process(final short[] in, final int inOffset, final int inSamples, final short[] out, final int outOffset) {
        if (inOffset < 0 || inSamples < 0 || inOffset > in.length - inSamples) {
            throw badInput(in.length, inOffset, inSamples);
        }
        final int produced = (int) (ceilDiv((inputCount + inSamples) * up, down) - outputCount);
        if (outOffset < 0 || outOffset > out.length - produced) {
            throw badOutput(out.length, outOffset, produced, inSamples);
        }
        int consumed = 0;
        int written = 0;
        while (consumed < inSamples) {
            final int room = (int) ((streamOrigin + capacity) * down - inputCount);
            final int n = Math.min(inSamples - consumed, room);
            append(in, inOffset + consumed, n);
            consumed += n;
            written += filter(out, outOffset + written);
            slide();
        }
        return written;
    }

    /** Upper bound of the samples one {@link #process} call writes for {@code inSamples} input samples. */
    public int maxOutputSamples(final int inSamples) {
        if (inSamples < 0) {
            throw new IllegalArgumentException("input sample count " + inSamples + " is negative");
        }
        return (int) ceilDiv((long) inSamples * up, down);
    }

    /** Forgets all history, as if newly created: the next input is preceded by silence. */
    public void reset() {
        for (final float[] stream : streams) {
            Arrays.fill(stream, 0.0f);
        }
        inputCount = 0;
        outputCount = 0;
        streamOrigin = -history;
    }

    /** The input sample rate in Hz. */
    public int inputRateHz() {
        return conversion.inputRateHz();
    }

    /** The output sample rate in Hz. */
    public int outputRateHz() {
        return conversion.outputRateHz();
    }

    /**
     * The filter's group delay in milliseconds: an input event at time t appears in the output at
     * {@code t + groupDelayMs()}. At most 2 ms; exact, since the filter is linear-phase.
     */
    public double groupDelayMs() {
        return conversion.groupDelayMs();
    }

    /** Deinterleaves {@code n} input samples into the M streams, as floats. */
    private void append(final short[] in, final int offset, final int n) {
        int position = (int) (Math.floorDiv(inputCount, down) - streamOrigin);
        int s = Math.floorMod(inputCount, down);
        int i = 0;
        // Finish a cycle left partly filled by the previous call, sample by sample.
        for (; s != 0 && i < n; i++) {
            streams[s][position] = in[offset + i];
            if (++s == down) {
                s = 0;
                position++;
            }
        }
        // Whole cycles: one strided pass per stream.
        final int cycles = (n - i) / down;
        for (int stream = 0; stream < down; stream++) {
            final float[] target = streams[stream];
            final int from = offset + i + stream;
            for (int c = 0; c < cycles; c++) {
                target[position + c] = in[from + c * down];
            }
        }
        i += cycles * down;
        position += cycles;
        // The start of the next cycle.
        for (int stream = 0; i < n; i++, stream++) {
            streams[stream][position] = in[offset + i];
        }
        inputCount += n;
    }

    /** Computes every output whose newest input sample has arrived and writes it to {@code out[offset..]}. */
    private int filter(final short[] out, final int offset) {
        final long first = outputCount;
        final long end = ceilDiv(inputCount * up, down);
        for (int r = 0; r < up; r++) {
            final long firstCycle = ceilDiv(first - r, up);
            final int cycles = (int) (ceilDiv(end - r, up) - firstCycle);
            if (cycles > 0) {
                // Output k = cycle * up + r lands at out[offset + k - first]; residue r's outputs are up apart.
                final int outIndex = (int) (offset + firstCycle * up + r - first);
                final int sourceBase = (int) (firstCycle - streamOrigin);
                if (pureDelay[r]) {
                    copyDelayed(runStart[r], sourceBase, out, outIndex, cycles);
                } else {
                    convolve(runStart[r], runStart[r + 1], sourceBase, out, outIndex, cycles);
                }
            }
        }
        outputCount = end;
        return (int) (end - first);
    }

    /** Moves the history still needed by pending outputs to the front of every stream buffer. */
    private void slide() {
        final long origin = Math.floorDiv(inputCount, down) - history;
        final int from = (int) (origin - streamOrigin);
        if (from > 0) {
            final int length = Math.min(history + 1, capacity - from);
            for (final float[] stream : streams) {
                System.arraycopy(stream, from, stream, 0, length);
            }
            streamOrigin = origin;
        }
    }

    /**
     * For {@code q < cycles}: {@code out[outIndex + q * up] = pcm16(sum over runs g in [g0, g1), i < length_g of
     * c[start_g + i] * source_g[sourceBase + offset_g + i + q])}.
     *
     * <p>Eight outputs at a time keep eight independent sums in registers, so each coefficient is loaded once per
     * eight outputs and the additions of different outputs overlap; within a run the indices are linear in the
     * loop variable, so the JIT hoists the bounds checks. Alternatives measured with JMH for 30 taps by 160
     * outputs, where this form takes about 0.88 us on JDK 17 and 25: outputs innermost ({@code acc[q] += c *
     * x[p + q]}, float) stays scalar on both, as C2 cannot exclude that the arrays overlap (1.4 us); with int
     * samples and float sums it vectorises on JDK 25 only (0.51 us; 2.8 us on JDK 17, which vectorises no int to
     * float conversion); a shifted chain {@code t[j] = c * x[j] + t[j + 1]} vectorises on JDK 25 only (0.55 us;
     * 1.6 us on JDK 17, which vectorises a loop only when all its indices share one offset modulo the vector);
     * Q15 int dot products are not vectorised usefully (1.9 us on JDK 17, 1.1 us on JDK 25).
     * Every output adds its taps in table order starting from zero, whatever block it falls in, so results never
     * depend on how the input was chunked.
     */
    private void convolve(final int g0, final int g1, final int sourceBase, final short[] out, final int outIndex, final int cycles) {
        final float[] c = coefficients;
        final int stride = up;
        int q = 0;
        for (; q + 8 <= cycles; q += 8) {
            float y0 = 0;
            float y1 = 0;
            float y2 = 0;
            float y3 = 0;
            float y4 = 0;
            float y5 = 0;
            float y6 = 0;
            float y7 = 0;
            for (int g = g0; g < g1; g++) {
                final float[] s = runSource[g];
                final int p = sourceBase + runOffset[g] + q;
                final int k = runCoefficientStart[g];
                final int n = runLength[g];
                for (int i = 0; i < n; i++) {
                    final float ci = c[k + i];
                    final int pi = p + i;
                    y0 += ci * s[pi];
                    y1 += ci * s[pi + 1];
                    y2 += ci * s[pi + 2];
                    y3 += ci * s[pi + 3];
                    y4 += ci * s[pi + 4];
                    y5 += ci * s[pi + 5];
                    y6 += ci * s[pi + 6];
                    y7 += ci * s[pi + 7];
                }
            }
            final int o = outIndex + q * stride;
            out[o] = toPcm16(y0);
            out[o + stride] = toPcm16(y1);
            out[o + 2 * stride] = toPcm16(y2);
            out[o + 3 * stride] = toPcm16(y3);
            out[o + 4 * stride] = toPcm16(y4);
            out[o + 5 * stride] = toPcm16(y5);
            out[o + 6 * stride] = toPcm16(y6);
            out[o + 7 * stride] = toPcm16(y7);
        }
        for (; q < cycles; q++) {
            float y = 0;
            for (int g = g0; g < g1; g++) {
                final float[] s = runSource[g];
                final int p = sourceBase + runOffset[g] + q;
                final int k = runCoefficientStart[g];
                for (int i = 0; i < runLength[g]; i++) {
                    y += c[k + i] * s[p + i];
                }
            }
            out[outIndex + q * stride] = toPcm16(y);
        }
    }

    /**
     * For {@code q < cycles}: {@code out[outIndex + q * up] = source_g[sourceBase + offset_g + q]}. The phase of an
     * interpolator that lines up with the input samples is the Nyquist filter's centre tap alone, whose gain L times
     * 1/L is exactly 1, so its outputs are the input samples themselves: whole numbers in 16-bit range, copied.
     */
    private void copyDelayed(final int g, final int sourceBase, final short[] out, final int outIndex, final int cycles) {
        final float[] s = runSource[g];
        final int p = sourceBase + runOffset[g];
        final int stride = up;
        for (int q = 0; q < cycles; q++) {
            out[outIndex + q * stride] = (short) s[p + q];
        }
    }

    /**
     * Saturates, then rounds half up by truncating a positive sum: cheaper than {@link Math#round(float)}, which
     * JDK 17 does not intrinsify. The float sum is rounded to a multiple of 2^-8, so a value that close to a half may round
     * either way; either result is within one LSB of the exact value and the same for any chunking.
     */
    private static short toPcm16(final float value) {
        final float clamped = value < Short.MIN_VALUE ? Short.MIN_VALUE : Math.min(value, Short.MAX_VALUE);
        return (short) ((int) (clamped + 32768.5f) - 32768);
    }

    private static long ceilDiv(final long a, final long b) {
        return -Math.floorDiv(-a, b);
    }

    private static IllegalArgumentException badInput(final int length, final int offset, final int samples) {
        return new IllegalArgumentException("input range offset " + offset + " + " + samples
            + " samples lies outside an input array of " + length + " samples");
    }

    private IllegalArgumentException badOutput(final int length, final int offset, final int needed, final int inSamples) {
        return new IllegalArgumentException("output array of " + length + " samples from offset " + offset
            + " has no room for the " + needed + " samples that " + inSamples + " input samples produce ("
            + inputRateHz() + " Hz -> " + outputRateHz() + " Hz)");
    }
}
