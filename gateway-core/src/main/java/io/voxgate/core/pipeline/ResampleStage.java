package io.voxgate.core.pipeline;

import io.voxgate.core.resample.PolyphaseResampler;

/**
 * Changes the sample rate of one stream, keeping the filter history across chunks so chunk boundaries are
 * inaudible.
 *
 * <p>Threading: confined to the call's thread. Allocates nothing after construction.
 */
final class ResampleStage implements MediaStage {
    private final PolyphaseResampler resampler;
    private long samplesIn;
    private long samplesOut;

    ResampleStage(final int inputRateHz, final int outputRateHz) {
        this.resampler = PolyphaseResampler.create(inputRateHz, outputRateHz);
    }

    /** Most samples one call writes for {@code inSamples} input samples. */
    int maxOutputSamples(final int inSamples) {
        return resampler.maxOutputSamples(inSamples);
    }

    /** Resamples {@code samples} samples of {@code in}; returns the samples written to {@code out}. */
    int process(final short[] in, final int samples, final short[] out) {
        final int written = resampler.process(in, 0, samples, out, 0);
        samplesIn += samples;
        samplesOut += written;
        return written;
    }

    @Override
    public String name() {
        return "resample";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("samples_in", samplesIn);
        visitor.counter("samples_out", samplesOut);
    }
}
