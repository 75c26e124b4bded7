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
 * -32768 and 32767 (a filter's overshoot on a full-scale edge clips, never wraps).
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
    private final int[] tapStart;
    private final float[] tapCoefficient;
    private final float[][] tapSource;
    private final int[] tapOffset;
    private final float[][] streams;
    private final float[][] accumulators;

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
        this.accumulators = new float[up][capacity + 2];
        final int taps = conversion.tapStart(up);
        this.tapStart = new int[up + 1];
        for (int r = 0; r <= up; r++) {
            tapStart[r] = conversion.tapStart(r);
        }
        this.tapCoefficient = new float[taps];
        this.tapSource = new float[taps][];
        this.tapOffset = new int[taps];
        for (int t = 0; t < taps; t++) {
            tapCoefficient[t] = conversion.tapCoefficient(t);
            tapSource[t] = streams[conversion.tapStream(t)];
            tapOffset[t] = conversion.tapOffset(t);
        }
        reset();
    }

    /**
     * Creates a resampler for one direction of one call.
     *
     * @param inputRateHz  8000, 16000 or 24000
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
        if (down == 1) {
            final float[] stream = streams[0];
            for (int i = 0; i < n; i++) {
                stream[position + i] = in[offset + i];
            }
        } else {
            int s = Math.floorMod(inputCount, down);
            for (int i = 0; i < n; i++) {
                streams[s][position] = in[offset + i];
                if (++s == down) {
                    s = 0;
                    position++;
                }
            }
        }
        inputCount += n;
    }

    /** Computes every output whose newest input sample has arrived and writes it to {@code out[offset..]}. */
    private int filter(final short[] out, final int offset) {
        final long first = outputCount;
        final long end = ceilDiv(inputCount * up, down);
        final int count = (int) (end - first);
        if (count == 0) {
            return 0;
        }
        final long cycleBase = Math.floorDiv(first, up);
        for (int r = 0; r < up; r++) {
            final long firstCycle = ceilDiv(first - r, up);
            final int cycles = (int) (ceilDiv(end - r, up) - firstCycle);
            if (cycles <= 0) {
                continue;
            }
            final float[] acc = accumulators[r];
            final int accOffset = (int) (firstCycle - cycleBase);
            final long sourceBase = firstCycle - streamOrigin;
            final int t0 = tapStart[r];
            multiply(tapCoefficient[t0], tapSource[t0], (int) (sourceBase + tapOffset[t0]), acc, accOffset, cycles);
            for (int t = t0 + 1; t < tapStart[r + 1]; t++) {
                multiplyAdd(tapCoefficient[t], tapSource[t], (int) (sourceBase + tapOffset[t]), acc, accOffset, cycles);
            }
        }
        if (up == 1) {
            final float[] acc = accumulators[0];
            for (int i = 0; i < count; i++) {
                out[offset + i] = toPcm16(acc[i]);
            }
        } else {
            int r = Math.floorMod(first, up);
            int cycle = 0;
            for (int i = 0; i < count; i++) {
                out[offset + i] = toPcm16(accumulators[r][cycle]);
                if (++r == up) {
                    r = 0;
                    cycle++;
                }
            }
        }
        outputCount = end;
        return count;
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

    private static void multiply(final float c, final float[] src, final int srcOffset, final float[] acc, final int accOffset,
        final int n) {
        for (int i = 0; i < n; i++) {
            acc[accOffset + i] = c * src[srcOffset + i];
        }
    }

    private static void multiplyAdd(final float c, final float[] src, final int srcOffset, final float[] acc, final int accOffset,
        final int n) {
        for (int i = 0; i < n; i++) {
            acc[accOffset + i] += c * src[srcOffset + i];
        }
    }

    private static short toPcm16(final float value) {
        final int rounded = Math.round(value);
        return (short) (rounded > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(rounded, Short.MIN_VALUE));
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
